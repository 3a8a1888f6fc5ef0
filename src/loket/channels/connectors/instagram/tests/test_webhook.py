"""Instagram deliveries through the real webhook view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from loket.channels.connectors.meta_common.signature import sign
from loket.channels.connectors.meta_common.testing import create_profile, deliver, hook_url
from loket.channels.models import ChannelAccount, InboundEvent

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures"
APP_SECRET = "9b1d7e3c5a0f4b2e8d6c1a7f3e9b5d0c"
VERIFY_TOKEN = "stad-voorbeeld-instagram-2026"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


@pytest.fixture
def account() -> ChannelAccount:
    return create_profile(
        connector="instagram",
        config={
            "ig_user_id": "17841405822304914",
            "access_token": "IGAAinstagram-token",
            "verify_token": VERIFY_TOKEN,
        },
        app_secret=APP_SECRET,
    )


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("comments__top_level", "17912345678901234"),
        ("mentions__in_comment", "mention:17987654321098765"),
        ("messages__text", None),
    ],
)
def test_a_signed_delivery_is_accepted_and_a_replay_is_a_duplicate(
    account: ChannelAccount, name: str, key: str | None
) -> None:
    client = Client()
    body = fixture(name)
    assert deliver(client, account, body, app_secret=APP_SECRET).json() == {"status": "accepted"}
    assert deliver(client, account, body, app_secret=APP_SECRET).json() == {"status": "duplicate"}
    stored = InboundEvent.objects.get()
    if key is not None:
        assert stored.event_key == key


def test_the_echo_of_our_own_dm_is_acknowledged(account: ChannelAccount) -> None:
    response = deliver(Client(), account, fixture("messages__echo"), app_secret=APP_SECRET)
    assert response.status_code == 200  # stored; the intake's echo guard drops it


@pytest.mark.parametrize("signature", [None, "sha256=deadbeef"])
def test_a_missing_or_bad_signature_is_401(account: ChannelAccount, signature: str | None) -> None:
    response = deliver(
        Client(), account, fixture("comments__top_level"), app_secret=None, signature=signature
    )
    assert response.status_code == 401
    assert InboundEvent.objects.count() == 0


def test_a_reserialised_body_no_longer_verifies(account: ChannelAccount) -> None:
    body = fixture("comments__top_level")
    reserialised = json.dumps(json.loads(body), separators=(",", ":")).encode()
    response = deliver(
        Client(), account, reserialised, app_secret=None, signature=sign(body, APP_SECRET)
    )
    assert response.status_code == 401


def test_the_verification_handshake(account: ChannelAccount) -> None:
    client = Client()
    query = {
        "hub.mode": "subscribe",
        "hub.challenge": "733910522",
        "hub.verify_token": VERIFY_TOKEN,
    }
    answer = client.get(hook_url(account), query)
    assert (answer.status_code, answer.content) == (200, b"733910522")
    assert client.get(hook_url(account), {**query, "hub.verify_token": "x"}).status_code == 403
    assert client.get(hook_url(account)).status_code == 405


@pytest.mark.parametrize("name", ["messaging_seen__read", "messages__deleted"])
def test_a_delivery_without_citizen_messages_is_acknowledged_and_not_stored(
    account: ChannelAccount, name: str
) -> None:
    response = deliver(Client(), account, fixture(name), app_secret=APP_SECRET)
    assert (response.status_code, response.json()) == (200, {"status": "ignored"})
    assert InboundEvent.objects.count() == 0
