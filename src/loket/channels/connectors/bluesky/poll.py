"""Fetch new mentions, replies and quotes with `app.bsky.notification.listNotifications`.

The list comes newest first, with a cursor for older pages. Loket's own cursor is the
`indexedAt` of the newest notification it has stored: a poll pages back until it meets one
indexed before that, so nothing between two polls is skipped (up to `max_pages` pages).
Notifications indexed at exactly that moment come again and the ledger, keyed on the
notification's uri, drops them as duplicates. `isRead` is not used: it is set when anyone
looks at the notifications in the app, and was seen `true` on a fresh one.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from loket.channels.connectors.bluesky.config import BlueskyConfig
from loket.channels.connectors.bluesky.parse import ACCOUNT_DID_FIELD, MESSAGE_REASONS
from loket.channels.connectors.bluesky.xrpc import Client, LoginRefused, Unreachable, XrpcError
from loket.channels.contracts import PolledDelivery, PollResult

logger = logging.getLogger(__name__)
PAGE_SIZE = 100  # the largest page listNotifications gives


def poll(*, config: BlueskyConfig, cursor: str, client: Client) -> PollResult:
    """What was indexed since `cursor`, oldest first; never raises for platform errors."""
    seen_until = _instant(cursor)
    try:
        account_did = client.did
        fresh, newest = _fetch(config=config, client=client, seen_until=seen_until)
    except LoginRefused as error:
        return PollResult((), cursor, auth_error=str(error))
    except (XrpcError, Unreachable) as error:
        # Passing trouble (rate limit, a PDS restarting): the next poll tries again from
        # the same cursor.
        logger.warning("polling Bluesky for %s failed: %s", config.handle, error)
        return PollResult((), cursor)
    deliveries = tuple(
        PolledDelivery(
            key=item["uri"],
            body=json.dumps({**item, ACCOUNT_DID_FIELD: account_did}, ensure_ascii=False).encode(),
        )
        for item in reversed(fresh)
    )
    if config.mark_seen and newest is not None and newest != seen_until:
        _mark_seen(config=config, client=client, until=newest)
    return PollResult(deliveries, newest.isoformat() if newest else cursor)


def _fetch(
    *, config: BlueskyConfig, client: Client, seen_until: datetime | None
) -> tuple[list[dict[str, Any]], datetime | None]:
    """The notifications carrying a message since `seen_until` (newest first), and the
    newest indexing time met. The first poll of a profile takes one page only: a profile
    with years of mentions should not fill the inbox with them."""
    fresh: list[dict[str, Any]] = []
    known: set[str] = set()
    newest = seen_until
    page_cursor = ""
    pages = config.max_pages if seen_until is not None else 1
    for _page in range(pages):
        params: dict[str, Any] = {"limit": PAGE_SIZE, "reasons": list(MESSAGE_REASONS)}
        if page_cursor:
            params["cursor"] = page_cursor
        answer = client.query("app.bsky.notification.listNotifications", params)
        items = answer.get("notifications")
        items = items if isinstance(items, list) else []
        reached_seen = False
        for item in items:
            if not isinstance(item, dict):
                continue
            indexed = _instant(item.get("indexedAt"))
            if indexed is not None and seen_until is not None and indexed < seen_until:
                reached_seen = True
                continue
            if indexed is not None and (newest is None or indexed > newest):
                newest = indexed
            uri = item.get("uri")
            # An AppView that ignores `reasons` still sends likes and follows: left out here.
            # A reply that also mentions us comes twice, under one uri.
            if item.get("reason") not in MESSAGE_REASONS or not isinstance(uri, str):
                continue
            if uri and uri not in known:
                known.add(uri)
                fresh.append(item)
        next_cursor = answer.get("cursor")
        if reached_seen or not items or not isinstance(next_cursor, str) or not next_cursor:
            break
        page_cursor = next_cursor
    else:
        if seen_until is not None:
            logger.warning(
                "Bluesky %s: more than %d pages of notifications since %s; older ones skipped",
                config.handle,
                pages,
                seen_until.isoformat(),
            )
    return fresh, newest


def _mark_seen(*, config: BlueskyConfig, client: Client, until: datetime) -> None:
    """Clear the unread counter in the Bluesky app; a failure here loses nothing."""
    try:
        client.procedure(
            "app.bsky.notification.updateSeen",
            {"seenAt": until.isoformat().replace("+00:00", "Z")},
        )
    except (XrpcError, Unreachable, LoginRefused) as error:
        logger.info("Bluesky %s: marking notifications seen failed: %s", config.handle, error)


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
