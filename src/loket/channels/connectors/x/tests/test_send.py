"""Replies and DMs against a local server that answers like X's documented endpoints."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from loket.channels.connectors.x.connector import XConnector
from loket.channels.connectors.x.send import DUPLICATE, MAY_HAVE_BEEN_PUBLISHED, send
from loket.channels.connectors.x.tests.helpers import (
    CONSUMER_SECRET,
    OAUTH1,
    PROFILE_ID,
    fixture_json,
    oauth1_signature_is_valid,
    settings,
)
from loket.channels.contracts import (
    AccountContext,
    Author,
    DeliveryStatus,
    ModerationAction,
    OutboundMessage,
    Visibility,
)

PUBLIC_REPLY = OutboundMessage(
    idempotency_key="reply-1",
    thread_id="2123687789982650983",
    visibility=Visibility.PUBLIC,
    text="@lore_maes De werken duren tot eind januari. Er komt een veilige fietsroute.",
    in_reply_to="2126612109063098983",
    recipient=Author("1702003004005006007", "Lore Maes (@lore_maes)"),
    reply_context={"tweet_id": "2126612109063098983", "author_id": "1702003004005006007"},
)
DIRECT_REPLY = OutboundMessage(
    idempotency_key="reply-2",
    thread_id="dm:1650203040506070809-1702003004005006007",
    visibility=Visibility.PRIVATE,
    text="Dag Lore, je verlengt je bewonerskaart online via het e-loket van de stad.",
    in_reply_to="2126633638425530983",
    recipient=Author("1702003004005006007", "Lore Maes (@lore_maes)"),
    reply_context={
        "dm_conversation_id": "1650203040506070809-1702003004005006007",
        "sender_id": "1702003004005006007",
    },
)


def base(httpserver: HTTPServer) -> str:
    return httpserver.url_for("/").rstrip("/")


def test_a_public_reply_answers_the_post(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/2/tweets",
        method="POST",
        json={"text": PUBLIC_REPLY.text, "reply": {"in_reply_to_tweet_id": "2126612109063098983"}},
        headers={"Authorization": "Bearer user-context-bearer-token"},
    ).respond_with_json(fixture_json("tweets_create__created"), status=201)
    receipt = send(message=PUBLIC_REPLY, consumer_secret="", config=settings(base(httpserver)))
    assert receipt.status is DeliveryStatus.SENT
    assert receipt.external_id == "2126680000000000983"
    httpserver.check_assertions()


def test_a_direct_message_goes_to_the_citizen(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/2/dm_conversations/with/1702003004005006007/messages",
        method="POST",
        json={"text": DIRECT_REPLY.text},
    ).respond_with_json(fixture_json("dm_conversations_messages__created"), status=201)
    receipt = send(message=DIRECT_REPLY, consumer_secret="", config=settings(base(httpserver)))
    assert receipt.status is DeliveryStatus.SENT
    # The DM event id: how the echo of this message is recognised when X shows it back.
    assert receipt.external_id == "2126680000000000984"


def test_a_group_conversation_is_written_to_by_its_id(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/2/dm_conversations/1578398451921985538/messages", method="POST"
    ).respond_with_json({"data": {"dm_event_id": "2126680000000000985"}}, status=201)
    group = OutboundMessage(
        idempotency_key="reply-3",
        thread_id="dm:1578398451921985538",
        visibility=Visibility.PRIVATE,
        text="Dag allemaal!",
        reply_context={"dm_conversation_id": "1578398451921985538"},
    )
    receipt = send(message=group, consumer_secret="", config=settings(base(httpserver)))
    assert receipt.status is DeliveryStatus.SENT


def test_oauth1_requests_are_signed_as_x_checks_them(httpserver: HTTPServer) -> None:
    def answer(request: Request) -> Response:
        if not oauth1_signature_is_valid(request):
            return Response('{"title": "Unauthorized"}', status=401)
        return Response('{"data": {"id": "2126680000000000990"}}', status=201)

    httpserver.expect_request("/2/tweets", method="POST").respond_with_handler(answer)
    config = settings(base(httpserver), user_access_token=None, **OAUTH1)
    receipt = send(message=PUBLIC_REPLY, consumer_secret=CONSUMER_SECRET, config=config)
    assert receipt.status is DeliveryStatus.SENT
    wrong = send(message=PUBLIC_REPLY, consumer_secret="another secret", config=config)
    assert wrong.status is DeliveryStatus.FAILED
    assert wrong.error == "X answered 401: Unauthorized"


def test_a_rate_limit_is_retried_when_x_says(httpserver: HTTPServer) -> None:
    reset = int(time.time()) + 90
    httpserver.expect_request("/2/tweets").respond_with_json(
        fixture_json("error__too_many_requests"),
        status=429,
        headers={
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        },
    )
    receipt = send(message=PUBLIC_REPLY, consumer_secret="", config=settings(base(httpserver)))
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.retry_after is not None
    assert timedelta(seconds=85) <= receipt.retry_after <= timedelta(seconds=90)
    assert "429" in receipt.error


def test_a_server_error_is_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/2/dm_conversations/with/1702003004005006007/messages"
    ).respond_with_json(fixture_json("error__service_unavailable"), status=503)
    receipt = send(message=DIRECT_REPLY, consumer_secret="", config=settings(base(httpserver)))
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.error == "X answered 503: Service Unavailable"
    assert receipt.retry_after is None  # the framework's backoff decides


@pytest.mark.parametrize(
    ("status", "answer", "error"),
    [
        (401, "error__unauthorized", "X answered 401: Unauthorized"),
        (403, "error__duplicate_content", DUPLICATE),
        (
            400,
            {"errors": [{"message": "Your Tweet text is too long."}], "title": "Invalid Request"},
            "X answered 400: Invalid Request",
        ),
        (404, {}, "X answered 404: NOT FOUND"),
    ],
)
def test_a_refusal_fails_with_a_plain_error(
    httpserver: HTTPServer, status: int, answer: str | dict[str, object], error: str
) -> None:
    body = fixture_json(answer) if isinstance(answer, str) else answer
    httpserver.expect_request("/2/tweets").respond_with_json(body, status=status)
    receipt = send(message=PUBLIC_REPLY, consumer_secret="", config=settings(base(httpserver)))
    assert receipt.status is DeliveryStatus.FAILED
    assert receipt.error == error


def test_x_out_of_reach_is_retried() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens there any more: the request certainly did not reach X.
    receipt = send(
        message=PUBLIC_REPLY, consumer_secret="", config=settings(f"http://127.0.0.1:{port}")
    )
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.error.startswith("could not reach X")


def test_no_answer_after_sending_fails_visibly_instead_of_posting_twice(
    httpserver: HTTPServer,
) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response('{"data": {"id": "2126680000000000991"}}', status=201)

    httpserver.expect_request("/2/tweets").respond_with_handler(slow)
    config = settings(base(httpserver), timeout_seconds=0.3)
    receipt = send(message=PUBLIC_REPLY, consumer_secret="", config=config)
    assert receipt.status is DeliveryStatus.FAILED
    assert receipt.error == MAY_HAVE_BEEN_PUBLISHED
    deadline = time.monotonic() + 5
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.05)  # the server logs the request once its slow answer is written
    assert len(httpserver.log) == 1  # X got it once; Loket does not send it again by itself


def test_without_credentials_or_target_nothing_is_sent(httpserver: HTTPServer) -> None:
    no_credentials = settings(base(httpserver), user_access_token=None)
    receipt = send(message=PUBLIC_REPLY, consumer_secret="", config=no_credentials)
    assert receipt.status is DeliveryStatus.FAILED
    assert "credentials" in receipt.error
    nowhere = OutboundMessage("reply-4", "t", Visibility.PUBLIC, "Dag!")
    receipt = send(message=nowhere, consumer_secret="", config=settings(base(httpserver)))
    assert (receipt.status, receipt.error) == (
        DeliveryStatus.FAILED,
        "there is no X post to reply to",
    )
    nobody = OutboundMessage("reply-5", "t", Visibility.PRIVATE, "Dag!")
    receipt = send(message=nobody, consumer_secret="", config=settings(base(httpserver)))
    assert receipt.status is DeliveryStatus.FAILED
    assert httpserver.log == []


def test_the_connector_refuses_broken_settings_without_raising() -> None:
    receipt = XConnector().send(message=PUBLIC_REPLY, secret="", config={"user_id": "abc"})
    assert receipt.status is DeliveryStatus.FAILED
    assert receipt.error.startswith("X settings: user_id")


def account(httpserver: HTTPServer) -> AccountContext:
    return AccountContext(
        public_id="p1",
        config={
            "user_id": PROFILE_ID,
            "api_base_url": base(httpserver),
            "user_access_token": "user-context-bearer-token",
        },
        secret=CONSUMER_SECRET,
    )


def test_a_reply_under_the_profiles_post_can_be_hidden_and_shown(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/2/tweets/2126612109063098983/hidden", method="PUT", json={"hidden": True}
    ).respond_with_json(fixture_json("tweets_hidden__hidden"))
    httpserver.expect_request(
        "/2/tweets/2126612109063098983/hidden", method="PUT", json={"hidden": False}
    ).respond_with_json({"data": {"hidden": False}})
    connector = XConnector()
    for action in (ModerationAction.HIDE, ModerationAction.UNHIDE):
        receipt = connector.moderate(
            action=action, external_id="2126612109063098983", account=account(httpserver)
        )
        assert receipt.status is DeliveryStatus.SENT
    assert len(httpserver.log) == 2


def test_moderation_cannot_delete_and_retries_a_rate_limit(httpserver: HTTPServer) -> None:
    connector = XConnector()
    deleted = connector.moderate(
        action=ModerationAction.DELETE,
        external_id="2126612109063098983",
        account=account(httpserver),
    )
    assert deleted.status is DeliveryStatus.FAILED
    assert "hide" in deleted.error
    httpserver.expect_request("/2/tweets/2126612109063098983/hidden").respond_with_json(
        fixture_json("error__too_many_requests"), status=429, headers={"Retry-After": "30"}
    )
    limited = connector.moderate(
        action=ModerationAction.HIDE, external_id="2126612109063098983", account=account(httpserver)
    )
    assert limited.status is DeliveryStatus.RETRY
    assert limited.retry_after == timedelta(seconds=30)
    bad_id = connector.moderate(
        action=ModerationAction.HIDE, external_id="../../2/users", account=account(httpserver)
    )
    assert bad_id.status is DeliveryStatus.FAILED
