"""WhatsApp deliveries through the real webhook view."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.test import Client

from loket.channels.connectors.meta_common.signature import sign
from loket.channels.connectors.meta_common.testing import create_profile, deliver, hook_url
from loket.channels.models import ChannelAccount, InboundEvent

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures"
APP_SECRET = "5e2a9c7b1d3f4e6a8b0c2d4e6f8a0b1c"
VERIFY_TOKEN = "stad-voorbeeld-whatsapp-2026"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


@pytest.fixture
def number() -> ChannelAccount:
    return create_profile(
        connector="whatsapp",
        config={
            "phone_number_id": "109283746501928",
            "access_token": "EAAGsystem-user-token",
            "verify_token": VERIFY_TOKEN,
        },
        app_secret=APP_SECRET,
    )


def test_a_signed_message_is_accepted_and_a_replay_is_a_duplicate(number: ChannelAccount) -> None:
    client = Client()
    body = fixture("messages__text")
    assert deliver(client, number, body, app_secret=APP_SECRET).json() == {"status": "accepted"}
    assert deliver(client, number, body, app_secret=APP_SECRET).json() == {"status": "duplicate"}
    wamid = json.loads(body)["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    assert InboundEvent.objects.get().event_key == wamid


def test_a_batch_with_statuses_is_stored_once(number: ChannelAccount) -> None:
    body = fixture("messages__batch")
    assert deliver(Client(), number, body, app_secret=APP_SECRET).status_code == 200
    assert InboundEvent.objects.get().event_key == hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize("signature", [None, "sha256=" + "f" * 64, "sha1=abc"])
def test_a_missing_or_bad_signature_is_401(number: ChannelAccount, signature: str | None) -> None:
    response = deliver(
        Client(), number, fixture("messages__text"), app_secret=None, signature=signature
    )
    assert response.status_code == 401
    assert InboundEvent.objects.count() == 0


def test_a_reserialised_body_no_longer_verifies(number: ChannelAccount) -> None:
    body = fixture("messages__text")
    reserialised = json.dumps(json.loads(body)).encode()
    response = deliver(
        Client(), number, reserialised, app_secret=None, signature=sign(body, APP_SECRET)
    )
    assert response.status_code == 401


def test_the_verification_handshake(number: ChannelAccount) -> None:
    client = Client()
    query = {"hub.mode": "subscribe", "hub.challenge": "52819", "hub.verify_token": VERIFY_TOKEN}
    answer = client.get(hook_url(number), query)
    assert (answer.status_code, answer.content) == (200, b"52819")
    assert client.get(hook_url(number), {**query, "hub.verify_token": "nope"}).status_code == 403
    assert client.get(hook_url(number)).status_code == 405


@pytest.mark.parametrize("name", ["statuses__delivered", "statuses__failed", "messages__reaction"])
def test_a_status_only_delivery_is_acknowledged_and_not_stored(
    number: ChannelAccount, name: str
) -> None:
    """Meta retries what is not answered 200 for up to 7 days: statuses must be acknowledged."""
    response = deliver(Client(), number, fixture(name), app_secret=APP_SECRET)
    assert (response.status_code, response.json()) == (200, {"status": "ignored"})
    assert InboundEvent.objects.count() == 0
