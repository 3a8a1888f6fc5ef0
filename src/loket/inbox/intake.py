"""The intake pipeline: the path of every citizen message, as one readable list of stages.

The raw delivery was already stored in the channels ledger by the webhook (or a poller).
`process_event` runs the stages below for each message in it, all in one transaction together
with marking the ledger row processed: a worker killed halfway leaves nothing behind, and the
retry starts clean. Each stage is idempotent on its own as well (a message already stored is
found, not stored again), so the same event delivered twice never doubles anything.

Changing the flow means editing STAGES.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from loket.channels import registry
from loket.channels import selectors as channel_selectors
from loket.channels import services as channel_services
from loket.channels.contracts import (
    Capabilities,
    ConversationKind,
    IdentityScope,
    InboundMessage,
    PayloadError,
)
from loket.inbox import contacts, grouping, history, notifications
from loket.inbox.models import (
    PRIORITY_RANK,
    Case,
    CaseEventKind,
    CaseStatus,
    Contact,
    ContactIdentity,
    Conversation,
    Direction,
    Message,
    Priority,
)
from loket.inbox.numbering import next_case_number
from loket.inbox.workflow import Action, next_status
from loket.triage import rules as triage_rules
from loket.triage.contracts import TriageResult

logger = logging.getLogger(__name__)

# Until the strategy sets response norms per channel and type (business hours), a first
# response is due within a day of wall-clock time.
DEFAULT_FIRST_RESPONSE = timedelta(hours=24)
# A private conversation whose case was closed longer ago than this starts a new case.
REOPEN_WINDOW = timedelta(days=30)
MAX_TEXT = 20_000


@dataclass
class Intake:
    """Everything one message collects on its way through the stages."""

    account: Any
    capabilities: Capabilities
    incoming: InboundMessage
    text: str = ""
    duplicate: bool = False
    conversation: Conversation | None = None
    contact: Contact | None = None
    message: Message | None = None
    triage: TriageResult | None = None
    team: Any = None
    case: Case | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def organisation(self) -> Any:
        return self.account.organisation


def normalise(intake: Intake) -> None:
    """NFC text without control characters, within the length Loket keeps."""
    intake.text = triage_rules.normalise(intake.incoming.text)[:MAX_TEXT]


def deduplicate(intake: Intake) -> None:
    """A message we already have, or one we sent ourselves (the echo guard), stops here."""
    external_id = intake.incoming.external_id
    existing = (
        Message.objects.filter(channel_account=intake.account, external_id=external_id)
        .exclude(external_id="")  # lets the database use the partial unique index
        .first()
    )
    if (
        existing is not None
        or intake.incoming.is_echo
        or channel_selectors.is_own_message(intake.account, external_id)
    ):
        intake.duplicate = True
        intake.message = existing


def thread(intake: Intake) -> None:
    """The conversation this message belongs to, and the contact who wrote it."""
    incoming = intake.incoming
    conversation, _created = Conversation.objects.get_or_create(
        channel_account=intake.account,
        external_thread_id=incoming.thread_id,
        defaults={
            "organisation": intake.organisation,
            "kind": incoming.kind.value,
            "title": incoming.thread_title[:300],
        },
    )
    intake.conversation = conversation
    scope = (
        intake.account.connector
        if intake.capabilities.identity_scope is IdentityScope.PLATFORM
        else f"{intake.account.connector}:{intake.account.public_id}"
    )
    identity = (
        ContactIdentity.objects.select_related("contact")
        .filter(
            organisation=intake.organisation,
            scope=scope,
            external_id=incoming.author.external_id,
        )
        .first()
    )
    if identity is None:
        contact = Contact.objects.create(
            organisation=intake.organisation, display_name=incoming.author.name[:200]
        )
        identity = ContactIdentity.objects.create(
            organisation=intake.organisation,
            contact=contact,
            scope=scope,
            external_id=incoming.author.external_id,
            name=incoming.author.name[:200],
        )
    intake.contact = contacts.effective(identity.contact)


def store(intake: Intake) -> None:
    incoming = intake.incoming
    assert intake.conversation is not None
    labels = intake.triage
    assert labels is not None
    intake.message = Message.objects.create(
        language=labels.language,
        message_type=labels.message_type.value,
        sentiment=labels.sentiment.value,
        urgent=labels.urgent,
        personal_data=list(labels.personal_data),
        abuse=labels.abuse,
        helpline=labels.helpline,
        topic=labels.topic,
        organisation=intake.organisation,
        conversation=intake.conversation,
        channel_account=intake.account,
        direction=Direction.INBOUND,
        visibility=incoming.visibility.value,
        text=intake.text,
        attachments=[
            {"kind": a.kind, "name": a.name, "url": a.url, "size": a.size}
            for a in incoming.attachments
        ],
        reply_context=dict(incoming.reply_context),
        external_id=incoming.external_id,
        in_reply_to_external_id=incoming.in_reply_to or "",
        author_contact=intake.contact,
        author_name=incoming.author.name[:200],
        platform_time=incoming.created_at,
    )
    if (
        intake.conversation.last_message_at is None
        or incoming.created_at > intake.conversation.last_message_at
    ):
        intake.conversation.last_message_at = incoming.created_at
        intake.conversation.save(update_fields=["last_message_at"])


def triage(intake: Intake) -> None:
    """Language, type, sentiment, urgency and personal data of the message."""
    intake.triage = triage_rules.triage(
        intake.text, default_language=intake.account.default_language
    )


def route(intake: Intake) -> None:
    """Which team handles it: the profile's default team (routing rules come on top)."""
    intake.team = intake.account.team


def open_or_attach_case(intake: Intake) -> None:
    assert intake.message is not None and intake.conversation is not None
    case = _case_to_join(intake)
    if case is None:
        intake.case = _open_case(intake)
    else:
        intake.case = _attach(intake, case)
    message = intake.message
    message.case = intake.case
    message.save(update_fields=["case"])
    intake.case.conversations.add(intake.conversation)


def notify(intake: Intake) -> None:
    """An urgent case jumps the queue: whoever assigns cases, and its team, hear of it now."""
    case = intake.case
    assert case is not None and intake.triage is not None
    if intake.triage.urgent and case.priority == Priority.URGENT:
        notifications.urgent_case(case=case)


def start_clock(intake: Intake) -> None:
    """The first-response clock starts when the case does."""
    case = intake.case
    assert case is not None
    if case.first_response_due is None and case.first_responded_at is None:
        case.first_response_due = case.created_at + DEFAULT_FIRST_RESPONSE
        case.save(update_fields=["first_response_due"])


STAGES: list[Callable[[Intake], None]] = [
    normalise,
    deduplicate,
    thread,
    triage,
    store,
    route,
    open_or_attach_case,
    notify,
    start_clock,
]


def run(intake: Intake) -> Intake:
    for stage in STAGES:
        stage(intake)
        if intake.duplicate:
            break
    return intake


def process_event(event_id: int) -> int:
    """Turn one stored delivery into messages and cases; returns how many messages were new."""
    with transaction.atomic():
        pending = channel_services.claim_event(event_id=event_id)
        if pending is None:  # processed already, by an earlier delivery of this task
            return 0
        return _process(pending)


def process_pending(*, seconds: float, settle_seconds: float = 0.0) -> tuple[int, bool]:
    """Process pending deliveries oldest first, one transaction each, for at most `seconds`.

    When none is left, look once more after `settle_seconds` (see inbox.tasks). Returns how
    many deliveries were processed and whether none is left.
    """
    deadline = time.monotonic() + seconds
    processed = 0
    settled = False
    while time.monotonic() < deadline:
        with transaction.atomic():
            pending = channel_services.claim_next_event()
            if pending is not None:
                _process(pending)
        if pending is not None:
            processed += 1
            settled = False
        elif settled or settle_seconds <= 0:
            return processed, True
        else:
            time.sleep(settle_seconds)
            settled = True
    return processed, False


def _process(pending: channel_selectors.PendingEvent) -> int:
    try:
        connector = registry.connector(pending.account.connector)
        incoming = connector.parse(pending.body)
    except (PayloadError, registry.UnknownConnector) as error:
        channel_services.mark_rejected(event_id=pending.event_id, error=str(error))
        return 0
    new = 0
    for message in sorted(incoming, key=lambda m: m.created_at):
        intake = run(
            Intake(account=pending.account, capabilities=connector.capabilities, incoming=message)
        )
        new += not intake.duplicate
    channel_services.mark_processed(event_id=pending.event_id)
    return new


# ---------------------------------------------------------------------------------------
# How a message finds its case.


def _live(case: Case) -> Case:
    """Follow merges to the case that lives on."""
    while case.merged_into_id is not None:
        case = Case.objects.get(pk=case.merged_into_id)
    return case


def _case_to_join(intake: Intake) -> Case | None:
    message, conversation = intake.message, intake.conversation
    assert message is not None and conversation is not None
    related = Message.objects.filter(
        channel_account=intake.account, case__isnull=False
    ).select_related("case")
    # 1. A reply joins the case of what it replies to.
    if message.in_reply_to_external_id:
        parent = (
            related.filter(external_id=message.in_reply_to_external_id)
            .exclude(external_id="")
            .first()
        )
        if parent is None:  # a reply to one of our replies: known by its delivery's id
            parent = related.filter(delivery__external_id=message.in_reply_to_external_id).first()
        if parent is not None and parent.case is not None:
            return _live(parent.case)
    # 2. A message that arrives after its replies (out of order) joins their case.
    child = related.filter(in_reply_to_external_id=message.external_id).first()
    if child is not None and child.case is not None:
        return _live(child.case)
    cases = Case.objects.filter(messages__conversation=conversation, merged_into__isnull=True)
    # 3. Private conversations, e-mail and forms: the conversation's latest case.
    if conversation.kind != ConversationKind.PUBLIC_THREAD:
        latest = cases.order_by("-last_activity_at", "-id").first()
        if latest is None:
            return None
        closed_long_ago = (
            latest.status == CaseStatus.CLOSED
            and latest.closed_at is not None
            and timezone.now() - latest.closed_at > REOPEN_WINDOW
        )
        if closed_long_ago:
            return None
        return latest
    # 4. Public comments: the same citizen's open case under this post, or an open case
    #    under this post that asks the same thing (one case, many citizens).
    window_start = message.platform_time - grouping.WINDOW
    active = cases.exclude(status=CaseStatus.CLOSED).filter(last_activity_at__gte=window_start)
    # The same citizen adding to what they just wrote continues their case; a later,
    # unrelated comment by them under the same post is a case of its own.
    follow_up_since = message.platform_time - grouping.FOLLOW_UP
    own = (
        active.filter(messages__author_contact=intake.contact, last_inbound_at__gte=follow_up_since)
        .order_by("-id")
        .first()
    )
    if own is not None:
        return own
    for candidate in active.distinct().order_by("-last_activity_at")[: grouping.CANDIDATES]:
        texts = candidate.messages.filter(direction=Direction.INBOUND).values_list(
            "text", flat=True
        )[: grouping.SAMPLE]
        if any(grouping.same_question(message.text, text) for text in texts):
            return candidate
    return None


def _open_case(intake: Intake) -> Case:
    assert intake.message is not None and intake.triage is not None
    triaged = intake.triage
    priority = Priority.URGENT if triaged.urgent else Priority.NORMAL
    case = Case.objects.create(
        organisation=intake.organisation,
        number=next_case_number(intake.organisation),
        subject=case_subject(intake.text),
        team=intake.team,
        contact=intake.contact,
        channel_account=intake.account,
        priority=priority,
        priority_rank=PRIORITY_RANK[priority],
        message_type=triaged.message_type.value,
        language=triaged.language,
        sentiment=triaged.sentiment.value,
        topic=triaged.topic,
        last_inbound_at=intake.message.platform_time,
    )
    history.record(case, CaseEventKind.CREATED, data={"message": intake.message.pk})
    history.record(
        case,
        CaseEventKind.TRIAGED,
        data={
            "language": triaged.language,
            "message_type": triaged.message_type.value,
            "sentiment": triaged.sentiment.value,
            "urgent": triaged.urgent,
            "personal_data": list(triaged.personal_data),
            "team": intake.team.pk if intake.team else None,
        },
    )
    return case


def _attach(intake: Intake, case: Case) -> Case:
    assert intake.message is not None and intake.triage is not None
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = case.status
    case.status = next_status(case.status, Action.CITIZEN_WROTE, closing_reason=case.closing_reason)
    if case.status != before:
        case.closing_reason = ""
        case.closed_at = None
    sent_at: datetime = intake.message.platform_time
    if case.last_inbound_at is None or sent_at > case.last_inbound_at:
        case.last_inbound_at = sent_at
    if intake.triage.urgent and case.priority != Priority.URGENT:
        case.priority, case.priority_rank = Priority.URGENT, PRIORITY_RANK[Priority.URGENT]
    case.last_activity_at = timezone.now()
    case.save()
    history.record(case, CaseEventKind.MESSAGE, data={"message": intake.message.pk})
    if case.status != before:
        history.record(
            case,
            CaseEventKind.STATUS_CHANGED,
            data={"from": before, "to": case.status, "because": "citizen_wrote"},
        )
    return case


def case_subject(text: str) -> str:
    """A case's subject: the first line of its first message, shortened."""
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return first_line if len(first_line) <= 120 else first_line[:119] + "…"
