"""Every write on cases that an agent makes: status, assignment, labels, notes, replies,
merging and splitting. Keyword-only arguments, one transaction each, a history row each."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.channels import selectors as channel_selectors
from loket.channels import services as channel_services
from loket.channels.contracts import (
    Author,
    DeliveryReceipt,
    DeliveryStatus,
    ModerationAction,
    OutboundMessage,
    Visibility,
)
from loket.inbox import history, notifications
from loket.inbox.intake import case_subject
from loket.inbox.models import (
    PRIORITY_RANK,
    Case,
    CaseEventKind,
    CaseStatus,
    ClosingReason,
    Conversation,
    ConversationKind,
    Direction,
    Message,
    Moderation,
    Priority,
    SavedView,
)
from loket.inbox.numbering import next_case_number
from loket.inbox.selectors import CaseFilter
from loket.inbox.workflow import Action, IllegalTransition, next_status
from loket.tenancy import selectors as tenancy_selectors
from loket.triage import personal_data
from loket.triage import services as triage_services

CORRECTABLE_LABELS = ("message_type", "topic", "language", "sentiment")
MENTION = re.compile(r"@([\w.+-]{2,150})")
MAX_TAGS = 20


class PersonalDataInPublic(Exception):
    """A public reply holds personal data (a national number, an IBAN, a phone number…)."""

    def __init__(self, kinds: tuple[str, ...]) -> None:
        super().__init__(", ".join(kinds))
        self.kinds = kinds


class CaseClosed(Exception):
    """A reply to a closed case needs the agent's explicit choice to reopen it."""


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _touch(case: Case, *fields: str) -> None:
    case.last_activity_at = timezone.now()
    case.save(update_fields=[*fields, "last_activity_at"])


@transaction.atomic
def change_status(*, case: Case, action: Action, actor: Any, closing_reason: str = "") -> Case:
    case = _locked(case)
    if action is Action.CLOSE and closing_reason not in ClosingReason.values:
        raise ValidationError({"closing_reason": _("Choose why the case is closed.")})
    before = case.status
    try:
        case.status = next_status(case.status, action)
    except IllegalTransition as error:
        raise ValidationError(str(error)) from error
    if case.status == CaseStatus.CLOSED:
        case.closing_reason = closing_reason
        case.closed_at = timezone.now()
    else:
        case.closing_reason = ""
        case.closed_at = None
    _touch(case, "status", "closing_reason", "closed_at")
    history.record(
        case,
        CaseEventKind.STATUS_CHANGED,
        actor=actor,
        data={"from": before, "to": case.status, "reason": closing_reason or None},
    )
    return case


@transaction.atomic
def assign(*, case: Case, actor: Any, team: Any = None, assignee: Any = None) -> Case:
    """Give the case to a team and/or a person of this organisation."""
    case = _locked(case)
    organisation = case.organisation
    if team is not None and team.organisation_id != case.organisation_id:
        raise ValidationError({"team": _("This team belongs to another organisation.")})
    if assignee is not None and tenancy_selectors.access_to(assignee, organisation.slug) is None:
        raise ValidationError({"assignee": _("This person is not a member of the organisation.")})
    before = {"team": case.team_id, "assignee": case.assignee_id}
    case.team = team
    case.assignee = assignee
    if case.status == CaseStatus.NEW and assignee is not None:
        case.status = next_status(case.status, Action.OPEN)
    _touch(case, "team", "assignee", "status")
    assignment = history.record(
        case,
        CaseEventKind.ASSIGNED,
        actor=actor,
        data={
            "from": before,
            "to": {"team": case.team_id, "assignee": case.assignee_id},
            "assignee_name": assignee.get_username() if assignee is not None else None,
        },
    )
    if assignee is not None and assignee.pk != before["assignee"]:
        notifications.assigned(case=case, assignment=assignment, assignee=assignee, actor=actor)
    return case


@transaction.atomic
def set_priority(*, case: Case, actor: Any, priority: str) -> Case:
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose one of the listed priorities.")})
    case = _locked(case)
    before = case.priority
    case.priority = priority
    case.priority_rank = PRIORITY_RANK[Priority(priority)]
    _touch(case, "priority", "priority_rank")
    history.record(
        case, CaseEventKind.PRIORITY_CHANGED, actor=actor, data={"from": before, "to": priority}
    )
    return case


@transaction.atomic
def set_tags(*, case: Case, actor: Any, tags: Iterable[str]) -> Case:
    cleaned = sorted({tag.strip().lower()[:40] for tag in tags if tag.strip()})
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("At most 20 tags.")})
    case = _locked(case)
    before = list(case.tags)
    case.tags = cleaned
    _touch(case, "tags")
    history.record(case, CaseEventKind.TAGGED, actor=actor, data={"from": before, "to": cleaned})
    return case


@transaction.atomic
def correct_label(*, case: Case, actor: Any, label: str, value: str) -> Case:
    """An agent corrects what triage said; the correction teaches triage."""
    if label not in CORRECTABLE_LABELS:
        raise ValidationError({"label": _("This label cannot be corrected.")})
    case = _locked(case)
    before = getattr(case, label)
    if before == value:
        return case
    setattr(case, label, value)
    _touch(case, label)
    first = case.messages.filter(direction=Direction.INBOUND).order_by("platform_time").first()
    history.record(
        case,
        CaseEventKind.LABEL_CORRECTED,
        actor=actor,
        data={"label": label, "from": before, "to": value},
    )
    if first is not None:
        triage_services.record_correction(
            organisation=case.organisation,
            message_id=first.pk,
            text=first.text,
            label=label,
            predicted=before,
            corrected=value,
            actor=actor,
        )
    return case


@transaction.atomic
def add_note(*, case: Case, actor: Any, text: str) -> Case:
    """An internal note; @name mentions colleagues of the same organisation."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("A note cannot be empty.")})
    case = _locked(case)
    people = []
    for name in dict.fromkeys(MENTION.findall(text)):
        person = tenancy_selectors.user_by_username_or_email(name)
        if person is not None and tenancy_selectors.access_to(person, case.organisation.slug):
            people.append(person)
    mentioned = [person.get_username() for person in people]
    _touch(case)
    note = history.record(
        case, CaseEventKind.NOTE, actor=actor, data={"text": text[:10_000], "mentions": mentioned}
    )
    notifications.mentioned(case=case, note=note, people=people, actor=actor)
    return case


@transaction.atomic
def reply(
    *,
    case: Case,
    actor: Any,
    text: str,
    visibility: str,
    to_message: Message | None = None,
    to_all: bool = False,
    reopen: bool = False,
    personal_data_confirmed: bool = False,
) -> list[Message]:
    """Send a reply; `to_all` answers each citizen of a grouped public case individually.

    A closed case is reopened only when the agent says so (`reopen=True`); a public reply
    that contains personal data goes out only when the agent confirms it.
    """
    case = _locked(case)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("A reply cannot be empty.")})
    if case.status == CaseStatus.CLOSED and not reopen:
        raise CaseClosed(_("This case is closed. Reopen it to reply?"))
    if visibility not in Visibility:
        raise ValidationError({"visibility": _("Choose public or private.")})
    if visibility == Visibility.PUBLIC and not personal_data_confirmed:
        found = personal_data.kinds(text)
        if found:
            raise PersonalDataInPublic(found)
    targets = _reply_targets(case, to_message=to_message, to_all=to_all)
    if not targets:
        raise ValidationError(_("There is no citizen message to reply to."))
    sent = []
    for target in targets:
        account = target.channel_account
        capabilities = channel_selectors.capabilities_of(account)
        _check_capabilities(capabilities, text=text, visibility=visibility, target=target)
        if channel_selectors.reply_block(account, target.reply_context) is not None:
            raise ValidationError(
                {
                    "text": _(
                        "This message cannot be answered: the citizen left no address to reply to."
                    )
                }
            )
        personal = text
        conversation = target.conversation
        key = f"reply-{uuid.uuid4()}"
        outbound = Message.objects.create(
            organisation=case.organisation,
            conversation=conversation,
            channel_account=account,
            case=case,
            direction=Direction.OUTBOUND,
            visibility=visibility,
            text=personal,
            author_user=actor,
            author_name=actor.get_full_name() or actor.get_username(),
            platform_time=timezone.now(),
            in_reply_to_external_id=target.external_id,
        )
        delivery = channel_services.queue_delivery(
            account=account,
            message=OutboundMessage(
                idempotency_key=key,
                thread_id=conversation.external_thread_id,
                visibility=Visibility(visibility),
                text=personal,
                in_reply_to=target.external_id or None,
                recipient=Author(external_id=_author_id(target), name=target.author_name),
                reply_context=dict(target.reply_context),
            ),
        )
        outbound.delivery = delivery
        outbound.save(update_fields=["delivery"])
        sent.append(outbound)
    before = case.status
    if case.status == CaseStatus.CLOSED:
        case.status = next_status(case.status, Action.REOPEN)
    case.status = next_status(case.status, Action.ANSWER)
    case.closing_reason, case.closed_at = "", None
    if case.first_responded_at is None:
        case.first_responded_at = timezone.now()
    _touch(case, "status", "closing_reason", "closed_at", "first_responded_at")
    history.record(
        case,
        CaseEventKind.REPLIED,
        actor=actor,
        data={
            "messages": [m.pk for m in sent],
            "visibility": visibility,
            "recipients": len(sent),
            "status": {"from": before, "to": case.status},
        },
    )
    return sent


def _reply_targets(case: Case, *, to_message: Message | None, to_all: bool) -> list[Message]:
    inbound = case.messages.filter(direction=Direction.INBOUND).select_related(
        "author_contact", "conversation", "channel_account"
    )
    if to_message is not None:
        if to_message.case_id != case.pk or to_message.direction != Direction.INBOUND:
            raise ValidationError(_("That message is not a citizen message of this case."))
        return [to_message]
    if not to_all:
        latest = inbound.order_by("-platform_time", "-id").first()
        return [latest] if latest else []
    # One reply per citizen, to their latest message.
    latest_by_author: dict[Any, Message] = {}
    for message in inbound.order_by("platform_time", "id"):
        latest_by_author[message.author_contact_id or message.author_name] = message
    return list(latest_by_author.values())


def _check_capabilities(capabilities: Any, *, text: str, visibility: str, target: Message) -> None:
    if len(text) > capabilities.max_length:
        raise ValidationError(
            {
                "text": _("Too long for this channel: at most %(n)d characters.")
                % {"n": capabilities.max_length}
            }
        )
    public = visibility == Visibility.PUBLIC
    if public and target.conversation.kind != ConversationKind.PUBLIC_THREAD:
        raise ValidationError({"visibility": _("A private conversation is answered privately.")})
    if public and not capabilities.public_reply:
        raise ValidationError({"visibility": _("This channel cannot reply in public.")})
    if not public and not capabilities.private_reply:
        raise ValidationError({"visibility": _("This channel cannot reply privately.")})
    if (
        not public
        and target.conversation.kind == ConversationKind.PUBLIC_THREAD
        and not capabilities.private_reply_to_public
    ):
        raise ValidationError(
            {"visibility": _("This channel cannot answer a public comment privately.")}
        )
    window = (
        capabilities.private_reply_to_public_window
        if target.conversation.kind == ConversationKind.PUBLIC_THREAD
        else capabilities.private_reply_window
    )
    if not public and window is not None and timezone.now() - target.platform_time > window:
        raise ValidationError(
            {"visibility": _("The window for a private reply on this channel has passed.")}
        )


def _author_id(message: Message) -> str:
    identity = message.author_contact.identities.first() if message.author_contact else None
    return identity.external_id if identity is not None else ""


@transaction.atomic
def merge(*, source: Case, target: Case, actor: Any) -> Case:
    """Move everything of `source` into `target`; `source` closes as a duplicate."""
    if source.pk == target.pk or source.organisation_id != target.organisation_id:
        raise ValidationError(
            _("A case can only be merged into another case of the same organisation.")
        )
    source, target = _locked(source), _locked(target)
    moved = list(source.messages.values_list("pk", flat=True))
    Message.objects.filter(pk__in=moved).update(case=target)
    target.conversations.add(*source.conversations.all())
    source.merged_into = target
    source.status, source.closing_reason, source.closed_at = (
        CaseStatus.CLOSED,
        ClosingReason.DUPLICATE,
        timezone.now(),
    )
    _touch(source, "merged_into", "status", "closing_reason", "closed_at")
    _touch(target)
    history.record(
        source, CaseEventKind.MERGED, actor=actor, data={"into": target.number, "messages": moved}
    )
    history.record(
        target, CaseEventKind.MERGED, actor=actor, data={"from": source.number, "messages": moved}
    )
    return target


@transaction.atomic
def split(*, case: Case, messages: Sequence[Message], actor: Any) -> Case:
    """Move some messages of a case into a new case of their own."""
    case = _locked(case)
    chosen = [m for m in messages if m.case_id == case.pk]
    if not chosen or len(chosen) == case.messages.count():
        raise ValidationError(_("Choose some, but not all, messages of the case."))
    first = min(chosen, key=lambda m: (m.platform_time, m.pk))
    new = Case.objects.create(
        organisation=case.organisation,
        number=next_case_number(case.organisation),
        subject=case_subject(first.text),
        team=case.team,
        contact=first.author_contact,
        channel_account=first.channel_account,
        message_type=case.message_type,
        language=first.language or case.language,
        topic=case.topic,
        sentiment=first.sentiment,
        last_inbound_at=max(m.platform_time for m in chosen),
        first_response_due=case.first_response_due,
    )
    Message.objects.filter(pk__in=[m.pk for m in chosen]).update(case=new)
    new.conversations.add(*Conversation.objects.filter(messages__case=new).distinct())
    _touch(case)
    ids = [m.pk for m in chosen]
    history.record(
        case, CaseEventKind.SPLIT, actor=actor, data={"into": new.number, "messages": ids}
    )
    history.record(
        new, CaseEventKind.CREATED, actor=actor, data={"split_from": case.number, "messages": ids}
    )
    return new


@transaction.atomic
def save_view(
    *, organisation: Any, owner: Any, name: str, filters: dict[str, Any], shared: bool = False
) -> SavedView:
    """Keep the current filters under a name: the owner's own, or shared with everyone."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A view needs a name.")})
    cleaned = CaseFilter.from_mapping(filters).as_query()
    if not cleaned:
        raise ValidationError(
            _("Choose some filters first: the unfiltered inbox is already a view.")
        )
    existing = SavedView.objects.for_organisation(organisation).filter(
        owner=None if shared else owner, name__iexact=name[:80]
    )
    if existing.exists():
        raise ValidationError({"name": _("There is already a view with this name.")})
    return SavedView.objects.create(
        organisation=organisation, owner=None if shared else owner, name=name[:80], filters=cleaned
    )


@transaction.atomic
def delete_view(*, view: SavedView, actor: Any, may_manage_shared: bool) -> None:
    if view.owner_id is None and not may_manage_shared:
        raise ValidationError(_("Only a coordinator can remove a shared view."))
    if view.owner_id is not None and view.owner_id != actor.pk:
        raise ValidationError(_("This is someone else's view."))
    view.delete()


# ---------------------------------------------------------------------------------------
# Moderation: hiding, showing again or deleting a citizen's public comment on the platform.
# The message itself stays in Loket, marked; the case history says who did what and what the
# platform answered.

MODERATION_RESULT = {
    ModerationAction.HIDE: Moderation.HIDDEN,
    ModerationAction.UNHIDE: Moderation.NONE,
    ModerationAction.DELETE: Moderation.DELETED_ON_PLATFORM,
}


def moderation_actions(message: Message) -> list[ModerationAction]:
    """What may be done to this message on its platform now; empty where nothing can."""
    account = message.channel_account
    if (
        message.direction != Direction.INBOUND
        or message.visibility != Visibility.PUBLIC
        or not message.external_id
        or message.moderation == Moderation.DELETED_ON_PLATFORM
        or not account.is_active
        or not channel_selectors.capabilities_of(account).moderation
    ):
        return []
    shown = ModerationAction.UNHIDE if message.moderation == Moderation.HIDDEN else None
    hidden = ModerationAction.HIDE if shown is None else None
    return [action for action in (hidden, shown, ModerationAction.DELETE) if action is not None]


def moderate_message(
    *, case: Case, message: Message, action: ModerationAction, actor: Any
) -> DeliveryReceipt:
    """Ask the platform to hide, show again or delete a public comment of this case.

    The platform is called outside any transaction (it may take seconds); its answer is
    recorded either way. A failure changes nothing but the history.
    """
    if message.case_id != case.pk:
        raise ValidationError(_("That message is not a message of this case."))
    if action not in moderation_actions(message):
        raise ValidationError(_("This cannot be done to this message on its platform."))
    receipt = channel_services.moderate(
        account=message.channel_account, external_id=message.external_id, action=action
    )
    with transaction.atomic():
        case = _locked(case)
        if receipt.status is DeliveryStatus.SENT:
            Message.objects.filter(pk=message.pk).update(moderation=MODERATION_RESULT[action])
            message.moderation = MODERATION_RESULT[action]
        _touch(case)
        history.record(
            case,
            CaseEventKind.MODERATED,
            actor=actor,
            data={
                "action": action.value,
                "message": message.pk,
                "external_id": message.external_id,
                "outcome": receipt.status.value,
                "error": receipt.error[:500],
            },
        )
    return receipt
