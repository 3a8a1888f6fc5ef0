"""Fetching new mentions: `GET /api/v1/notifications?types[]=mention&min_id=<cursor>`.

`min_id` returns the notifications immediately newer than the cursor, so walking forward
page by page from the highest id seen never skips one (no gap), and a poll that stops
half-way (a limit, an error) resumes exactly where it stopped. The cursor is the highest
notification id stored so far.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import requests

from loket.channels.connectors.mastodon.config import MastodonConfig
from loket.channels.connectors.mastodon.limits import remaining
from loket.channels.connectors.mastodon.parse import OWN_ACCOUNT_KEY
from loket.channels.contracts import PolledDelivery, PollResult

logger = logging.getLogger(__name__)

PAGE_SIZE = 40
# At most this many pages per poll; the rest follows on the next poll, from the cursor.
MAX_PAGES = 10
# Stop paging while this much of the rate limit is left, so replies can still be posted
# (Mastodon's budget of 300 requests per 5 minutes is shared by all calls of the token).
KEEP_FOR_REPLIES = 30
USER_AGENT = "Loket (Mastodon connector)"
_ID = re.compile(r"^[0-9A-Za-z_-]{1,200}$")


def id_order(notification_id: str) -> tuple[int, str]:
    """Mastodon ids are strings of digits of growing length: longer is newer, and among
    equally long ones the larger is newer."""
    return (len(notification_id), notification_id)


def poll(*, config: MastodonConfig, cursor: str) -> PollResult:
    headers = {
        "Authorization": f"Bearer {config.access_token.get_secret_value()}",
        "User-Agent": USER_AGENT,
    }
    own = {"id": config.account_id, "acct": config.acct}
    found: dict[str, PolledDelivery] = {}
    position = cursor
    for _page in range(MAX_PAGES):
        params: list[tuple[str, str | int]] = [
            ("types[]", "mention"),
            ("limit", PAGE_SIZE),
            # Mastodon 4.3+ holds back mentions its notification policy filters (by default
            # direct messages from accounts the profile does not follow); for a service
            # channel those are citizens' messages like any other.
            ("include_filtered", "true"),
        ]
        if position:
            params.append(("min_id", position))
        try:
            response = requests.get(
                f"{config.api_base}/api/v1/notifications",
                params=params,
                headers=headers,
                timeout=config.timeout_seconds,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            logger.warning("mastodon poll of %s: %s", config.api_base, type(error).__name__)
            break
        problem = _problem(response)
        if problem:
            # Nothing is stored and the cursor stays: the next poll asks again.
            return PollResult((), cursor, auth_error=problem)
        if response.status_code != 200:
            logger.warning(
                "mastodon poll of %s: HTTP %s, trying again next time",
                config.api_base,
                response.status_code,
            )
            break
        page = _notifications(response)
        if page is None:
            logger.warning("mastodon poll of %s: the answer is not a list", config.api_base)
            break
        fresh = [item for item in page if not position or id_order(item["id"]) > id_order(position)]
        if not fresh:
            break
        for item in fresh:
            found[item["id"]] = PolledDelivery(key=item["id"], body=_stored_body(item, own))
        position = max((item["id"] for item in fresh), key=id_order)
        left = remaining(response.headers)
        if left is not None and left < KEEP_FOR_REPLIES:
            break
    # Oldest first, so that a reply enters the inbox after what it answers.
    deliveries = tuple(found[key] for key in sorted(found, key=id_order))
    return PollResult(deliveries, cursor=position)


def _problem(response: requests.Response) -> str:
    """What the operator must fix before polling can work again; "" for passing trouble."""
    status = response.status_code
    if status in (401, 403):
        return (
            f"Mastodon refused the access token (HTTP {status}): it was revoked, expired "
            "or lacks the read:notifications scope"
        )
    if status in (404, 410):
        return f"Mastodon has no notifications at this address (HTTP {status}): check the server"
    if 300 <= status < 400:
        # Followed, it would take the token elsewhere; a moved server is a setting to change.
        where = response.headers.get("Location", "")[:200]
        return f"Mastodon sends Loket elsewhere (HTTP {status} to {where}): check the server"
    return ""


def _notifications(response: requests.Response) -> list[dict[str, Any]] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    notifications = []
    for item in data:
        if not isinstance(item, dict):
            continue
        key = item.get("id")
        if isinstance(key, int) and not isinstance(key, bool):
            key = str(key)
        if not isinstance(key, str) or not _ID.match(key):
            logger.warning("mastodon poll: a notification without a usable id was skipped")
            continue
        notifications.append({**item, "id": key})
    return notifications


def _stored_body(item: dict[str, Any], own: dict[str, str]) -> bytes:
    return json.dumps({**item, OWN_ACCOUNT_KEY: own}, ensure_ascii=False).encode()
