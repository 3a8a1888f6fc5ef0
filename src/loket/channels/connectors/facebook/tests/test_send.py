"""Facebook replies and moderation against a local HTTP server that answers like the Graph
API, including its throttling and its errors."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from loket.channels import services
from loket.channels.connectors.facebook.connector import FacebookConnector
from loket.channels.connectors.meta_common.testing import create_profile
from loket.channels.contracts import (
    AccountContext,
    DeliveryStatus,
    ModerationAction,
    OutboundMessage,
    Visibility,
)
from loket.channels.models import OutboundDelivery

PAGE = "104857392016482"
POST = f"{PAGE}_771203948561230"
COMMENT = "771203948561230_1290384756102938"
PSID = "6283019475829104"
TOKEN = "EAAGpage-token-stad-voorbeeld"
APP_SECRET = "3f6c0e9a1b7d4e2f8a5c6b9d0e1f2a3b"
PROOF = hmac.new(APP_SECRET.encode(), TOKEN.encode(), hashlib.sha256).hexdigest()
V = "/v24.0"
connector = FacebookConnector()


@pytest.fixture
def config(httpserver: HTTPServer) -> dict[str, Any]:
    return {
        "page_id": PAGE,
        "page_access_token": TOKEN,
        "verify_token": "stad-voorbeeld-webhook-2026",
        "graph_api_base": httpserver.url_for("/"),
        "timeout_seconds": 2,
    }


def just_now(**ago: float) -> str:
    return (timezone.now() - timedelta(**ago)).isoformat()


def comment_reply(visibility: Visibility, **context: Any) -> OutboundMessage:
    return OutboundMessage(
        idempotency_key="reply-1",
        thread_id=POST,
        visibility=visibility,
        text="Dag Els, de ophaaldienst komt morgen één keer extra langs.",
        in_reply_to=COMMENT,
        reply_context={
            "kind": "comment",
            "page_id": PAGE,
            "post_id": POST,
            "comment_id": COMMENT,
            "message_time": just_now(hours=2),
            **context,
        },
    )


def messenger_reply(**context: Any) -> OutboundMessage:
    return OutboundMessage(
        idempotency_key="reply-2",
        thread_id=f"{PAGE}:{PSID}",
        visibility=Visibility.PRIVATE,
        text="Op zaterdag van 9 tot 16 uur.",
        in_reply_to="m_Vq3xbBzS9k7dQ2Yh1aT0cLrW8eJ5nG6uP4iM",
        reply_context={
            "kind": "messenger",
            "account_id": PAGE,
            "citizen_id": PSID,
            "message_time": just_now(minutes=30),
            **context,
        },
    )


def send(message: OutboundMessage, config: dict[str, Any]) -> Any:
    return connector.send(message=message, secret=APP_SECRET, config=config)


def expect(httpserver: HTTPServer, path: str, **kwargs: Any) -> Any:
    return httpserver.expect_request(
        f"{V}/{path}",
        headers={"Authorization": f"Bearer {TOKEN}"},
        query_string={"appsecret_proof": PROOF},
        **kwargs,
    )


def test_a_public_reply_comments_under_the_comment(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(
        httpserver,
        f"{COMMENT}/comments",
        method="POST",
        json={"message": "Dag Els, de ophaaldienst komt morgen één keer extra langs."},
    ).respond_with_json({"id": "771203948561230_1290384756109999"})
    receipt = send(comment_reply(Visibility.PUBLIC), config)
    assert receipt.status is DeliveryStatus.SENT
    assert receipt.external_id == "771203948561230_1290384756109999"
    httpserver.check_assertions()


def test_a_private_reply_to_a_comment_goes_to_messenger_by_comment_id(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(
        httpserver,
        f"{PAGE}/messages",
        method="POST",
        json={
            "recipient": {"comment_id": COMMENT},
            "message": {"text": "Dag Els, de ophaaldienst komt morgen één keer extra langs."},
        },
    ).respond_with_json({"recipient_id": PSID, "message_id": "m_private-reply-1"})
    receipt = send(comment_reply(Visibility.PRIVATE), config)
    assert (receipt.status, receipt.external_id) == (DeliveryStatus.SENT, "m_private-reply-1")


def test_a_private_reply_to_a_comment_older_than_7_days_is_refused_without_a_call(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    receipt = send(comment_reply(Visibility.PRIVATE, message_time=just_now(days=8)), config)
    assert receipt.status is DeliveryStatus.FAILED
    assert "7 days" in receipt.error
    assert httpserver.log == []


def test_a_messenger_reply_is_a_response_to_the_psid(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(
        httpserver,
        f"{PAGE}/messages",
        method="POST",
        json={
            "recipient": {"id": PSID},
            "message": {"text": "Op zaterdag van 9 tot 16 uur."},
            "messaging_type": "RESPONSE",
        },
    ).respond_with_json({"recipient_id": PSID, "message_id": "m_answer-1"})
    receipt = send(messenger_reply(), config)
    assert (receipt.status, receipt.external_id) == (DeliveryStatus.SENT, "m_answer-1")


def test_a_messenger_reply_after_24_hours_is_refused_without_a_call(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    receipt = send(messenger_reply(message_time=just_now(hours=25)), config)
    assert receipt.status is DeliveryStatus.FAILED
    assert "24-hour" in receipt.error
    assert httpserver.log == []


def test_a_public_answer_to_a_messenger_message_is_refused(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    public = dataclasses.replace(messenger_reply(), visibility=Visibility.PUBLIC)
    assert send(public, config).status is DeliveryStatus.FAILED
    assert httpserver.log == []


def test_a_visitors_post_is_answered_under_the_post_or_privately(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    visitor_post = f"{PAGE}_771203948569999"
    context = {"kind": "post", "page_id": PAGE, "post_id": visitor_post}
    expect(httpserver, f"{visitor_post}/comments", method="POST").respond_with_json({"id": "c1"})
    expect(
        httpserver,
        f"{PAGE}/messages",
        method="POST",
        json={"recipient": {"post_id": visitor_post}, "message": {"text": "Dag An!"}},
    ).respond_with_json({"message_id": "m_1"})
    for visibility in Visibility:
        message = OutboundMessage(
            idempotency_key=f"k-{visibility}",
            thread_id=visitor_post,
            visibility=visibility,
            text="Dag An!",
            reply_context=context,
        )
        assert send(message, config).status is DeliveryStatus.SENT
    assert len(httpserver.log) == 2


def test_without_reply_context_the_thread_tells_what_to_answer(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(httpserver, f"{COMMENT}/comments", method="POST").respond_with_json({"id": "c2"})
    expect(httpserver, f"{PAGE}/messages", method="POST").respond_with_json({"message_id": "m"})
    comment = OutboundMessage("k1", POST, Visibility.PUBLIC, "Dag!", in_reply_to=COMMENT)
    chat = OutboundMessage("k2", f"{PAGE}:{PSID}", Visibility.PRIVATE, "Dag!")
    assert send(comment, config).external_id == "c2"
    assert send(chat, config).external_id == "m"
    assert httpserver.log[1][0].json["recipient"] == {"id": PSID}


def test_ids_that_are_not_graph_ids_never_reach_a_url(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    receipt = send(comment_reply(Visibility.PUBLIC, comment_id="../me/feed"), config)
    assert receipt.status is DeliveryStatus.FAILED
    assert httpserver.log == []


def graph_error(code: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": "OAuthException", "code": code, **extra}}


@pytest.mark.parametrize(
    ("status", "body", "headers", "wait"),
    [
        (429, {}, {"Retry-After": "120"}, timedelta(seconds=120)),
        (500, graph_error(1, "An unknown error occurred"), {}, None),
        (503, {}, {}, None),
        (
            400,
            graph_error(32, "Page request limit reached"),
            {
                "X-Business-Use-Case-Usage": (
                    '{"104857392016482": [{"type": "pages", "call_count": 100, '
                    '"total_cputime": 12, "total_time": 20, '
                    '"estimated_time_to_regain_access": 7}]}'
                )
            },
            timedelta(minutes=7),
        ),
        (403, graph_error(4, "Application request limit reached"), {}, None),
        (400, graph_error(2, "Service temporarily unavailable", is_transient=True), {}, None),
    ],
)
def test_throttling_and_passing_failures_are_retried(
    httpserver: HTTPServer,
    config: dict[str, Any],
    status: int,
    body: dict[str, Any],
    headers: dict[str, str],
    wait: timedelta | None,
) -> None:
    expect(httpserver, f"{COMMENT}/comments").respond_with_json(
        body, status=status, headers=headers
    )
    receipt = send(comment_reply(Visibility.PUBLIC), config)
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.retry_after == wait


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (graph_error(190, "Error validating access token"), "access token is invalid"),
        (graph_error(100, "Invalid parameter", error_subcode=33), "Graph API error 100/33"),
        (
            graph_error(
                10, "(#10) This message is sent outside of allowed window.", error_subcode=2018278
            ),
            "outside of allowed window",
        ),
        ({}, "HTTP 400"),
    ],
)
def test_other_errors_fail_with_a_plain_reason(
    httpserver: HTTPServer, config: dict[str, Any], body: dict[str, Any], says: str
) -> None:
    expect(httpserver, f"{PAGE}/messages").respond_with_json(body, status=400)
    receipt = send(messenger_reply(), config)
    assert receipt.status is DeliveryStatus.FAILED
    assert says in receipt.error


def test_a_timeout_is_retried(httpserver: HTTPServer, config: dict[str, Any]) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response('{"id": "late"}', content_type="application/json")

    expect(httpserver, f"{COMMENT}/comments").respond_with_handler(slow)
    receipt = send(comment_reply(Visibility.PUBLIC), {**config, "timeout_seconds": 0.2})
    assert receipt.status is DeliveryStatus.RETRY
    assert "in time" in receipt.error


def test_an_unreachable_graph_api_is_retried(config: dict[str, Any]) -> None:
    receipt = send(
        comment_reply(Visibility.PUBLIC), {**config, "graph_api_base": "http://127.0.0.1:9"}
    )
    assert receipt.status is DeliveryStatus.RETRY


def test_a_redirect_is_not_followed(httpserver: HTTPServer, config: dict[str, Any]) -> None:
    expect(httpserver, f"{COMMENT}/comments").respond_with_data(
        "", status=302, headers={"Location": "http://elders.example/"}
    )
    assert send(comment_reply(Visibility.PUBLIC), config).status is DeliveryStatus.FAILED


def test_broken_settings_fail_plainly(httpserver: HTTPServer, config: dict[str, Any]) -> None:
    receipt = send(comment_reply(Visibility.PUBLIC), {**config, "page_id": "stad-voorbeeld"})
    assert receipt.status is DeliveryStatus.FAILED
    assert "page_id" in receipt.error


@pytest.mark.parametrize(
    ("action", "method", "query"),
    [
        (ModerationAction.HIDE, "POST", {"is_hidden": "true", "appsecret_proof": PROOF}),
        (ModerationAction.UNHIDE, "POST", {"is_hidden": "false", "appsecret_proof": PROOF}),
        (ModerationAction.DELETE, "DELETE", {"appsecret_proof": PROOF}),
    ],
)
def test_moderation_hides_unhides_and_deletes_a_comment(
    httpserver: HTTPServer,
    config: dict[str, Any],
    action: ModerationAction,
    method: str,
    query: dict[str, str],
) -> None:
    httpserver.expect_request(
        f"{V}/{COMMENT}", method=method, query_string=query
    ).respond_with_json({"success": True})
    account = AccountContext(public_id="p", config=config, secret=APP_SECRET)
    receipt = connector.moderate(action=action, external_id=COMMENT, account=account)
    assert receipt.status is DeliveryStatus.SENT
    httpserver.check_assertions()


def test_moderation_of_something_that_is_not_a_comment_id_makes_no_call(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    account = AccountContext(public_id="p", config=config, secret=APP_SECRET)
    receipt = connector.moderate(
        action=ModerationAction.DELETE, external_id="m_Vq3xbBzS9k7dQ2", account=account
    )
    assert receipt.status is DeliveryStatus.FAILED
    assert httpserver.log == []


@pytest.mark.django_db
def test_the_framework_retries_a_throttled_reply_then_records_it_sent(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    account = create_profile(connector="facebook", config=config, app_secret=APP_SECRET)
    httpserver.expect_ordered_request(f"{V}/{COMMENT}/comments").respond_with_json(
        graph_error(32, "Page request limit reached"), status=400, headers={"Retry-After": "60"}
    )
    httpserver.expect_ordered_request(f"{V}/{COMMENT}/comments").respond_with_json({"id": "c9"})
    delivery = services.queue_delivery(account=account, message=comment_reply(Visibility.PUBLIC))
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "queued"
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=50)
    services.deliver(delivery_id=delivery.pk)
    delivery = OutboundDelivery.objects.get(pk=delivery.pk)
    assert (delivery.status, delivery.external_id, delivery.attempts) == ("sent", "c9", 2)


def test_the_capabilities_say_what_send_and_moderate_do() -> None:
    from loket.channels import registry

    found = registry.connector("facebook")
    assert isinstance(found, FacebookConnector)
    capabilities = found.capabilities
    assert capabilities.public_reply
    assert capabilities.private_reply
    assert capabilities.private_reply_to_public
    assert capabilities.private_reply_window == timedelta(hours=24)
    assert capabilities.moderation
    assert registry.as_moderating(found) is not None
    assert registry.as_handshaking(found) is not None
    assert registry.as_polling(found) is None
    assert not capabilities.attachments
