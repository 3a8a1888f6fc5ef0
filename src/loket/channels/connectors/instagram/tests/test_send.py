"""Instagram replies and moderation against a local HTTP server that answers like the Graph
API."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from loket.channels.connectors.instagram.config import InstagramConfig
from loket.channels.connectors.instagram.connector import InstagramConnector
from loket.channels.contracts import (
    AccountContext,
    DeliveryStatus,
    ModerationAction,
    OutboundMessage,
    Visibility,
)

IG = "17841405822304914"
PAGE = "104857392016482"
MEDIA = "18023456789012345"
COMMENT = "17912345678901234"
REPLY = "17912345678905678"
IGSID = "6710928374650192"
TOKEN = "IGAAinstagram-token"
APP_SECRET = "9b1d7e3c5a0f4b2e8d6c1a7f3e9b5d0c"
PROOF = hmac.new(APP_SECRET.encode(), TOKEN.encode(), hashlib.sha256).hexdigest()
V = "/v24.0"
TEXT = "De opening is gepland voor juni."
connector = InstagramConnector()


@pytest.fixture
def config(httpserver: HTTPServer) -> dict[str, Any]:
    return {
        "ig_user_id": IG,
        "access_token": TOKEN,
        "verify_token": "stad-voorbeeld-instagram-2026",
        "graph_api_base": httpserver.url_for("/"),
    }


def ago(**delta: float) -> str:
    return (timezone.now() - timedelta(**delta)).isoformat()


def reply(visibility: Visibility, thread: str = MEDIA, **context: Any) -> OutboundMessage:
    return OutboundMessage(
        idempotency_key="reply-ig-1",
        thread_id=thread,
        visibility=visibility,
        text=TEXT,
        in_reply_to=context.get("comment_id"),
        reply_context=context,
    )


def comment_context(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "comment",
        "ig_user_id": IG,
        "media_id": MEDIA,
        "comment_id": COMMENT,
        "message_time": ago(hours=3),
        **extra,
    }


def send(message: OutboundMessage, config: dict[str, Any]) -> Any:
    return connector.send(message=message, secret=APP_SECRET, config=config)


def expect(httpserver: HTTPServer, path: str, **kwargs: Any) -> Any:
    return httpserver.expect_request(
        f"{V}/{path}",
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}"},
        query_string={"appsecret_proof": PROOF},
        **kwargs,
    )


def test_a_public_reply_goes_under_the_comment(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(httpserver, f"{COMMENT}/replies", json={"message": TEXT}).respond_with_json(
        {"id": "17912345678900001"}
    )
    receipt = send(reply(Visibility.PUBLIC, **comment_context()), config)
    assert (receipt.status, receipt.external_id) == (DeliveryStatus.SENT, "17912345678900001")


def test_an_answer_to_a_reply_goes_under_the_top_level_comment(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(httpserver, f"{COMMENT}/replies").respond_with_json({"id": "17912345678900002"})
    context = comment_context(comment_id=REPLY, parent_id=COMMENT)
    assert send(reply(Visibility.PUBLIC, **context), config).status is DeliveryStatus.SENT


def test_a_private_reply_to_a_comment_is_a_message_by_comment_id(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(
        httpserver,
        f"{IG}/messages",
        json={"recipient": {"comment_id": COMMENT}, "message": {"text": TEXT}},
    ).respond_with_json({"recipient_id": IGSID, "message_id": "aWdf-private-1"})
    receipt = send(reply(Visibility.PRIVATE, **comment_context()), config)
    assert (receipt.status, receipt.external_id) == (DeliveryStatus.SENT, "aWdf-private-1")


def test_a_private_reply_after_7_days_is_refused_without_a_call(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    receipt = send(
        reply(Visibility.PRIVATE, **comment_context(message_time=ago(days=7, hours=1))), config
    )
    assert receipt.status is DeliveryStatus.FAILED
    assert "7 days" in receipt.error
    assert httpserver.log == []


def test_a_mention_is_answered_through_the_mentions_edge(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(
        httpserver,
        f"{IG}/mentions",
        json={"media_id": "17887654321012345", "comment_id": "17987654321098765", "message": TEXT},
    ).respond_with_json({"id": "17912345678900003"})
    context = {
        "kind": "mention",
        "ig_user_id": IG,
        "media_id": "17887654321012345",
        "comment_id": "17987654321098765",
    }
    assert send(reply(Visibility.PUBLIC, **context), config).status is DeliveryStatus.SENT
    private = send(reply(Visibility.PRIVATE, **context), config)
    assert private.status is DeliveryStatus.FAILED
    assert len(httpserver.log) == 1


def test_a_dm_is_answered_within_24_hours_only(
    httpserver: HTTPServer, config: dict[str, Any]
) -> None:
    expect(
        httpserver,
        f"{IG}/messages",
        json={"recipient": {"id": IGSID}, "message": {"text": TEXT}},
    ).respond_with_json({"recipient_id": IGSID, "message_id": "aWdf-dm-1"})
    context = {"kind": "dm", "account_id": IG, "citizen_id": IGSID}
    thread = f"{IG}:{IGSID}"
    fresh = send(reply(Visibility.PRIVATE, thread, **context, message_time=ago(hours=23)), config)
    assert fresh.external_id == "aWdf-dm-1"
    late = send(reply(Visibility.PRIVATE, thread, **context, message_time=ago(hours=25)), config)
    assert late.status is DeliveryStatus.FAILED
    assert "24-hour" in late.error
    public = send(reply(Visibility.PUBLIC, thread, **context), config)
    assert public.status is DeliveryStatus.FAILED
    assert len(httpserver.log) == 1


def test_with_facebook_login_dms_go_through_the_page(httpserver: HTTPServer) -> None:
    config = {
        "ig_user_id": IG,
        "login": "facebook",
        "page_id": PAGE,
        "access_token": TOKEN,
        "verify_token": "stad-voorbeeld-instagram-2026",
        "graph_api_base": httpserver.url_for("/"),
    }
    expect(httpserver, f"{PAGE}/messages").respond_with_json({"message_id": "m-page"})
    context = {"kind": "dm", "citizen_id": IGSID, "message_time": ago(minutes=5)}
    receipt = send(reply(Visibility.PRIVATE, f"{IG}:{IGSID}", **context), config)
    assert receipt.external_id == "m-page"


def test_the_graph_host_follows_the_login() -> None:
    base = {"ig_user_id": IG, "access_token": TOKEN, "verify_token": "12345678"}
    assert str(InstagramConfig.model_validate(base).graph_api_base).startswith(
        "https://graph.instagram.com"
    )
    with_facebook = InstagramConfig.model_validate({**base, "login": "facebook", "page_id": PAGE})
    assert str(with_facebook.graph_api_base).startswith("https://graph.facebook.com")
    with pytest.raises(ValueError, match="page_id is required"):
        InstagramConfig.model_validate({**base, "login": "facebook"})


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (429, {}, DeliveryStatus.RETRY),
        (500, {}, DeliveryStatus.RETRY),
        (
            400,
            {"error": {"code": 4, "message": "Application request limit reached"}},
            DeliveryStatus.RETRY,
        ),
        (400, {"error": {"code": 100, "message": "Invalid parameter"}}, DeliveryStatus.FAILED),
        (400, {"error": {"code": 190, "message": "Session has expired"}}, DeliveryStatus.FAILED),
    ],
)
def test_errors_map_to_retry_or_failed(
    httpserver: HTTPServer,
    config: dict[str, Any],
    status: int,
    body: dict[str, Any],
    expected: DeliveryStatus,
) -> None:
    expect(httpserver, f"{COMMENT}/replies").respond_with_json(
        body, status=status, headers={"Retry-After": "45"}
    )
    receipt = send(reply(Visibility.PUBLIC, **comment_context()), config)
    assert receipt.status is expected
    if expected is DeliveryStatus.RETRY:
        assert receipt.retry_after == timedelta(seconds=45)
    else:
        assert receipt.error


@pytest.mark.parametrize(
    ("action", "method", "query"),
    [
        (ModerationAction.HIDE, "POST", {"hide": "true", "appsecret_proof": PROOF}),
        (ModerationAction.UNHIDE, "POST", {"hide": "false", "appsecret_proof": PROOF}),
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


def test_a_mention_cannot_be_moderated(httpserver: HTTPServer, config: dict[str, Any]) -> None:
    account = AccountContext(public_id="p", config=config, secret=APP_SECRET)
    receipt = connector.moderate(
        action=ModerationAction.HIDE, external_id="mention:17987654321098765", account=account
    )
    assert receipt.status is DeliveryStatus.FAILED
    assert httpserver.log == []


def test_the_capabilities_say_what_send_and_moderate_do() -> None:
    from loket.channels import registry

    found = registry.connector("instagram")
    assert isinstance(found, InstagramConnector)
    capabilities = found.capabilities
    assert capabilities.public_reply
    assert capabilities.private_reply
    assert capabilities.private_reply_to_public
    assert capabilities.private_reply_window == timedelta(hours=24)
    assert capabilities.max_length == 1000
    assert capabilities.moderation
    assert registry.as_moderating(found) is not None
    assert registry.as_handshaking(found) is not None
