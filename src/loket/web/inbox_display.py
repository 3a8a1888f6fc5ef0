"""What the inbox pages show, worked out from what the selectors return: list rows with their
overdue marker, the reply composer's channel limits, and the case history as readable lines.

Pure presentation: no queries of their own beyond the selectors passed in, and no writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from loket.channels import selectors as channel_selectors
from loket.channels.contracts import Visibility
from loket.inbox.models import (
    CaseEventKind,
    CaseStatus,
    ClosingReason,
    ConversationKind,
    Direction,
    Priority,
)
from loket.inbox.workflow import Action, IllegalTransition, next_status
from loket.web.forms import LANGUAGE_CHOICES
from loket.web.inbox_forms import (
    ACTION_LABELS,
    MESSAGE_TYPE_LABELS,
    SENTIMENT_LABELS,
    STATUS_ACTIONS,
)

if TYPE_CHECKING:
    from loket.inbox.models import Case, CaseEvent, Message

LABEL_NAMES = {
    "message_type": gettext_lazy("Type"),
    "topic": gettext_lazy("Topic"),
    "language": gettext_lazy("Language"),
    "sentiment": gettext_lazy("Sentiment"),
}


def is_overdue(case: Case, now: datetime) -> bool:
    """The first response is due and none was given (closed cases are never overdue)."""
    return (
        case.first_response_due is not None
        and case.first_response_due < now
        and case.first_responded_at is None
        and case.status != CaseStatus.CLOSED
    )


@dataclass(frozen=True)
class Row:
    """One line of the inbox list, as text the template only prints: nested lookups and
    filters in the template, fifty rows over, cost more than the list query itself."""

    case: Case
    overdue: bool
    number: int
    url: str
    subject: str
    citizen: str
    profile: str
    status: str
    priority: str  # the label; `priority_value` for the row's class
    priority_value: str
    team: str
    assignee: str
    created: str  # ISO 8601 in the current time zone, for <time datetime>
    age: str  # "3 days, 2 hours"
    language: str


def rows(cases: Iterable[Case], now: datetime, *, link: Callable[[Case], str]) -> list[Row]:
    """The list's rows; the cases come with their team, assignee, profile and citizen."""
    no_subject, nobody = _("(no subject)"), _("nobody")
    # Translated once for the page (get_status_display rebuilds its table for every call).
    statuses = {str(value): str(label) for value, label in CaseStatus.choices}
    priorities = {str(value): str(label) for value, label in Priority.choices}
    return [
        Row(
            case=case,
            overdue=is_overdue(case, now),
            number=case.number,
            url=link(case),
            subject=case.subject or no_subject,
            citizen=(case.contact.display_name if case.contact else "") or "—",
            profile=case.channel_account.name,
            status=statuses.get(case.status, case.status),
            priority=priorities.get(case.priority, case.priority),
            priority_value=case.priority,
            team=case.team.name if case.team else "—",
            assignee=(
                (case.assignee.get_full_name() or case.assignee.get_username())
                if case.assignee
                else nobody
            ),
            created=timezone.localtime(case.created_at).isoformat(),
            age=timesince(case.created_at, now),
            language=case.language,
        )
        for case in cases
    ]


def status_label(value: str) -> str:
    try:
        return str(CaseStatus(value).label)
    except ValueError:
        return value or "—"


def label_value(label: str, value: str) -> str:
    """A triage label's value as people read it."""
    if not value:
        return _("unknown")
    tables: dict[str, Mapping[Any, Any]] = {
        "message_type": MESSAGE_TYPE_LABELS,
        "sentiment": SENTIMENT_LABELS,
        "language": dict(LANGUAGE_CHOICES),
    }
    names = tables.get(label, {})
    return str(names.get(value, value))


def allowed_actions(status: str) -> list[tuple[str, str]]:
    """The status moves the workflow allows from this status, as (action, label)."""
    allowed = []
    for action in STATUS_ACTIONS:
        try:
            next_status(status, action)
        except IllegalTransition:
            continue
        allowed.append((str(action), str(ACTION_LABELS[action])))
    return allowed


def may(status: str, action: Action) -> bool:
    return any(value == action for value, _label in allowed_actions(status))


# ---------------------------------------------------------------------------------------
# The reply composer


@dataclass(frozen=True)
class Composer:
    max_length: int
    visibilities: list[tuple[str, str]]
    default_visibility: str
    targets: list[tuple[int, str]]
    several_citizens: bool

    @property
    def can_send(self) -> bool:
        return bool(self.visibilities) and bool(self.targets)


def composer(inbound: list[Message], citizen_count: int) -> Composer:
    """What the channel of the latest citizen message allows: public and/or private, and the
    shortest maximum length among the profiles the case's citizens wrote on."""
    if not inbound:
        return Composer(0, [], "", [], False)
    latest = inbound[-1]
    capabilities = channel_selectors.capabilities_of(latest.channel_account)
    accounts = {message.channel_account_id: message.channel_account for message in inbound}
    max_length = min(
        channel_selectors.capabilities_of(account).max_length for account in accounts.values()
    )
    public_thread = latest.conversation.kind == ConversationKind.PUBLIC_THREAD
    visibilities = []
    if public_thread and capabilities.public_reply:
        visibilities.append((str(Visibility.PUBLIC), _("Public reply, under the comment")))
    if capabilities.private_reply and (not public_thread or capabilities.private_reply_to_public):
        visibilities.append((str(Visibility.PRIVATE), _("Private message")))
    values = [value for value, _label in visibilities]
    default = latest.visibility if latest.visibility in values else (values[0] if values else "")
    targets = [
        (message.pk, f"{message.author_name or _('Citizen')}: {_excerpt(message.text)}")
        for message in reversed(inbound)
    ]
    return Composer(
        max_length=max_length,
        visibilities=visibilities,
        default_visibility=default,
        targets=targets,
        several_citizens=citizen_count > 1,
    )


def _excerpt(text: str, length: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def author_of(message: Message) -> str:
    if message.direction == Direction.OUTBOUND:
        user = message.author_user
        if user is not None:
            return user.get_full_name() or user.get_username()
        return message.author_name or _("Us")
    contact = message.author_contact
    return message.author_name or (contact.display_name if contact else "") or _("Citizen")


# ---------------------------------------------------------------------------------------
# The history


@dataclass(frozen=True)
class Line:
    """One event of the case history, said in words."""

    event: CaseEvent
    actor: str
    summary: str
    body: str = ""  # a note's text: shown escaped, with its line breaks
    case_link: int | None = None  # another case the event points at


def timeline(
    events: Iterable[CaseEvent], *, team_names: Mapping[int, str], user_names: Mapping[int, str]
) -> list[Line]:
    return [_line(event, team_names, user_names) for event in events]


def _actor(event: CaseEvent) -> str:
    if event.actor is not None:
        return event.actor.get_full_name() or event.actor.get_username()
    return event.actor_name or _("Loket")


def _line(event: CaseEvent, team_names: Mapping[int, str], user_names: Mapping[int, str]) -> Line:
    data: dict[str, Any] = event.data or {}
    kind = event.kind
    actor = _actor(event)
    if kind == CaseEventKind.CREATED:
        if data.get("split_from"):
            return Line(
                event,
                actor,
                _("Case opened with messages split off case #%(number)s.")
                % {"number": data["split_from"]},
                case_link=data["split_from"],
            )
        return Line(event, actor, _("Case opened for a new citizen message."))
    if kind == CaseEventKind.MESSAGE:
        return Line(event, actor, _("A new citizen message joined the case."))
    if kind == CaseEventKind.TRIAGED:
        summary = _("Triage: type %(type)s, language %(language)s, sentiment %(sentiment)s.") % {
            "type": label_value("message_type", data.get("message_type", "")),
            "language": label_value("language", data.get("language", "")),
            "sentiment": label_value("sentiment", data.get("sentiment", "")),
        }
        if data.get("urgent"):
            summary += " " + _("Marked urgent.")
        if data.get("personal_data"):
            summary += " " + _("Contains personal data.")
        return Line(event, actor, summary)
    if kind == CaseEventKind.LABEL_CORRECTED:
        label = data.get("label", "")
        return Line(
            event,
            actor,
            _("%(label)s corrected from “%(before)s” to “%(after)s”.")
            % {
                "label": LABEL_NAMES.get(label, label),
                "before": label_value(label, data.get("from") or ""),
                "after": label_value(label, data.get("to") or ""),
            },
        )
    if kind == CaseEventKind.ASSIGNED:
        after = data.get("to") or {}
        person = user_names.get(after.get("assignee") or 0) or data.get("assignee_name")
        team = team_names.get(after.get("team") or 0)
        if person and team:
            text = _("Assigned to %(person)s (team %(team)s).") % {"person": person, "team": team}
        elif person:
            text = _("Assigned to %(person)s.") % {"person": person}
        elif team:
            text = _("Given to team %(team)s, no one in particular.") % {"team": team}
        else:
            text = _("Unassigned.")
        return Line(event, actor, text)
    if kind == CaseEventKind.STATUS_CHANGED:
        text = _("Status changed from %(before)s to %(after)s.") % {
            "before": status_label(data.get("from", "")),
            "after": status_label(data.get("to", "")),
        }
        if data.get("reason"):
            try:
                reason = str(ClosingReason(data["reason"]).label)
            except ValueError:
                reason = str(data["reason"])
            text += " " + _("Reason: %(reason)s.") % {"reason": reason}
        if data.get("because") == "citizen_wrote":
            text += " " + _("The citizen wrote again.")
        return Line(event, actor, text)
    if kind == CaseEventKind.PRIORITY_CHANGED:
        return Line(
            event,
            actor,
            _("Priority changed from %(before)s to %(after)s.")
            % {"before": _priority(data.get("from", "")), "after": _priority(data.get("to", ""))},
        )
    if kind == CaseEventKind.TAGGED:
        tags = data.get("to") or []
        if tags:
            return Line(event, actor, _("Tags set: %(tags)s.") % {"tags": ", ".join(tags)})
        return Line(event, actor, _("Tags removed."))
    if kind == CaseEventKind.REPLIED:
        count = int(data.get("recipients") or 1)
        if data.get("visibility") == Visibility.PRIVATE:
            text = ngettext(
                "Replied privately to %(count)d citizen.",
                "Replied privately to %(count)d citizens.",
                count,
            )
        else:
            text = ngettext(
                "Replied in public to %(count)d citizen.",
                "Replied in public to %(count)d citizens.",
                count,
            )
        return Line(event, actor, text % {"count": count})
    if kind == CaseEventKind.NOTE:
        mentions = data.get("mentions") or []
        summary = _("Internal note.")
        if mentions:
            summary += " " + _("Mentions: %(names)s.") % {"names": ", ".join(mentions)}
        return Line(event, actor, summary, body=str(data.get("text", "")))
    if kind == CaseEventKind.MERGED:
        moved = len(data.get("messages") or [])
        if data.get("into"):
            return Line(
                event,
                actor,
                ngettext(
                    "Merged into case #%(number)s (%(count)d message moved).",
                    "Merged into case #%(number)s (%(count)d messages moved).",
                    moved,
                )
                % {"number": data["into"], "count": moved},
                case_link=data["into"],
            )
        return Line(
            event,
            actor,
            ngettext(
                "Case #%(number)s was merged into this case (%(count)d message).",
                "Case #%(number)s was merged into this case (%(count)d messages).",
                moved,
            )
            % {"number": data.get("from"), "count": moved},
            case_link=data.get("from"),
        )
    if kind == CaseEventKind.SPLIT:
        return Line(
            event,
            actor,
            ngettext(
                "%(count)d message moved to new case #%(number)s.",
                "%(count)d messages moved to new case #%(number)s.",
                len(data.get("messages") or []),
            )
            % {"count": len(data.get("messages") or []), "number": data.get("into")},
            case_link=data.get("into"),
        )
    if kind == CaseEventKind.HANDED_OVER:
        return Line(event, actor, _("Handed over to another organisation."))
    if kind == CaseEventKind.MODERATED:
        return Line(event, actor, _moderation_summary(data))
    return Line(event, actor, str(kind))


def _priority(value: str) -> str:
    try:
        return str(Priority(value).label)
    except ValueError:
        return value or "—"


def _moderation_summary(data: Mapping[str, Any]) -> str:
    """A moderation on the platform and what the platform answered."""
    action = data.get("action")
    if data.get("outcome") == "sent":
        done = {
            "hide": _("Hid a citizen's comment on the platform."),
            "unhide": _("Made a citizen's comment visible again on the platform."),
            "delete": _("Deleted a citizen's comment on the platform (Loket keeps its copy)."),
        }
        return done.get(str(action), _("Moderated a comment on the platform."))
    failed = {
        "hide": _("Hiding a citizen's comment on the platform failed: %(error)s"),
        "unhide": _("Making a citizen's comment visible again failed: %(error)s"),
        "delete": _("Deleting a citizen's comment on the platform failed: %(error)s"),
    }
    template = failed.get(str(action), _("Moderating a comment on the platform failed: %(error)s"))
    return template % {"error": data.get("error") or _("no reason given")}


PERSONAL_DATA_NAMES = {
    "national_number": gettext_lazy("a national register number"),
    "bis_number": gettext_lazy("a BIS number"),
    "iban": gettext_lazy("a bank account number"),
    "phone": gettext_lazy("a phone number"),
    "email": gettext_lazy("an e-mail address"),
    "address": gettext_lazy("a street address"),
}


def personal_data_labels(kinds: Iterable[str]) -> list[str]:
    """What a text holds, said in words an agent understands."""
    return [str(PERSONAL_DATA_NAMES.get(kind, kind)) for kind in kinds]
