"""Replies against a local server that answers like `POST /api/v1/statuses`."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from loket.channels.connectors.mastodon.connector import MastodonConnector
from loket.channels.connectors.mastodon.limits import retry_after
from loket.channels.connectors.mastodon.send import reply_visibility
from loket.channels.contracts import (
    Author,
    DeliveryReceipt,
    DeliveryStatus,
    OutboundMessage,
    Visibility,
)

STATUSES = "/api/v1/statuses"
CONTEXT = {"status_id": "113570091822334455", "acct": "jef@toot.example", "visibility": "public"}


def config(server: HTTPServer, **changes: Any) -> dict[str, Any]:
    return {
        "instance_url": server.url_for("/"),
        "access_token": "token-of-stad-voorbeeld",
        "acct": "stadvoorbeeld",
        **changes,
    }


def reply(
    text: str = "Op dinsdag 3 december.",
    *,
    visibility: Visibility = Visibility.PUBLIC,
    context: dict[str, str] | None = None,
    key: str = "reply-1",
    recipient: Author | None = None,
) -> OutboundMessage:
    return OutboundMessage(
        idempotency_key=key,
        thread_id="113569874400112233",
        visibility=visibility,
        text=text,
        in_reply_to="113570091822334455",
        recipient=recipient,
        reply_context=CONTEXT if context is None else context,
    )


def send(server: HTTPServer, message: OutboundMessage, **changes: Any) -> DeliveryReceipt:
    return MastodonConnector().send(message=message, secret="", config=config(server, **changes))


def posted(server: HTTPServer, index: int = -1) -> tuple[Request, dict[str, Any]]:
    request = server.log[index][0]
    return request, json.loads(request.get_data())


def test_a_public_reply_mentions_the_citizen_under_their_post(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json(
        {"id": "113575488800112200", "visibility": "unlisted"}
    )
    receipt = send(httpserver, reply())
    assert receipt == DeliveryReceipt(DeliveryStatus.SENT, external_id="113575488800112200")
    request, body = posted(httpserver)
    assert body == {
        "status": "@jef@toot.example Op dinsdag 3 december.",
        "in_reply_to_id": "113570091822334455",
        # Public, but no wider than the profile's setting (unlisted by default).
        "visibility": "unlisted",
    }
    assert request.headers["Authorization"] == "Bearer token-of-stad-voorbeeld"
    assert request.headers["Idempotency-Key"] == "reply-1"


def test_a_private_reply_is_a_direct_message(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json({"id": "9"})
    send(httpserver, reply(visibility=Visibility.PRIVATE))
    assert posted(httpserver)[1]["visibility"] == "direct"


def test_a_mention_the_agent_typed_is_not_doubled(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json({"id": "9"})
    send(httpserver, reply("@Jef@toot.example: dank je!"))
    assert posted(httpserver)[1]["status"] == "@Jef@toot.example: dank je!"


def test_without_reply_context_the_recipient_and_message_ids_are_used(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json({"id": "9"})
    message = reply(context={}, recipient=Author("grace", "Grace"))
    assert send(httpserver, message).status is DeliveryStatus.SENT
    assert posted(httpserver)[1] == {
        "status": "@grace Op dinsdag 3 december.",
        "in_reply_to_id": "113570091822334455",
        "visibility": "unlisted",
    }


def test_a_direct_message_without_an_address_is_not_sent(httpserver: HTTPServer) -> None:
    receipt = send(httpserver, reply(visibility=Visibility.PRIVATE, context={}))
    assert receipt.status is DeliveryStatus.FAILED
    assert "address" in receipt.error
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("wanted", "citizen", "widest", "visibility"),
    [
        (Visibility.PUBLIC, "public", "public", "public"),
        (Visibility.PUBLIC, "public", "unlisted", "unlisted"),
        (Visibility.PUBLIC, "unlisted", "public", "unlisted"),
        (Visibility.PUBLIC, "private", "unlisted", "private"),
        (Visibility.PUBLIC, "direct", "public", "direct"),  # never widen a direct message
        (Visibility.PUBLIC, "", "unlisted", "unlisted"),
        (Visibility.PRIVATE, "public", "public", "direct"),
    ],
)
def test_the_visibility_of_a_reply(
    wanted: Visibility, citizen: str, widest: str, visibility: str
) -> None:
    assert reply_visibility(wanted, citizen, widest) == visibility


def test_too_long_as_mastodon_counts_fails_before_posting(httpserver: HTTPServer) -> None:
    # The mention counts by its username only: "@jef " and 496 more.
    receipt = send(httpserver, reply("x" * 496))
    assert receipt.status is DeliveryStatus.FAILED
    assert "501 characters" in receipt.error
    assert httpserver.log == []
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json({"id": "9"})
    # Links count as 23 characters, and the server may allow more.
    long_link = "https://www.stadvoorbeeld.example/" + "a" * 600
    assert send(httpserver, reply(long_link)).status is DeliveryStatus.SENT
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json({"id": "10"})
    assert send(httpserver, reply("x" * 496), max_characters=1000).status is DeliveryStatus.SENT


def test_429_is_retried_when_the_rate_limit_resets(httpserver: HTTPServer) -> None:
    reset = (datetime.now(UTC) + timedelta(minutes=4)).isoformat().replace("+00:00", "Z")
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json(
        {"error": "Too many requests"},
        status=429,
        headers={
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset,
        },
    )
    receipt = send(httpserver, reply())
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.error == "HTTP 429 from Mastodon: Too many requests"
    assert receipt.retry_after is not None
    assert timedelta(minutes=3, seconds=50) < receipt.retry_after <= timedelta(minutes=4)
    # The retry carries the same idempotency key: a post that did go through is not doubled.
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json({"id": "9"})
    assert send(httpserver, reply()).status is DeliveryStatus.SENT
    keys = [entry[0].headers["Idempotency-Key"] for entry in httpserver.log]
    assert keys == ["reply-1", "reply-1"]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_data(
        "<html>Mastodon is down for maintenance</html>",
        status=status,
        headers={"Retry-After": "120"},
    )
    receipt = send(httpserver, reply())
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.error == f"HTTP {status} from Mastodon"
    assert receipt.retry_after == timedelta(seconds=120)


def test_a_timeout_is_retried(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1)
        return Response(json.dumps({"id": "9"}), content_type="application/json")

    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_handler(slow)
    receipt = send(httpserver, reply(), timeout_seconds=0.2)
    assert receipt.status is DeliveryStatus.RETRY
    assert "Timeout" in receipt.error


def test_an_unreachable_server_is_retried() -> None:
    receipt = MastodonConnector().send(
        message=reply(),
        secret="",
        config={"instance_url": "http://127.0.0.1:9", "access_token": "t", "acct": "stad"},
    )
    assert receipt.status is DeliveryStatus.RETRY


@pytest.mark.parametrize(
    ("status", "answer", "says"),
    [
        (401, {"error": "The access token is invalid"}, "The access token is invalid"),
        (403, {"error": "This action is outside the authorized scopes"}, "write:statuses"),
        (
            404,
            {"error": "The post you are trying to reply to does not appear to exist."},
            "does not appear to exist",
        ),
        (422, {"error": "Validation failed: Text character limit of 500 exceeded"}, "limit"),
    ],
)
def test_refusals_fail_with_mastodons_reason(
    httpserver: HTTPServer, status: int, answer: dict[str, str], says: str
) -> None:
    httpserver.expect_oneshot_request(STATUSES, method="POST").respond_with_json(
        answer, status=status
    )
    receipt = send(httpserver, reply())
    assert receipt.status is DeliveryStatus.FAILED
    assert receipt.error.startswith(f"HTTP {status} from Mastodon")
    assert says in receipt.error


def test_settings_that_do_not_validate_fail_plainly() -> None:
    receipt = MastodonConnector().send(
        message=reply(), secret="", config={"instance_url": "http://city.example"}
    )
    assert receipt.status is DeliveryStatus.FAILED
    assert receipt.error.startswith("the profile's settings: ")


@pytest.mark.parametrize(
    ("headers", "rate_limited", "wait"),
    [
        ({"X-RateLimit-Reset": "2026-11-28T10:05:00.000000Z"}, True, timedelta(minutes=5)),
        ({"X-RateLimit-Reset": "1795860300"}, True, timedelta(minutes=5)),  # a Unix time
        ({"X-RateLimit-Reset": "90"}, True, timedelta(seconds=90)),
        ({"Retry-After": "Sat, 28 Nov 2026 10:02:00 GMT"}, False, timedelta(minutes=2)),
        ({"X-RateLimit-Reset": "2026-11-28T09:00:00Z"}, True, timedelta(seconds=1)),  # past
        ({"X-RateLimit-Reset": "2026-11-29T10:00:00Z"}, True, timedelta(hours=1)),  # capped
        ({"X-RateLimit-Reset": "soon"}, True, None),
        ({"X-RateLimit-Reset": "99999999999999999999"}, True, None),
        ({"X-RateLimit-Reset": "2026-11-28T10:05:00Z"}, False, None),  # only for a 429
        ({}, True, None),
    ],
)
def test_reading_when_to_try_again(
    headers: dict[str, str], rate_limited: bool, wait: timedelta | None
) -> None:
    now = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert retry_after(headers, rate_limited=rate_limited, now=now) == wait
