"""Meta's reply windows, measured from the citizen's message time kept in reply_context.

Messenger, Instagram DMs and WhatsApp allow a free-form reply for 24 hours after the citizen's
last message; a private reply to a Facebook or Instagram comment is allowed once, within
7 days of the comment. The parser stores the platform's time of the message answered under
MESSAGE_TIME, so send() can check the window before calling Meta.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

MESSAGE_TIME = "message_time"
MESSAGING_WINDOW = timedelta(hours=24)
PRIVATE_REPLY_TO_COMMENT_WINDOW = timedelta(days=7)


def message_time(reply_context: Mapping[str, Any]) -> datetime | None:
    value = reply_context.get(MESSAGE_TIME)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def has_passed(
    reply_context: Mapping[str, Any], window: timedelta, *, now: datetime | None = None
) -> bool:
    """Whether the window since the message answered is over; False when its time is not
    known (Meta then decides, and its refusal comes back as a failed delivery)."""
    sent = message_time(reply_context)
    if sent is None:
        return False
    return (now or timezone.now()) - sent > window
