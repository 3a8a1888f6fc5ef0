"""Keyset pagination of a conversation's messages, and the `next` links of list answers.

Cases page through `loket.inbox.selectors.page_of`. The inbox has no paged read of messages
yet, so the API pages the selector's ordered queryset here, in the same way: the cursor is
the last row seen, so pages never shift when messages arrive.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from loket.inbox.selectors import BadCursor

if TYPE_CHECKING:
    from loket.inbox.models import Message


@dataclass(frozen=True)
class MessagePage:
    items: list[Message]
    next_cursor: str | None


def _encode(message: Message) -> str:
    raw = json.dumps([message.platform_time.isoformat(), message.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, pk = json.loads(raw)
        when = parse_datetime(moment)
        if when is None or timezone.is_naive(when):
            raise ValueError
        when = when.astimezone(UTC)  # a time near year 1 or 9999 may not convert
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 <= pk < 2**63:
            raise ValueError
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError) as error:
        raise BadCursor("not a cursor of this list") from error
    return when, pk


def message_page(messages: QuerySet[Message], *, limit: int, cursor: str | None) -> MessagePage:
    """Oldest first, as a conversation reads."""
    ordered = messages.order_by("platform_time", "id")
    if cursor:
        when, pk = _decode(cursor)
        ordered = ordered.filter(Q(platform_time__gt=when) | Q(platform_time=when, id__gt=pk))
    rows = list(ordered[: limit + 1])
    items = rows[:limit]
    more = len(rows) > limit
    return MessagePage(items=items, next_cursor=_encode(items[-1]) if more and items else None)


def next_link(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's URL with every parameter kept and the cursor moved on, or None."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
