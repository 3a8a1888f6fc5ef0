"""Polling notifications from a PDS that answers like the documented endpoints."""

from __future__ import annotations

import json
from typing import Any

from loket.channels.connectors.bluesky import xrpc
from loket.channels.connectors.bluesky.config import BlueskyConfig
from loket.channels.connectors.bluesky.connector import BlueskyConnector
from loket.channels.connectors.bluesky.tests.fake_pds import CITY_DID, FakePds, notification
from loket.channels.contracts import AccountContext, PollResult

LIST = "app.bsky.notification.listNotifications"
LOGIN = "com.atproto.server.createSession"


def poll(config: BlueskyConfig, cursor: str = "", **settings: Any) -> PollResult:
    values = {
        **config.model_dump(),
        "app_password": config.app_password.get_secret_value(),
        **settings,
    }
    account = AccountContext(public_id="p1", config=values, secret="")
    return BlueskyConnector().poll(account=account, cursor=cursor)


def at(second: int) -> str:
    return f"2026-11-28T09:{second // 60:02d}:{second % 60:02d}.250Z"


def test_the_first_poll_takes_the_newest_page_oldest_first(
    pds: FakePds, config: BlueskyConfig
) -> None:
    pds.notifications = [notification(n, indexed_at=at(n)) for n in range(150, 0, -1)]
    result = poll(config)
    assert [json.loads(d.body)["indexedAt"] for d in result.deliveries] == [
        at(n) for n in range(51, 151)
    ]
    assert result.cursor == "2026-11-28T09:02:30.250000+00:00"
    assert result.auth_error == ""
    assert len(pds.called(LIST)) == 1
    first = result.deliveries[0]
    assert first.key == json.loads(first.body)["uri"]
    assert json.loads(first.body)["loketAccountDid"] == CITY_DID
    [call] = pds.called(LIST)
    assert call.params == {"limit": ["100"], "reasons": ["mention", "reply", "quote"]}


def test_later_polls_page_back_to_what_was_seen(pds: FakePds, config: BlueskyConfig) -> None:
    pds.notifications = [notification(n, indexed_at=at(n)) for n in range(10, 0, -1)]
    cursor = poll(config).cursor
    pds.notifications = [notification(n, indexed_at=at(n)) for n in range(260, 0, -1)]
    result = poll(config, cursor)
    # Everything since the newest seen, and that one again (the ledger drops it).
    assert [json.loads(d.body)["indexedAt"] for d in result.deliveries] == [
        at(n) for n in range(10, 261)
    ]
    assert [call.params.get("cursor") for call in pds.called(LIST)] == [
        None,
        None,
        ["100"],
        ["200"],
    ]
    again = poll(config, result.cursor)
    assert [json.loads(d.body)["indexedAt"] for d in again.deliveries] == [at(260)]
    assert again.cursor == result.cursor


def test_paging_back_stops_at_the_page_limit(pds: FakePds, config: BlueskyConfig) -> None:
    pds.notifications = [notification(1, indexed_at=at(1))]
    cursor = poll(config).cursor
    pds.notifications = [notification(n, indexed_at=at(n)) for n in range(1000, 0, -1)]
    result = poll(config, cursor, max_pages=3)
    assert len(result.deliveries) == 300
    assert len(pds.called(LIST)) == 4


def test_likes_and_follows_are_left_out_even_if_the_appview_sends_them(
    pds: FakePds, config: BlueskyConfig
) -> None:
    pds.honour_reasons = False
    pds.notifications = [
        notification(3, reason="like", indexed_at=at(3)),
        notification(2, reason="mention", indexed_at=at(2)),
        notification(1, reason="follow", indexed_at=at(1)),
    ]
    result = poll(config)
    assert [json.loads(d.body)["reason"] for d in result.deliveries] == ["mention"]
    assert result.cursor.startswith("2026-11-28T09:00:03.25")


def test_a_post_that_is_both_reply_and_mention_comes_once(
    pds: FakePds, config: BlueskyConfig
) -> None:
    mention = notification(1, reason="mention", indexed_at=at(1))
    pds.notifications = [mention, {**mention, "reason": "reply"}]
    assert len(poll(config).deliveries) == 1


def test_nothing_new_keeps_the_cursor(pds: FakePds, config: BlueskyConfig) -> None:
    assert poll(config, "") == PollResult((), "")
    cursor = "2026-11-28T09:00:00+00:00"
    assert poll(config, cursor) == PollResult((), cursor)


def test_a_refused_login_is_an_auth_error_and_is_not_retried_every_minute(
    pds: FakePds, config: BlueskyConfig
) -> None:
    result = poll(config, "c1", app_password="revoked")
    assert result.deliveries == ()
    assert result.cursor == "c1"
    assert "refused the login of stadvoorbeeld.be" in result.auth_error
    assert poll(config, "c1", app_password="revoked").auth_error == result.auth_error
    assert len(pds.called(LOGIN)) == 1


def test_server_trouble_is_no_auth_error_and_keeps_the_cursor(
    pds: FakePds, config: BlueskyConfig
) -> None:
    pds.fail(LIST, 502, "UpstreamFailure")
    assert poll(config, "c1") == PollResult((), "c1")
    # A rate-limited login (the session is cached, so only a fresh process meets this).
    xrpc.sessions.forget()
    pds.fail(LOGIN, 429, "RateLimitExceeded")
    assert poll(config, "c1") == PollResult((), "c1")


def test_incomplete_settings_are_an_auth_error() -> None:
    account = AccountContext(public_id="p1", config={"handle": "x.test"}, secret="")
    result = BlueskyConnector().poll(account=account, cursor="c1")
    assert result.cursor == "c1"
    assert "app_password" in result.auth_error


def test_notifications_can_be_marked_seen(pds: FakePds, config: BlueskyConfig) -> None:
    pds.notifications = [notification(1, indexed_at=at(1))]
    poll(config)
    assert pds.seen_at == ""
    poll(config, mark_seen=True)
    assert pds.seen_at == "2026-11-28T09:00:01.250000Z"
