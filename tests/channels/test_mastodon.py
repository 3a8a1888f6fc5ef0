"""A Mastodon profile in Loket, against a local server that answers like Mastodon's API:
the hook refuses everything, polling fills the ledger once, a refused token marks the profile,
and a rate-limited reply waits for the reset."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_httpserver import HTTPServer

from loket.channels import services
from loket.channels.contracts import OutboundMessage, Visibility
from loket.channels.models import ChannelAccount, DeliveryState, InboundEvent
from loket.inbox import intake
from loket.inbox.models import Message
from loket.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


def mention(number: int, text: str = "Wanneer is het containerpark open?") -> dict[str, Any]:
    return {
        "id": str(number),
        "type": "mention",
        "created_at": "2026-11-28T09:15:02.118Z",
        "account": {"id": "77", "username": "jef", "acct": "jef", "display_name": "Jef"},
        "status": {
            "id": str(5000 + number),
            "created_at": "2026-11-28T09:15:00.940Z",
            "in_reply_to_id": None,
            "visibility": "public",
            "content": f"<p>@stadvoorbeeld {text}</p>",
            "mentions": [{"id": "1", "username": "stadvoorbeeld", "acct": "stadvoorbeeld"}],
        },
    }


@pytest.fixture
def profile(cast: None, httpserver: HTTPServer) -> ChannelAccount:
    account, _secret = services.create_account(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        connector="mastodon",
        name="Mastodon",
        config={
            "instance_url": httpserver.url_for("/"),
            "access_token": "token-of-stad-voorbeeld",
            "acct": "stadvoorbeeld",
            "account_id": "1",
        },
        handle="@stadvoorbeeld@stadvoorbeeld.example",
    )
    return account


def test_the_token_is_stored_encrypted(profile: ChannelAccount) -> None:
    assert "token-of-stad-voorbeeld" not in json.dumps(profile.config)
    assert services.account_config(profile)["access_token"] == "token-of-stad-voorbeeld"


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Hub-Signature": "sha256=00"}, {"Authorization": "Bearer token-of-stad-voorbeeld"}],
)
def test_nothing_posted_to_the_hook_is_accepted(
    profile: ChannelAccount, headers: dict[str, str]
) -> None:
    answer = Client().post(
        f"/hooks/mastodon/{profile.public_id}",
        data=json.dumps(mention(1)).encode(),
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 401
    assert not InboundEvent.objects.exists()


def test_the_hook_answers_no_verification_request(profile: ChannelAccount) -> None:
    answer = Client().get(f"/hooks/mastodon/{profile.public_id}", {"hub.challenge": "1"})
    assert answer.status_code == 405


def test_polled_mentions_become_messages_once(
    profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    page = [mention(2, "En op zondag?"), mention(1)]
    httpserver.expect_request("/api/v1/notifications").respond_with_json(page)
    assert services.poll(account_id=profile.pk) == 2
    profile.refresh_from_db()
    assert profile.poll_cursor == "2"
    # The same notifications again (a lost cursor, a server that ignores min_id): duplicates.
    ChannelAccount.objects.filter(pk=profile.pk).update(poll_cursor="")
    assert services.poll(account_id=profile.pk) == 0
    assert InboundEvent.objects.count() == 2
    assert intake.process_pending(seconds=10) == (2, True)
    texts = list(Message.objects.order_by("platform_time", "pk").values_list("text", flat=True))
    assert sorted(texts) == ["En op zondag?", "Wanneer is het containerpark open?"]


def test_a_refused_token_marks_the_profile_until_polling_works_again(
    profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    ChannelAccount.objects.filter(pk=profile.pk).update(poll_cursor="40")
    httpserver.expect_oneshot_request("/api/v1/notifications").respond_with_json(
        {"error": "The access token is invalid"}, status=401
    )
    assert services.poll(account_id=profile.pk) == 0
    profile.refresh_from_db()
    assert "HTTP 401" in profile.health_problem
    assert profile.poll_cursor == "40"
    httpserver.expect_request("/api/v1/notifications").respond_with_json([])
    services.poll(account_id=profile.pk)
    profile.refresh_from_db()
    assert profile.health_problem == ""


def test_a_rate_limited_poll_keeps_its_place(
    profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    ChannelAccount.objects.filter(pk=profile.pk).update(poll_cursor="40")
    httpserver.expect_oneshot_request("/api/v1/notifications").respond_with_json(
        {"error": "Too many requests"},
        status=429,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-11-28T10:05:00Z"},
    )
    assert services.poll(account_id=profile.pk) == 0
    profile.refresh_from_db()
    assert (profile.poll_cursor, profile.health_problem) == ("40", "")
    httpserver.expect_request("/api/v1/notifications").respond_with_json([mention(41)])
    assert services.poll(account_id=profile.pk) == 1


def test_a_rate_limited_reply_waits_for_the_reset_then_goes_out(
    profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    reset = datetime.now(UTC) + timedelta(minutes=3)
    httpserver.expect_oneshot_request("/api/v1/statuses", method="POST").respond_with_json(
        {"error": "Too many requests"},
        status=429,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset.isoformat()},
    )
    delivery = services.queue_delivery(
        account=profile,
        message=OutboundMessage(
            idempotency_key="reply-mastodon-1",
            thread_id="5001",
            visibility=Visibility.PUBLIC,
            text="Van maandag tot zaterdag, 9 tot 17 uur.",
            in_reply_to="5001",
            reply_context={"status_id": "5001", "acct": "jef", "visibility": "public"},
        ),
    )
    waiting = services.deliver(delivery_id=delivery.pk)
    assert waiting is not None
    assert waiting.status == DeliveryState.QUEUED
    assert waiting.last_error == "HTTP 429 from Mastodon: Too many requests"
    assert waiting.next_attempt_at is not None
    assert abs(waiting.next_attempt_at - reset) < timedelta(seconds=10)
    httpserver.expect_oneshot_request("/api/v1/statuses", method="POST").respond_with_json(
        {"id": "5100", "in_reply_to_id": "5001"}
    )
    sent = services.deliver(delivery_id=delivery.pk)
    assert sent is not None
    assert (sent.status, sent.external_id) == (DeliveryState.SENT, "5100")
    assert sent.sent_at is not None
    assert sent.sent_at <= timezone.now()
    posted = [json.loads(request.get_data()) for request, _response in httpserver.log]
    assert posted[-1] == {
        "status": "@jef Van maandag tot zaterdag, 9 tot 17 uur.",
        "in_reply_to_id": "5001",
        "visibility": "unlisted",
    }
    assert {request.headers["Idempotency-Key"] for request, _ in httpserver.log} == {
        "reply-mastodon-1"
    }


def test_a_refused_reply_fails_visibly(profile: ChannelAccount, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/statuses", method="POST").respond_with_json(
        {"error": "The access token is invalid"}, status=401
    )
    delivery = services.queue_delivery(
        account=profile,
        message=OutboundMessage(
            idempotency_key="reply-mastodon-2",
            thread_id="5001",
            visibility=Visibility.PUBLIC,
            text="Dag Jef!",
            reply_context={"status_id": "5001", "acct": "jef", "visibility": "public"},
        ),
    )
    failed = services.deliver(delivery_id=delivery.pk)
    assert failed is not None
    assert failed.status == DeliveryState.FAILED
    profile.refresh_from_db()
    assert profile.health_problem.startswith("sending fails: HTTP 401 from Mastodon")
