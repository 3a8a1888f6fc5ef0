"""Facebook deliveries through the real webhook view: signatures on the raw bytes, Meta's
verification handshake, replays acknowledged as duplicates."""

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
APP_SECRET = "3f6c0e9a1b7d4e2f8a5c6b9d0e1f2a3b"
VERIFY_TOKEN = "stad-voorbeeld-webhook-2026"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


@pytest.fixture
def page() -> ChannelAccount:
    return create_profile(
        connector="facebook",
        config={
            "page_id": "104857392016482",
            "page_access_token": "EAAGpage-token-stad-voorbeeld",
            "verify_token": VERIFY_TOKEN,
        },
        app_secret=APP_SECRET,
    )


def test_a_signed_comment_is_accepted_and_a_replay_is_a_duplicate(page: ChannelAccount) -> None:
    client = Client()
    body = fixture("feed__comment_add")
    first = deliver(client, page, body, app_secret=APP_SECRET)
    assert (first.status_code, first.json()) == (200, {"status": "accepted"})
    again = deliver(client, page, body, app_secret=APP_SECRET)
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    [stored] = InboundEvent.objects.all()
    assert stored.event_key == "771203948561230_1290384756102938"
    assert bytes(stored.body) == body


def test_an_edit_of_a_comment_we_have_is_acknowledged_as_a_duplicate(
    page: ChannelAccount,
) -> None:
    client = Client()
    deliver(client, page, fixture("feed__comment_add"), app_secret=APP_SECRET)
    edit = deliver(client, page, fixture("feed__comment_edited"), app_secret=APP_SECRET)
    assert (edit.status_code, edit.json()) == (200, {"status": "duplicate"})
    assert InboundEvent.objects.count() == 1


def test_a_batch_is_stored_once_under_its_digest(page: ChannelAccount) -> None:
    body = fixture("feed__batch")
    response = deliver(Client(), page, body, app_secret=APP_SECRET)
    assert response.status_code == 200
    assert InboundEvent.objects.get().event_key == hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize(
    "signature",
    [
        None,  # no header at all
        "",
        "sha256=",
        "sha1=2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
        "sha256=" + "0" * 64,
    ],
)
def test_a_missing_or_bad_signature_is_401_and_stores_nothing(
    page: ChannelAccount, signature: str | None
) -> None:
    response = deliver(
        Client(), page, fixture("feed__comment_add"), app_secret=None, signature=signature
    )
    assert response.status_code == 401
    assert InboundEvent.objects.count() == 0


def test_a_signature_with_another_apps_secret_is_401(page: ChannelAccount) -> None:
    response = deliver(Client(), page, fixture("feed__comment_add"), app_secret="other-secret")
    assert response.status_code == 401


def test_the_signature_holds_for_the_exact_bytes_only(page: ChannelAccount) -> None:
    body = fixture("feed__comment_add")
    reserialised = json.dumps(json.loads(body)).encode()
    response = deliver(
        Client(), page, reserialised, app_secret=None, signature=sign(body, APP_SECRET)
    )
    assert response.status_code == 401


def test_a_signed_but_malformed_delivery_is_400_saying_what(page: ChannelAccount) -> None:
    response = deliver(Client(), page, b'{"object": "page", "entry": [{}]}', app_secret=APP_SECRET)
    assert response.status_code == 400
    assert "entry[0].id" in response.json()["error"]


def test_metas_verification_request_gets_the_bare_challenge(page: ChannelAccount) -> None:
    client = Client()
    query = {
        "hub.mode": "subscribe",
        "hub.challenge": "1158201444",
        "hub.verify_token": VERIFY_TOKEN,
    }
    answer = client.get(hook_url(page), query)
    assert (answer.status_code, answer.content) == (200, b"1158201444")
    assert answer["Content-Type"].startswith("text/plain")
    wrong = client.get(hook_url(page), {**query, "hub.verify_token": "raden"})
    assert wrong.status_code == 403
    assert client.get(hook_url(page), {**query, "hub.mode": "unsubscribe"}).status_code == 403
    assert client.get(hook_url(page)).status_code == 405  # not a verification request


@pytest.mark.parametrize(
    "name", ["feed__comment_remove", "feed__reaction", "message_reads__watermark"]
)
def test_a_delivery_without_citizen_messages_is_acknowledged_and_not_stored(
    page: ChannelAccount, name: str
) -> None:
    response = deliver(Client(), page, fixture(name), app_secret=APP_SECRET)
    assert (response.status_code, response.json()) == (200, {"status": "ignored"})
    assert InboundEvent.objects.count() == 0
