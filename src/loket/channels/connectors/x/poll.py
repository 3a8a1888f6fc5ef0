"""Polling, for profiles whose X app has no webhook access: mentions and direct messages.

`GET /2/users/{id}/mentions` takes `since_id`, so its cursor is the newest mention seen.
`GET /2/dm_events` has no such parameter: it is read newest first until an event seen
before. Both positions live in one JSON cursor that the framework stores together with the
deliveries, so a crash polls the same items again and the ledger ignores them.

Each of the two is fetched on its own: a rate limit or a server error on one keeps that
one's position and delivers nothing from it, while the other goes on. An expired or revoked
token (401) or missing access (403) is reported as an auth error: the profile is marked
unhealthy and nothing is stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import requests

from loket.channels.connectors.x import api
from loket.channels.connectors.x.config import XConfig
from loket.channels.contracts import PolledDelivery, PollResult

ID = re.compile(r"[0-9]{1,20}")
PAGE_SIZE = 100
# Pages read per poll; more than this many new items between two polls is not expected of
# a municipal profile polled every two minutes (see the README).
MAX_PAGES = 5
POST_FIELDS = (
    "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,"
    "entities,attachments,note_tweet"
)
DM_FIELDS = "id,text,event_type,dm_conversation_id,created_at,sender_id,attachments,entities"
USER_FIELDS = "name,username"
MEDIA_FIELDS = "type,url,preview_image_url"


@dataclass
class Cursor:
    mentions_since_id: str = ""
    newest_dm_event_id: str = ""

    @classmethod
    def load(cls, value: str) -> Cursor:
        try:
            data = json.loads(value) if value else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls(
            mentions_since_id=_digits(data.get("mentions_since_id")),
            newest_dm_event_id=_digits(data.get("newest_dm_event_id")),
        )

    def dump(self) -> str:
        return json.dumps(
            {
                "mentions_since_id": self.mentions_since_id,
                "newest_dm_event_id": self.newest_dm_event_id,
            },
            separators=(",", ":"),
        )


@dataclass(frozen=True)
class Fetched:
    """What one of the two timelines gave: items and the new position, or why not."""

    deliveries: tuple[PolledDelivery, ...] = ()
    position: str | None = None  # None: keep the old position
    auth_error: str = ""


class _Refused(Exception):
    def __init__(self, fetched: Fetched) -> None:
        self.fetched = fetched


def poll(*, config: XConfig, consumer_secret: str, cursor: str) -> PollResult:
    if config.mode != "polling":
        return PollResult(deliveries=(), cursor=cursor)
    position = Cursor.load(cursor)
    deliveries: list[PolledDelivery] = []
    if config.poll_mentions:
        fetched = _mentions(config, consumer_secret, position.mentions_since_id)
        if fetched.auth_error:
            return PollResult(deliveries=(), cursor=cursor, auth_error=fetched.auth_error)
        deliveries.extend(fetched.deliveries)
        if fetched.position is not None:
            position.mentions_since_id = fetched.position
    if config.poll_direct_messages:
        fetched = _direct_messages(config, consumer_secret, position.newest_dm_event_id)
        if fetched.auth_error:
            return PollResult(deliveries=(), cursor=cursor, auth_error=fetched.auth_error)
        deliveries.extend(fetched.deliveries)
        if fetched.position is not None:
            position.newest_dm_event_id = fetched.position
    return PollResult(deliveries=tuple(deliveries), cursor=position.dump())


def _mentions(config: XConfig, consumer_secret: str, since_id: str) -> Fetched:
    params = {
        "max_results": str(PAGE_SIZE),
        "tweet.fields": POST_FIELDS,
        "expansions": "author_id,attachments.media_keys",
        "user.fields": USER_FIELDS,
        "media.fields": MEDIA_FIELDS,
    }
    if since_id:
        params["since_id"] = since_id
    deliveries: list[PolledDelivery] = []
    newest = ""
    try:
        for _page in range(MAX_PAGES):
            page = _get(config, consumer_secret, f"/2/users/{config.user_id}/mentions", params)
            includes = _includes(page)
            for post in _items(page):
                deliveries.append(_delivery(config.user_id, post, includes, post.get("author_id")))
            meta = _meta(page)
            newest = newest or _digits(meta.get("newest_id")) or _max_id(_items(page))
            next_token = meta.get("next_token")
            # A first poll takes the latest page only; after that, everything since the cursor.
            if not since_id or not isinstance(next_token, str) or not next_token:
                break
            params["pagination_token"] = next_token
    except _Refused as refused:
        return refused.fetched
    return Fetched(deliveries=tuple(deliveries), position=newest or since_id)


def _direct_messages(config: XConfig, consumer_secret: str, seen_up_to: str) -> Fetched:
    params = {
        "max_results": str(PAGE_SIZE),
        "event_types": "MessageCreate",
        "dm_event.fields": DM_FIELDS,
        "expansions": "sender_id,attachments.media_keys",
        "user.fields": USER_FIELDS,
        "media.fields": MEDIA_FIELDS,
    }
    last_seen = int(seen_up_to) if seen_up_to else 0
    deliveries: list[PolledDelivery] = []
    newest = last_seen
    try:
        for _page in range(MAX_PAGES):
            page = _get(config, consumer_secret, "/2/dm_events", params)
            includes = _includes(page)
            reached_seen = False
            for event in _items(page):
                if int(event["id"]) <= last_seen:
                    reached_seen = True
                    break
                deliveries.append(
                    _delivery(config.user_id, event, includes, event.get("sender_id"))
                )
                newest = max(newest, int(event["id"]))
            meta = _meta(page)
            next_token = meta.get("next_token")
            if reached_seen or not last_seen or not isinstance(next_token, str) or not next_token:
                break
            params["pagination_token"] = next_token
    except _Refused as refused:
        return refused.fetched
    return Fetched(deliveries=tuple(deliveries), position=str(newest) if newest else "")


def _get(
    config: XConfig, consumer_secret: str, path: str, params: dict[str, str]
) -> dict[str, Any]:
    """One page, or _Refused saying what to do with the position."""
    try:
        response = api.call(config, consumer_secret, "GET", path, params=params)
    except api.NoCredentials as error:
        raise _Refused(Fetched(auth_error=str(error))) from None
    except requests.RequestException:
        raise _Refused(Fetched()) from None  # X unreachable: the next poll tries again
    if response.status_code == 401:
        raise _Refused(
            Fetched(auth_error=f"{api.problem(response)}; the X access token needs renewing")
        )
    if response.status_code == 403:
        raise _Refused(
            Fetched(auth_error=f"{api.problem(response)}; check the X app's access and scopes")
        )
    if response.status_code == 400:
        # A position X no longer accepts would stop this timeline for good: start again
        # from the latest page, the ledger ignores what it already holds.
        raise _Refused(Fetched(position=""))
    if response.status_code != 200:
        raise _Refused(Fetched())  # 429, 5xx: keep the position, deliver nothing
    page = api.json_data(response)
    if page is None:
        raise _Refused(Fetched())
    return page


def _items(page: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's items that can be keyed; X leaves `data` out when there is nothing new."""
    data = page.get("data")
    if not isinstance(data, list):
        return []
    return [item for item in data if isinstance(item, dict) and _digits(item.get("id"))]


def _includes(page: dict[str, Any]) -> dict[str, Any]:
    includes = page.get("includes")
    return includes if isinstance(includes, dict) else {}


def _delivery(
    own_id: str, item: dict[str, Any], includes: dict[str, Any], author_id: Any
) -> PolledDelivery:
    """One item stored as a v2 lookup would answer it, with the profile's own id added."""
    users, media = _listed(includes, "users"), _listed(includes, "media")
    attachments = item.get("attachments")
    keys = attachments.get("media_keys") if isinstance(attachments, dict) else None
    keys = keys if isinstance(keys, list) else []
    body = {
        "for_user_id": own_id,
        "data": item,
        "includes": {
            "users": [u for u in users if isinstance(u, dict) and u.get("id") == author_id],
            "media": [m for m in media if isinstance(m, dict) and m.get("media_key") in keys],
        },
    }
    return PolledDelivery(
        key=item["id"],
        body=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
    )


def _meta(page: dict[str, Any]) -> dict[str, Any]:
    meta = page.get("meta")
    return meta if isinstance(meta, dict) else {}


def _listed(includes: dict[str, Any], key: str) -> list[Any]:
    value = includes.get(key)
    return value if isinstance(value, list) else []


def _max_id(items: list[dict[str, Any]]) -> str:
    return max((item["id"] for item in items), key=int, default="")


def _digits(value: Any) -> str:
    return value if isinstance(value, str) and ID.fullmatch(value) else ""
