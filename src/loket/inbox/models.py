"""Tables of the inbox. Private to this app: other modules use services and selectors."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.kernel.models import TenantOwnedModel


class Contact(TenantOwnedModel):
    """The citizen behind messages, per organisation. Never a user of Loket."""

    display_name = models.CharField(max_length=200, blank=True)
    # Merging points one contact at another; un-merging clears it. Nothing else moves, so a
    # merge can always be undone exactly.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"


class ContactIdentity(TenantOwnedModel):
    """One way a contact appears on a platform: (scope, author id) → contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    # "facebook" when ids are platform-wide, "generic:<account uuid>" when per account.
    scope = models.CharField(max_length=80)
    external_id = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "scope", "external_id"], name="identity_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.external_id}"


class ConversationKind(models.TextChoices):
    PUBLIC_THREAD = "public_thread", _("Public comments")
    PRIVATE = "private", _("Private messages")
    EMAIL = "email", _("E-mail")
    FORM = "form", _("Form")


class Conversation(TenantOwnedModel):
    channel_account = models.ForeignKey(
        "channels.ChannelAccount", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ConversationKind.choices)
    external_thread_id = models.CharField(max_length=200)
    title = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["channel_account", "external_thread_id"], name="conversation_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.external_thread_id


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING_ON_CITIZEN = "waiting_on_citizen", _("Waiting on citizen")
    WAITING_ON_THIRD_PARTY = "waiting_on_third_party", _("Waiting on third party")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class ClosingReason(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    NOT_FOR_US = "not_for_us", _("Not for us")
    SPAM = "spam", _("Spam")
    DUPLICATE = "duplicate", _("Duplicate")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class Case(TenantOwnedModel):
    """A citizen's question, complaint or report that someone owns until it is answered.

    A case groups messages, which may come from several conversations (a citizen who comments
    and then sends a private message) or from several citizens (the same question asked under
    one post by many).
    """

    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=24, choices=CaseStatus.choices, default=CaseStatus.NEW, db_index=True
    )
    closing_reason = models.CharField(max_length=12, choices=ClosingReason.choices, blank=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    priority_rank = models.PositiveSmallIntegerField(default=1)
    team = models.ForeignKey(
        "tenancy.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    channel_account = models.ForeignKey(
        "channels.ChannelAccount", on_delete=models.PROTECT, related_name="+"
    )
    conversations = models.ManyToManyField(Conversation, related_name="cases", blank=True)
    message_type = models.CharField(max_length=16, blank=True)
    topic = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=2, blank=True)
    sentiment = models.CharField(max_length=8, blank=True)
    tags = models.JSONField(default=list, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_number_once"),
        ]
        indexes: ClassVar = [
            # The inbox list: newest activity first, per organisation and status.
            models.Index(
                fields=["organisation", "status", "-last_activity_at", "-id"],
                name="case_inbox",
            ),
            models.Index(fields=["organisation", "-last_activity_at", "-id"], name="case_recent"),
            models.Index(fields=["organisation", "assignee", "status"], name="case_assignee"),
            models.Index(fields=["organisation", "team", "status"], name="case_team"),
            # The overdue view: cases still waiting for a first answer, by due time.
            models.Index(
                fields=["organisation", "first_response_due"],
                condition=models.Q(first_responded_at__isnull=True),
                name="case_awaiting_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class CaseCounter(TenantOwnedModel):
    """The last case number handed out per organisation (numbers are per organisation)."""

    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation"], name="case_counter_once"),
        ]

    def __str__(self) -> str:
        return str(self.last_number)


class Direction(models.TextChoices):
    INBOUND = "inbound", _("From the citizen")
    OUTBOUND = "outbound", _("From us")


class Moderation(models.TextChoices):
    NONE = "", _("Visible")
    HIDDEN = "hidden", _("Hidden on the platform")
    DELETED_ON_PLATFORM = "deleted_on_platform", _("Deleted on the platform")


class Message(TenantOwnedModel):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    # Denormalised from the conversation, for the uniqueness of external ids per account.
    channel_account = models.ForeignKey(
        "channels.ChannelAccount", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    direction = models.CharField(max_length=8, choices=Direction.choices)
    visibility = models.CharField(max_length=8)
    text = models.TextField()
    attachments = models.JSONField(default=list, blank=True)
    # What the platform needs to answer this message (see channels.contracts.InboundMessage).
    reply_context = models.JSONField(default=dict, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    in_reply_to_external_id = models.CharField(max_length=200, blank=True)
    author_contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(max_length=200, blank=True)
    platform_time = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    delivery = models.ForeignKey(
        "channels.OutboundDelivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(max_length=2, blank=True)
    message_type = models.CharField(max_length=16, blank=True)
    topic = models.CharField(max_length=80, blank=True)
    sentiment = models.CharField(max_length=8, blank=True)
    urgent = models.BooleanField(default=False)
    personal_data = models.JSONField(default=list, blank=True)
    abuse = models.CharField(max_length=8, blank=True)  # insult, threat, hate; never deleted
    helpline = models.CharField(max_length=20, blank=True)  # e.g. 1813 on signs of self-harm
    # What a moderator did to it on the platform. Loket itself never deletes a message.
    moderation = models.CharField(
        max_length=20, choices=Moderation.choices, default=Moderation.NONE, blank=True
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["channel_account", "external_id"],
                condition=~models.Q(external_id=""),
                name="message_once_per_account",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["case", "platform_time", "id"], name="message_case_time"),
            models.Index(fields=["conversation", "platform_time", "id"], name="message_thread"),
            # Finding the case of a reply that arrived before its parent.
            models.Index(
                fields=["channel_account", "in_reply_to_external_id"], name="message_reply_to"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.external_id or self.pk}"


class CaseEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    MESSAGE = "message", _("Message received")
    TRIAGED = "triaged", _("Triaged")
    LABEL_CORRECTED = "label_corrected", _("Label corrected")
    ASSIGNED = "assigned", _("Assigned")
    STATUS_CHANGED = "status_changed", _("Status changed")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    TAGGED = "tagged", _("Tags changed")
    REPLIED = "replied", _("Replied")
    NOTE = "note", _("Note")
    MERGED = "merged", _("Merged")
    SPLIT = "split", _("Split")
    HANDED_OVER = "handed_over", _("Handed over")
    MODERATED = "moderated", _("Moderated on the platform")


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise HistoryIsAppendOnly("case history is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise HistoryIsAppendOnly("case history is append-only")


class HistoryIsAppendOnly(Exception):
    pass


class CaseEvent(models.Model):
    """One change to a case: who, when, what. Rows are only ever added."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField(default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:  # an integrity guard: history is never rewritten
            raise HistoryIsAppendOnly("case history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise HistoryIsAppendOnly("case history is append-only")


class SavedView(TenantOwnedModel):
    """A named set of inbox filters, of one person or shared with the organisation."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=80)
    filters = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class PresenceActivity(models.TextChoices):
    VIEWING = "viewing", _("is looking at this case")
    REPLYING = "replying", _("is replying")


class CasePresence(models.Model):
    """Who has a case open right now, so two agents don't answer the same citizen twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="presence")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    activity = models.CharField(max_length=10, choices=PresenceActivity.choices)
    seen_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "user"], name="presence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.activity} {self.case_id}"


class NotificationKind(models.TextChoices):
    URGENT_CASE = "urgent_case", _("Urgent case")
    MENTIONED = "mentioned", _("Mentioned in a note")
    ASSIGNED = "assigned", _("Assigned to you")
    PROFILE_UNHEALTHY = "profile_unhealthy", _("A profile has a problem")


class Notification(TenantOwnedModel):
    """Something one person should hear about a case or a profile: the bell in the page header.

    `cause` names what caused it ("case" for a case that became urgent, "event:<id>" for a
    note or an assignment, "health:…" for a profile's problem); with the recipient, kind and
    case (or profile) it is unique, so a retried stage or service never notifies twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    # A notification is about a case, or (profile_unhealthy) about a profile.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel_account = models.ForeignKey(
        "channels.ChannelAccount",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # What was wrong when it was sent (a profile's problem changes or goes away later).
    detail = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cause = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "case", "cause"], name="notification_once"
            ),
            # Without a case the constraint above never matches (NULLs differ): profiles have
            # their own.
            models.UniqueConstraint(
                fields=["recipient", "kind", "channel_account", "cause"],
                condition=models.Q(case__isnull=True),
                name="profile_notification_once",
            ),
        ]
        indexes: ClassVar = [
            # The bell: a person's unread notifications in one organisation, newest first.
            models.Index(
                fields=["recipient", "organisation", "-created_at", "-id"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # The notifications page: all of them, newest first.
            models.Index(
                fields=["recipient", "organisation", "-created_at", "-id"],
                name="notification_recent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.case_id}"
