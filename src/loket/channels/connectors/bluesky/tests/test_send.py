"""Replies as posts on a PDS that answers like the documented XRPC endpoints."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from loket.channels.connectors.bluesky import xrpc
from loket.channels.connectors.bluesky.config import BlueskyConfig
from loket.channels.connectors.bluesky.connector import BlueskyConnector
from loket.channels.connectors.bluesky.send import grapheme_count, record_key
from loket.channels.connectors.bluesky.tests.fake_pds import CITY_DID, FakePds
from loket.channels.contracts import (
    Author,
    DeliveryReceipt,
    DeliveryStatus,
    OutboundMessage,
    Visibility,
)

CREATE = "com.atproto.repo.createRecord"
GET = "com.atproto.repo.getRecord"
LOGIN = "com.atproto.server.createSession"
REFRESH = "com.atproto.server.refreshSession"
JEF = "did:plc:jefvermeulenk4t7c2w5r3zq"
ROOT = {"uri": f"at://{CITY_DID}/app.bsky.feed.post/3lbq5x7kq2c2a", "cid": "bafyreiroot"}
PARENT = {"uri": f"at://{JEF}/app.bsky.feed.post/3lbq6kx3f5t2w", "cid": "bafyreiparent"}
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def reply(
    text: str = "@jefvermeulen.bsky.social De werken duren tot 20 december.",
    *,
    key: str = "reply-1",
    visibility: Visibility = Visibility.PUBLIC,
    **fields: Any,
) -> OutboundMessage:
    defaults: dict[str, Any] = {
        "thread_id": ROOT["uri"],
        "in_reply_to": PARENT["uri"],
        "recipient": Author(JEF, "Jef Vermeulen"),
        "reply_context": {
            **PARENT,
            "root": ROOT,
            "author": {"did": JEF, "handle": "jefvermeulen.bsky.social"},
        },
    }
    return OutboundMessage(
        idempotency_key=key, visibility=visibility, text=text, **{**defaults, **fields}
    )


def changed(config: BlueskyConfig, **settings: Any) -> BlueskyConfig:
    return BlueskyConfig.model_validate({**config.model_dump(), **settings})


def send(message: OutboundMessage, config: BlueskyConfig) -> DeliveryReceipt:
    return BlueskyConnector().send(message=message, secret="", config=config.model_dump())


def test_a_reply_is_a_post_in_the_thread_under_a_key_of_our_own(
    pds: FakePds, config: BlueskyConfig
) -> None:
    receipt = send(reply(), config)
    rkey = record_key("reply-1")
    assert receipt == DeliveryReceipt(
        DeliveryStatus.SENT, external_id=f"at://{CITY_DID}/app.bsky.feed.post/{rkey}"
    )
    [create] = pds.called(CREATE)
    assert create.body["repo"] == CITY_DID
    assert create.body["collection"] == "app.bsky.feed.post"
    assert create.body["rkey"] == rkey
    record = pds.records[rkey]
    assert record["reply"] == {"root": ROOT, "parent": PARENT}
    assert record["text"] == "@jefvermeulen.bsky.social De werken duren tot 20 december."
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["createdAt"])
    # The leading @handle links the citizen, as the Bluesky app would.
    assert record["facets"] == [
        {
            "$type": "app.bsky.richtext.facet",
            "index": {"byteStart": 0, "byteEnd": 25},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": JEF}],
        }
    ]
    assert create.authorization.startswith("Bearer ")


def test_a_reply_to_a_post_that_is_its_own_root() -> None:
    message = reply(reply_context={**ROOT, "root": ROOT}, in_reply_to=ROOT["uri"])
    from loket.channels.connectors.bluesky.send import _reply_refs

    assert _reply_refs(message) == {"root": ROOT, "parent": ROOT}


def test_no_mention_link_without_the_handle_in_front(pds: FakePds, config: BlueskyConfig) -> None:
    send(reply("Bedankt @jefvermeulen.bsky.social, we bekijken het."), config)
    send(reply("@jefvermeulen.bsky.socialx hallo", key="reply-2"), config)
    assert all("facets" not in record for record in pds.records.values())


def test_a_new_post_answers_nothing(pds: FakePds, config: BlueskyConfig) -> None:
    message = reply("Het containerpark is zaterdag gesloten.", in_reply_to=None, reply_context={})
    assert send(message, config).status is DeliveryStatus.SENT
    [record] = pds.records.values()
    assert "reply" not in record


def test_a_retry_after_a_lost_answer_finds_the_post_instead_of_posting_twice(
    pds: FakePds, config: BlueskyConfig
) -> None:
    pds.lose_next_answer(CREATE)
    first = send(reply(), config)
    assert first.status is DeliveryStatus.RETRY
    assert len(pds.records) == 1  # the PDS did create it
    second = send(reply(), config)
    assert second.status is DeliveryStatus.SENT
    assert second.external_id.endswith("/" + record_key("reply-1"))
    assert len(pds.called(CREATE)) == 1
    assert len(pds.called(GET)) == 2
    assert send(reply(), config) == second  # and again


def test_the_same_key_twice_never_posts_twice_even_if_the_check_is_skipped(
    pds: FakePds, config: BlueskyConfig
) -> None:
    send(reply(), config)
    pds.fail(GET, 400, "RecordNotFound")  # a stale read
    receipt = send(reply(), config)
    assert receipt.status is DeliveryStatus.RETRY  # the PDS refuses the key in use (HTTP 500)
    assert len(pds.records) == 1


@pytest.mark.parametrize(
    ("status", "error", "headers", "expected_wait"),
    [
        (429, "RateLimitExceeded", {"Retry-After": "120"}, timedelta(seconds=120)),
        (429, "RateLimitExceeded", {"RateLimit-Reset": "+300"}, timedelta(seconds=300)),
        (429, "RateLimitExceeded", {}, None),
        (500, "InternalServerError", {}, None),
        (502, "UpstreamFailure", {}, None),
        (503, "", {"Retry-After": "30"}, timedelta(seconds=30)),
    ],
)
def test_rate_limits_and_server_trouble_are_retried_later(
    pds: FakePds,
    config: BlueskyConfig,
    status: int,
    error: str,
    headers: dict[str, str],
    expected_wait: timedelta | None,
) -> None:
    if headers.get("RateLimit-Reset") == "+300":
        headers = {"RateLimit-Reset": str(int(time.time()) + 300)}
    pds.fail(CREATE, status, error, headers)
    receipt = send(reply(), config)
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.error.startswith(f"Bluesky: HTTP {status}")
    if expected_wait is None:
        assert receipt.retry_after is None
    else:
        assert receipt.retry_after is not None
        assert abs(receipt.retry_after - expected_wait) <= timedelta(seconds=2)
    assert send(reply(), config).status is DeliveryStatus.SENT


def test_a_refused_post_fails_with_the_platforms_reason(
    pds: FakePds, config: BlueskyConfig
) -> None:
    pds.fail(CREATE, 400, "InvalidRequest")
    receipt = send(reply(), config)
    assert receipt == DeliveryReceipt(
        DeliveryStatus.FAILED, error="Bluesky: HTTP 400 InvalidRequest: InvalidRequest (test)"
    )


def test_a_rate_limited_login_is_retried(pds: FakePds, config: BlueskyConfig) -> None:
    pds.fail(LOGIN, 429, "RateLimitExceeded", {"Retry-After": "600"})
    receipt = send(reply(), config)
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.retry_after == timedelta(seconds=600)


def test_a_refused_login_fails(pds: FakePds, config: BlueskyConfig) -> None:
    wrong = changed(config, app_password="wrong")
    receipt = send(reply(), wrong)
    assert receipt.status is DeliveryStatus.FAILED
    assert "refused the login of stadvoorbeeld.be" in receipt.error
    assert "wrong" not in receipt.error


def test_a_timeout_is_retried(httpserver: HTTPServer, config: BlueskyConfig) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response("{}", status=200)

    httpserver.expect_request(re.compile("^/xrpc/")).respond_with_handler(slow)
    quick = changed(config, timeout_seconds=0.3)
    receipt = send(reply(), quick)
    assert receipt == DeliveryReceipt(
        DeliveryStatus.RETRY, error="Bluesky unreachable: ReadTimeout"
    )


def test_an_unreachable_pds_is_retried(config: BlueskyConfig) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    receipt = send(reply(), changed(config, service_url=closed))
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.error == "Bluesky unreachable: ConnectionError"


def test_what_bluesky_cannot_take_fails_without_asking_it(
    pds: FakePds, config: BlueskyConfig
) -> None:
    cases = {
        "direct messages are not supported": reply(visibility=Visibility.PRIVATE),
        "empty post": reply("   "),
        "at most 300 characters; this has 301": reply("a" * 301),
        "no Bluesky reference": reply(reply_context={"uri": PARENT["uri"]}),
        "no Bluesky reference ": reply(reply_context={**PARENT, "uri": "https://bsky.app/x"}),
    }
    for says, message in cases.items():
        receipt = send(message, config)
        assert receipt.status is DeliveryStatus.FAILED
        assert says.strip() in receipt.error
    assert pds.calls == []


def test_incomplete_settings_fail_plainly() -> None:
    receipt = BlueskyConnector().send(message=reply(), secret="", config={"handle": "x.test"})
    assert receipt.status is DeliveryStatus.FAILED
    assert "settings are incomplete" in receipt.error


def test_the_login_is_made_once_and_renewed_with_the_refresh_token(
    pds: FakePds, config: BlueskyConfig
) -> None:
    send(reply(key="a"), config)
    send(reply(key="b"), config)
    assert (len(pds.called(LOGIN)), len(pds.called(REFRESH))) == (1, 0)
    pds.revoke_access_tokens()  # the PDS no longer takes the cached access token
    assert send(reply(key="c"), config).status is DeliveryStatus.SENT
    assert send(reply(key="d"), config).status is DeliveryStatus.SENT
    assert (len(pds.called(LOGIN)), len(pds.called(REFRESH))) == (1, 1)


def test_an_access_token_about_to_expire_is_refreshed_not_replaced(
    pds: FakePds, config: BlueskyConfig
) -> None:
    pds.access_lifetime = 30  # within the margin: renewed before each use
    assert send(reply(key="a"), config).status is DeliveryStatus.SENT
    assert send(reply(key="b"), config).status is DeliveryStatus.SENT
    assert len(pds.called(LOGIN)) == 1
    assert len(pds.called(REFRESH)) >= 2


def test_a_refused_refresh_token_means_logging_in_again(
    pds: FakePds, config: BlueskyConfig
) -> None:
    pds.access_lifetime = 30
    send(reply(key="a"), config)
    pds.fail(REFRESH, 401, "InvalidToken")
    assert send(reply(key="b"), config).status is DeliveryStatus.SENT
    assert len(pds.called(LOGIN)) == 2


def test_a_refused_login_is_not_tried_again_at_once(pds: FakePds, config: BlueskyConfig) -> None:
    wrong = changed(config, app_password="wrong")
    send(reply(key="a"), wrong)
    send(reply(key="b"), wrong)
    assert len(pds.called(LOGIN)) == 1
    # A new app password is tried at once.
    assert send(reply(key="c"), config).status is DeliveryStatus.SENT
    assert len(pds.called(LOGIN)) == 2


def test_record_keys_are_valid_tids_fixed_per_idempotency_key() -> None:
    keys = [record_key(f"reply-{n}") for n in range(2000)]
    assert all(TID.fullmatch(key) for key in keys)
    assert len(set(keys)) == len(keys)
    assert record_key("reply-7") == record_key("reply-7") == keys[7]


def test_token_expiry_is_read_from_the_token() -> None:
    from loket.channels.connectors.bluesky.tests.fake_pds import token

    session = xrpc._session_of(
        {"did": CITY_DID, "handle": "x", "accessJwt": token("a", 3600), "refreshJwt": "opaque"}
    )
    assert abs(session.access_expires_at - (time.time() + 3600 - xrpc.EXPIRY_MARGIN)) < 5
    unreadable = time.time() + xrpc.ASSUMED_ACCESS_LIFETIME - xrpc.EXPIRY_MARGIN
    assert abs(session.refresh_expires_at - unreadable) < 5


@pytest.mark.parametrize(
    ("text", "graphemes"),
    [
        ("", 0),
        ("Kerkstraat", 10),
        ("café", 4),
        ("cafe\u0301", 4),  # e + combining acute accent
        ("\U0001f44d\U0001f3fd", 1),  # thumbs up, skin tone
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", 1),  # family, joined
        ("\U0001f1e7\U0001f1ea\U0001f1f3\U0001f1f1", 2),  # two flags
        ("\u2764\ufe0f", 1),  # heart with emoji presentation
        ("a\r\nb", 3),
    ],
)
def test_grapheme_count(text: str, graphemes: int) -> None:
    assert grapheme_count(text) == graphemes


def test_three_hundred_emoji_fit() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert len(family * 300) > 300
    assert grapheme_count(family * 300) == 300
