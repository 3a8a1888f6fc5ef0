"""WhatsApp replies against a local HTTP server that answers like the Cloud API."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from loket.channels import services
from loket.channels.connectors.meta_common.testing import create_profile
from loket.channels.connectors.whatsapp.connector import WhatsAppConnector
from loket.channels.contracts import DeliveryStatus, OutboundMessage, Visibility
from loket.channels.models import OutboundDelivery

PHONE_NUMBER_ID = "109283746501928"
ELS = "32499000101"
QUOTED = "wamid.SEJnTE16STBPVGt3TURBeE1ERVZBZ0FTR0JRMDAwMDAwMDAwMDAwMDAwMDAwMDE="
TOKEN = "EAAGsystem-user-token"
APP_SECRET = "5e2a9c7b1d3f4e6a8b0c2d4e6f8a0b1c"
PROOF = hmac.new(APP_SECRET.encode(), TOKEN.encode(), hashlib.sha256).hexdigest()
PATH = f"/v24.0/{PHONE_NUMBER_ID}/messages"
TEXT = "Dag Els, het stadhuis is gesloten op 11 november (Wapenstilstand)."
connector = WhatsAppConnector()


@pytest.fixture
def config(httpserver: HTTPServer) -> dict[str, Any]:
    return {
        "phone_number_id": PHONE_NUMBER_ID,
        "access_token": TOKEN,
        "verify_token": "stad-voorbeeld-whatsapp-2026",
        "graph_api_base": httpserver.url_for("/"),
    }


def reply(*, hours_ago: float = 1, **changes: Any) -> OutboundMessage:
    values: dict[str, Any] = {
        "idempotency_key": "reply-wa-1",
        "thread_id": f"{PHONE_NUMBER_ID}:{ELS}",
        "visibility": Visibility.PRIVATE,
        "text": TEXT,
        "in_reply_to": QUOTED,
        "reply_context": {
            "kind": "whatsapp",
            "phone_number_id": PHONE_NUMBER_ID,
            "wa_id": ELS,
            "message_id": QUOTED,
            "message_time": (timezone.now() - timedelta(hours=hours_ago)).isoformat(),
        },
    }
    values.update(changes)
    return OutboundMessage(**values)


def send(message: OutboundMessage, config: dict[str, Any]) -> Any:
    return connector.send(message=message, secret=APP_SECRET, config=config)


def accepted(wamid: str = "wamid.reply-1") -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": ELS, "wa_id": ELS}],
        "messages": [{"id": wamid}],
    }


def expect(httpserver: HTTPServer, **kwargs: Any) -> Any:
    return httpserver.expect_request(
        PATH,
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}"},
        query_string={"appsecret_proof": PROOF},
        **kwargs,
    )


def test_a_reply_within_24_hours_is_a_text_message(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(
        httpserver,
        json={
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": ELS,
            "type": "text",
            "text": {"body": TEXT, "preview_url": False},
        },
    ).respond_with_json(accepted())
    receipt = send(reply(), config)
    assert (receipt.status, receipt.external_id) == (DeliveryStatus.SENT, "wamid.reply-1")
    httpserver.check_assertions()


def test_a_quoted_reply_when_the_profile_asks_for_it(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(httpserver).respond_with_json(accepted())
    send(reply(), {**config, "quote_replies": True})
    assert httpserver.log[0][0].json["context"] == {"message_id": QUOTED}


def test_after_24_hours_a_template_is_needed_and_nothing_is_sent(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    receipt = send(reply(hours_ago=24.5), config)
    assert receipt.status is DeliveryStatus.FAILED
    assert "template message" in receipt.error
    assert httpserver.log == []


def test_metas_own_window_refusal_says_the_same(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(httpserver).respond_with_json(
        {
            "error": {
                "message": "(#131047) Re-engagement message",
                "type": "OAuthException",
                "code": 131047,
                "error_data": {
                    "messaging_product": "whatsapp",
                    "details": "Message failed to send because more than 24 hours have passed.",
                },
            }
        },
        status=400,
    )
    # No message time known: Meta decides.
    message = reply(reply_context={"wa_id": ELS})
    receipt = send(message, config)
    assert receipt.status is DeliveryStatus.FAILED
    assert "template message" in receipt.error
    assert "131047" in receipt.error


def test_whatsapp_has_no_public_replies(httpserver: HTTPServer, config: dict[str, Any]) -> None:
    receipt = send(reply(visibility=Visibility.PUBLIC), config)
    assert receipt.status is DeliveryStatus.FAILED
    assert httpserver.log == []


def test_the_recipient_comes_from_the_thread_when_there_is_no_context(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(httpserver).respond_with_json(accepted())
    send(reply(reply_context={}), config)
    assert httpserver.log[0][0].json["to"] == ELS


@pytest.mark.parametrize(
    ("status", "code", "headers", "wait"),
    [
        (429, None, {"Retry-After": "20"}, timedelta(seconds=20)),
        (400, 130429, {}, None),  # throughput
        (400, 131056, {}, None),  # pair rate: too many messages to this citizen
        (400, 80007, {}, None),  # the business account's rate limit
        (500, 131000, {}, None),
        (503, None, {}, None),
    ],
)
def test_rate_limits_and_passing_failures_are_retried(
    httpserver: HTTPServer,
    config: dict[str, Any],
    status: int,
    code: int | None,
    headers: dict[str, str],
    wait: timedelta | None,
) -> None:
    body = {"error": {"message": "limit", "code": code}} if code else {}
    expect(httpserver).respond_with_json(body, status=status, headers=headers)
    receipt = send(reply(), config)
    assert receipt.status is DeliveryStatus.RETRY
    assert receipt.retry_after == wait


@pytest.mark.parametrize(
    ("code", "says"),
    [
        (131026, "Message undeliverable"),
        (100, "Invalid parameter"),
        (190, "access token is invalid"),
    ],
)
def test_other_errors_fail_plainly(
    httpserver: HTTPServer, config: dict[str, Any], code: int, says: str
) -> None:
    messages = {131026: "Message undeliverable", 100: "Invalid parameter", 190: "Expired"}
    expect(httpserver).respond_with_json(
        {"error": {"message": messages[code], "code": code}}, status=400
    )
    receipt = send(reply(), config)
    assert receipt.status is DeliveryStatus.FAILED
    assert says in receipt.error


def test_an_unreachable_api_is_retried(config: dict[str, Any]) -> None:
    receipt = send(reply(), {**config, "graph_api_base": "http://127.0.0.1:9"})
    assert receipt.status is DeliveryStatus.RETRY


@pytest.mark.django_db
def test_through_the_framework_a_throttled_reply_is_retried_then_sent_once(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    account = create_profile(connector="whatsapp", config=config, app_secret=APP_SECRET)
    httpserver.expect_ordered_request(PATH).respond_with_json(
        {"error": {"message": "Rate limit hit", "code": 130429}}, status=400
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(accepted("wamid.reply-9"))
    delivery = services.queue_delivery(account=account, message=reply())
    again = services.queue_delivery(account=account, message=reply())  # same key: same row
    assert again.pk == delivery.pk
    services.deliver(delivery_id=delivery.pk)
    services.deliver(delivery_id=delivery.pk)
    services.deliver(delivery_id=delivery.pk)  # already sent: nothing happens
    stored = OutboundDelivery.objects.get(pk=delivery.pk)
    assert (stored.status, stored.external_id, stored.attempts) == ("sent", "wamid.reply-9", 2)
    assert len(httpserver.log) == 2


def test_the_capabilities_say_what_send_does() -> None:
    from loket.channels import registry
    from loket.channels.contracts import IdentityScope

    found = registry.connector("whatsapp")
    assert isinstance(found, WhatsAppConnector)
    capabilities = found.capabilities
    assert not capabilities.public_reply
    assert not capabilities.private_reply_to_public
    assert capabilities.private_reply_window == timedelta(hours=24)
    assert capabilities.max_length == 4096
    assert not capabilities.moderation
    assert registry.as_moderating(found) is None
    assert registry.as_handshaking(found) is not None
    assert capabilities.identity_scope is IdentityScope.PLATFORM
