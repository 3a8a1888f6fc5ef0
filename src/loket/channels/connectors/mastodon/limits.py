"""Reading Mastodon's rate-limit headers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

SHORTEST_WAIT = timedelta(seconds=1)
LONGEST_WAIT = timedelta(hours=1)
# Numbers this large in X-RateLimit-Reset are a Unix time, smaller ones a number of seconds.
_EPOCH_THRESHOLD = 1_000_000_000


def retry_after(
    headers: Mapping[str, str], *, rate_limited: bool, now: datetime | None = None
) -> timedelta | None:
    """How long to wait before trying again, if the server says.

    Mastodon answers 429 with `X-RateLimit-Reset`, an ISO 8601 time; some servers and
    proxies send a Unix time there, or `Retry-After` (seconds or an HTTP date) instead.
    """
    now = now or datetime.now(UTC)
    candidates = ["X-RateLimit-Reset", "Retry-After"] if rate_limited else ["Retry-After"]
    for name in candidates:
        value = (headers.get(name) or "").strip()
        if value and (wait := _wait_until(value, now)) is not None:
            return min(max(wait, SHORTEST_WAIT), LONGEST_WAIT)
    return None


def _wait_until(value: str, now: datetime) -> timedelta | None:
    if value.isdigit():
        if len(value) > 11:  # no time Mastodon could mean, and it would overflow
            return None
        number = int(value)
        if number >= _EPOCH_THRESHOLD:
            try:
                return datetime.fromtimestamp(number, UTC) - now
            except (ValueError, OverflowError, OSError):
                return None
        return timedelta(seconds=number)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment - now


def remaining(headers: Mapping[str, str]) -> int | None:
    value = (headers.get("X-RateLimit-Remaining") or "").strip()
    return int(value) if value.isdigit() else None
