"""Reads of the inbox for the pages and the API: filtered case lists with keyset pagination,
one case with its whole conversation, a contact with their earlier cases."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from loket.inbox.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Contact,
    Conversation,
    Direction,
    Message,
    SavedView,
)

MAX_PAGE = 500
MIN_CURSOR_YEAR, MAX_CURSOR_YEAR = 1970, 9998


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class CaseFilter:
    """What the inbox list shows. Empty fields do not filter."""

    status: str = "active"  # a status, "active" (not closed) or "all"
    channel: int | None = None  # channel account id
    team: int | None = None
    assignee: str = ""  # a user id, "me" or "none"
    message_type: str = ""
    topic: str = ""
    language: str = ""
    priority: str = ""
    sentiment: str = ""
    overdue: bool = False
    query: str = ""  # words in the subject

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CaseFilter:
        """From query parameters or a saved view; unknown or malformed values are ignored."""
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = data.get(spec.name)
            if raw in (None, ""):
                continue
            if spec.name in {"channel", "team"}:
                try:
                    values[spec.name] = int(str(raw))
                except ValueError:
                    continue
            elif spec.name == "overdue":
                values[spec.name] = str(raw).lower() in {"1", "true", "on", "yes"}
            else:
                values[spec.name] = str(raw)[:100]
        return cls(**values)

    def as_query(self) -> dict[str, str]:
        default = CaseFilter()
        return {
            spec.name: str(int(value) if isinstance(value, bool) else value)
            for spec in fields(self)
            if (value := getattr(self, spec.name)) != getattr(default, spec.name)
        }


def cases_of(organisation: Any, case_filter: CaseFilter, *, user: Any = None) -> QuerySet[Case]:
    cases = Case.objects.for_organisation(organisation).filter(merged_into__isnull=True)
    f = case_filter
    if f.status == "active":
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif f.status in CaseStatus.values:
        cases = cases.filter(status=f.status)
    if f.channel is not None:
        cases = cases.filter(channel_account_id=f.channel)
    if f.team is not None:
        cases = cases.filter(team_id=f.team)
    if f.assignee == "me" and user is not None:
        cases = cases.filter(assignee=user)
    elif f.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif f.assignee.isascii() and f.assignee.isdigit():
        cases = cases.filter(assignee_id=int(f.assignee))
    for name in ("message_type", "topic", "language", "priority", "sentiment"):
        if value := getattr(f, name):
            cases = cases.filter(**{name: value})
    if f.overdue:
        cases = cases.filter(
            first_response_due__lt=timezone.now(), first_responded_at__isnull=True
        ).exclude(status=CaseStatus.CLOSED)
    if f.query:
        for word in f.query.split()[:5]:
            cases = cases.filter(subject__icontains=word)
    return cases


@dataclass(frozen=True)
class Page[T]:
    items: list[T]
    next_cursor: str | None


def _encode(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, pk = json.loads(raw)
        when = parse_datetime(moment)
        if when is None or when.utcoffset() is None or not isinstance(pk, int):
            raise ValueError
        # Within what every database stores: an absurd cursor is refused, not a crash.
        when = when.astimezone(UTC)
        if isinstance(pk, bool) or not (
            MIN_CURSOR_YEAR <= when.year <= MAX_CURSOR_YEAR and 0 <= pk < 2**63
        ):
            raise ValueError
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError) as error:
        raise BadCursor("not a cursor of this list") from error
    return when, pk


def _keyset_page[M: Model](
    rows: QuerySet[M], *, by: str, newest_first: bool, limit: int, cursor: str | None
) -> Page[M]:
    """Rows ordered by (`by`, id); the cursor is the last row seen, so pages never shift."""
    limit = max(1, min(limit, MAX_PAGE))
    sign = "-" if newest_first else ""
    ordered = rows.order_by(f"{sign}{by}", f"{sign}id")
    if cursor:
        when, pk = _decode(cursor)
        beyond, edge = ("lt", "lte") if newest_first else ("gt", "gte")
        # The plain range first, so the database walks the index from the cursor on.
        ordered = ordered.filter(**{f"{by}__{edge}": when}).filter(
            Q(**{f"{by}__{beyond}": when}) | Q(**{by: when, f"id__{beyond}": pk})
        )
    found = list(ordered[: limit + 1])
    items = found[:limit]
    more = len(found) > limit and bool(items)
    return Page(
        items=items,
        next_cursor=_encode(getattr(items[-1], by), items[-1].pk) if more else None,
    )


def page_of(cases: QuerySet[Case], *, limit: int, cursor: str | None = None) -> Page[Case]:
    """Newest activity first."""
    related = cases.select_related("team", "assignee", "channel_account", "contact")
    return _keyset_page(
        related, by="last_activity_at", newest_first=True, limit=limit, cursor=cursor
    )


def message_page(
    messages: QuerySet[Message], *, limit: int, cursor: str | None = None
) -> Page[Message]:
    """Oldest first, as a conversation reads."""
    return _keyset_page(
        messages, by="platform_time", newest_first=False, limit=limit, cursor=cursor
    )


def count(cases: QuerySet[Case], cap: int = 1000) -> int:
    """Counts for view tabs, capped so a huge backlog does not slow the page ("1000+")."""
    return cases.order_by()[:cap].count()


def case_of(organisation: Any, number: int) -> Case | None:
    return (
        Case.objects.for_organisation(organisation)
        .select_related("team", "assignee", "contact", "channel_account", "merged_into")
        .filter(number=number)
        .first()
    )


def case_by_id(organisation: Any, case_id: int) -> Case | None:
    return (
        Case.objects.for_organisation(organisation)
        .select_related("team", "assignee", "contact", "channel_account")
        .filter(pk=case_id)
        .first()
    )


def messages_of(case: Case) -> QuerySet[Message]:
    return case.messages.select_related(
        "conversation", "channel_account", "author_contact", "author_user", "delivery"
    ).order_by("platform_time", "id")


def history_of(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")


def conversation_of(organisation: Any, conversation_id: int) -> Conversation | None:
    return Conversation.objects.for_organisation(organisation).filter(pk=conversation_id).first()


def conversation_messages(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("author_contact", "delivery").order_by(
        "platform_time", "id"
    )


def contact_of(organisation: Any, contact_id: int) -> Contact | None:
    return (
        Contact.objects.for_organisation(organisation)
        .prefetch_related("identities")
        .filter(pk=contact_id)
        .first()
    )


def earlier_cases(case: Case, limit: int = 10) -> list[Case]:
    """Other cases of the citizens in this case, newest first.

    In two steps on purpose: the citizens' case ids by the author index, then those cases;
    one combined query lets SQLite walk all the organisation's cases instead.
    """
    authors = set(
        case.messages.filter(direction=Direction.INBOUND, author_contact__isnull=False).values_list(
            "author_contact_id", flat=True
        )
    )
    if not authors:
        return []
    case_ids = set(
        Message.objects.filter(author_contact_id__in=authors, case__isnull=False).values_list(
            "case_id", flat=True
        )[:5000]
    )
    case_ids.discard(case.pk)
    return list(
        Case.objects.filter(organisation=case.organisation, pk__in=case_ids).order_by(
            "-created_at"
        )[:limit]
    )


def citizens_of(case: Case) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(messages__case=case, messages__direction=Direction.INBOUND)
        .annotate(message_count=Count("messages", filter=Q(messages__case=case)))
        .prefetch_related(Prefetch("identities"))
        .distinct()
    )


def saved_views(organisation: Any, user: Any) -> QuerySet[SavedView]:
    return SavedView.objects.for_organisation(organisation).filter(
        Q(owner=user) | Q(owner__isnull=True)
    )


def saved_view_of(organisation: Any, user: Any, view_id: int) -> SavedView | None:
    return saved_views(organisation, user).filter(pk=view_id).first()


def recent_topics(organisation: Any, *, limit: int, sample: int = 2000) -> list[str]:
    """Topics of the most recently active cases: an index walk, not a scan of all cases."""
    recent = (
        Case.objects.for_organisation(organisation)
        .order_by("-last_activity_at", "-id")
        .values_list("topic", flat=True)[:sample]
    )
    return sorted({topic for topic in recent if topic})[:limit]


def cases_of_contact(contact: Contact, limit: int = 50) -> list[Case]:
    """Cases in which this contact (or a contact merged into it) wrote, newest first."""
    from loket.inbox.contacts import family

    written = Message.objects.filter(author_contact__in=family(contact), case__isnull=False).values(
        "case_id"
    )
    return list(
        Case.objects.filter(organisation=contact.organisation, pk__in=written).order_by(
            "-created_at"
        )[:limit]
    )
