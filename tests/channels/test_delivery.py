"""Replies leave through the generic connector: signed, idempotent, retried, visibly failed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from loket.channels import services
from loket.channels.connectors.generic.signing import is_valid
from loket.channels.contracts import OutboundMessage, Visibility
from loket.channels.models import ChannelAccount, OutboundDelivery
from loket.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on loopback that answers with the statuses it is told to."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if status == 429:
                    self.send_header("Retry-After", "7")
                self.end_headers()
                self.wfile.write(json.dumps({"id": f"platform-{len(receiver.requests)}"}).encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/replies"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def account(cast: None, receiver: Receiver) -> tuple[ChannelAccount, str]:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    return services.create_account(
        organisation=organisation,
        connector="generic",
        name="Chat",
        config={"callback_url": receiver.url},
    )


def queue(account: ChannelAccount, key: str = "reply-1") -> OutboundDelivery:
    return services.queue_delivery(
        account=account,
        message=OutboundMessage(
            idempotency_key=key, thread_id="t1", visibility=Visibility.PUBLIC, text="Dag Jef!"
        ),
    )


def test_a_reply_is_posted_signed_with_its_idempotency_key(
    account: tuple[ChannelAccount, str], receiver: Receiver
) -> None:
    channel, secret = account
    delivery = queue(channel)
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert delivery.external_id == "platform-1"
    [request] = receiver.requests
    assert request["headers"]["Idempotency-Key"] == "reply-1"
    assert is_valid(request["headers"]["X-Loket-Signature"], request["body"], secret)
    assert json.loads(request["body"])["text"] == "Dag Jef!"


def test_the_same_idempotency_key_is_queued_once(account: tuple[ChannelAccount, str]) -> None:
    channel, _ = account
    assert queue(channel).pk == queue(channel).pk
    assert OutboundDelivery.objects.count() == 1


def test_a_delivered_message_is_not_sent_again(
    account: tuple[ChannelAccount, str], receiver: Receiver
) -> None:
    channel, _ = account
    delivery = queue(channel)
    services.deliver(delivery_id=delivery.pk)
    assert services.deliver(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("status", [429, 500, 503])
def test_passing_failures_are_retried_with_backoff(
    account: tuple[ChannelAccount, str], receiver: Receiver, status: int
) -> None:
    channel, _ = account
    receiver.statuses = [status]
    delivery = queue(channel)
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "queued"
    assert delivery.next_attempt_at is not None
    assert delivery.last_error == f"HTTP {status}"
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert delivery.attempts == 2


def test_a_refusal_fails_visibly_and_can_be_retried(
    account: tuple[ChannelAccount, str], receiver: Receiver
) -> None:
    channel, _ = account
    receiver.statuses = [400]
    delivery = queue(channel)
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == ("failed", "HTTP 400")
    services.retry_delivery(delivery=delivery)
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_it_gives_up_after_the_last_attempt(
    account: tuple[ChannelAccount, str], receiver: Receiver
) -> None:
    channel, _ = account
    receiver.statuses = [503] * services.MAX_DELIVERY_ATTEMPTS
    delivery = queue(channel)
    for _ in range(services.MAX_DELIVERY_ATTEMPTS):
        services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert "gave up" in delivery.last_error


def test_an_unreachable_platform_is_retried(cast: None) -> None:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    channel, _ = services.create_account(
        organisation=organisation,
        connector="generic",
        name="Weg",
        config={"callback_url": "http://127.0.0.1:9/"},
    )
    delivery = queue(channel)
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "queued"
    assert delivery.last_error == "ConnectionError"


def test_without_a_callback_url_the_reply_fails_visibly(cast: None) -> None:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    channel, _ = services.create_account(
        organisation=organisation, connector="generic", name="Geen"
    )
    delivery = queue(channel)
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert "callback" in delivery.last_error


def test_secrets_are_stored_encrypted(account: tuple[ChannelAccount, str]) -> None:
    channel, secret = account
    stored = ChannelAccount.objects.get(pk=channel.pk).secret_encrypted
    assert secret not in stored
    assert services.account_secret(channel) == secret


def test_a_disconnected_profile_sends_nothing(cast: None, receiver: Receiver) -> None:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    account, _ = services.create_account(
        organisation=organisation,
        connector="generic",
        name="Chat",
        config={"callback_url": receiver.url},
    )
    delivery = services.queue_delivery(
        account=account,
        message=OutboundMessage(
            idempotency_key="k-off", thread_id="t", visibility=Visibility.PUBLIC, text="Dag"
        ),
    )
    ChannelAccount.objects.filter(pk=account.pk).update(is_active=False)
    delivered = services.deliver(delivery_id=delivery.pk)
    assert delivered is not None
    assert delivered.status == "failed"
    assert delivered.last_error == "the profile is disconnected"
    assert receiver.requests == []
