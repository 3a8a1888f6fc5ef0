"""The Bluesky channel inside Loket: its webhook URL, polling into the inbox, replies and the
echo guard, against a PDS in a local HTTP server that answers like the documented endpoints.
(The same against a real local Bluesky network: test_bluesky_network.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client
from pytest_httpserver import HTTPServer

from loket.channels import services
from loket.channels.connectors.bluesky import xrpc
from loket.channels.connectors.bluesky.send import record_key
from loket.channels.connectors.bluesky.tests.fake_pds import (
    APP_PASSWORD,
    CITY_DID,
    CITY_HANDLE,
    FakePds,
    notification,
)
from loket.channels.contracts import Author, OutboundMessage, Visibility
from loket.channels.models import ChannelAccount, DeliveryState, InboundEvent
from loket.inbox import intake
from loket.inbox.models import Conversation, Message
from loket.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_sessions_from_other_tests() -> Iterator[None]:
    xrpc.sessions.forget()
    yield
    xrpc.sessions.forget()


@pytest.fixture
def pds(httpserver: HTTPServer) -> FakePds:
    return FakePds().install(httpserver)


@pytest.fixture
def account(cast: None, httpserver: HTTPServer) -> ChannelAccount:
    account, _secret = services.create_account(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        connector="bluesky",
        name="Stad Voorbeeld op Bluesky",
        config={
            "service_url": httpserver.url_for("/"),
            "handle": CITY_HANDLE,
            "app_password": APP_PASSWORD,
        },
        handle=f"@{CITY_HANDLE}",
    )
    return account


def test_the_app_password_is_stored_encrypted(account: ChannelAccount) -> None:
    stored = ChannelAccount.objects.get(pk=account.pk).config
    assert APP_PASSWORD not in json.dumps(stored)
    assert services.account_config(account)["app_password"] == APP_PASSWORD


def test_unknown_settings_are_refused(cast: None) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="extra"):
        services.create_account(
            organisation=Organisation.objects.get(slug="stad-voorbeeld"),
            connector="bluesky",
            name="Bluesky",
            config={"handle": CITY_HANDLE, "app_password": "x", "password": "main password"},
        )


@pytest.mark.parametrize(
    "headers", [{}, {"X-Loket-Signature": "sha256=00"}, {"Authorization": "Bearer x"}]
)
def test_anything_posted_to_the_webhook_url_is_refused(
    account: ChannelAccount, headers: dict[str, str]
) -> None:
    """Bluesky does not push; a POST to the profile's webhook URL is never from Bluesky."""
    url = f"/hooks/bluesky/{account.public_id}"
    body = json.dumps(notification(1, indexed_at="2026-11-28T09:00:00.000Z"))
    response = Client().post(url, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert Client().get(url).status_code == 405
    assert InboundEvent.objects.count() == 0


def test_polled_mentions_and_replies_become_messages_in_their_threads(
    account: ChannelAccount, pds: FakePds
) -> None:
    mention = notification(2, reason="mention", indexed_at="2026-11-28T09:05:00.000Z")
    reply = notification(1, reason="reply", indexed_at="2026-11-28T09:01:00.000Z")
    pds.notifications = [mention, reply]
    assert services.poll(account_id=account.pk) == 2
    assert intake.process_pending(seconds=10) == (2, True)
    stored = {m.external_id: m for m in Message.objects.all()}
    assert set(stored) == {mention["uri"], reply["uri"]}
    root = reply["record"]["reply"]["root"]
    assert stored[reply["uri"]].conversation.external_thread_id == root["uri"]
    assert stored[reply["uri"]].in_reply_to_external_id == root["uri"]
    assert stored[reply["uri"]].reply_context["root"] == root
    assert stored[mention["uri"]].conversation.external_thread_id == mention["uri"]
    account.refresh_from_db()
    assert account.poll_cursor == "2026-11-28T09:05:00+00:00"


def test_a_replayed_poll_is_acknowledged_as_duplicates_and_ignored(
    account: ChannelAccount, pds: FakePds
) -> None:
    pds.notifications = [notification(1, indexed_at="2026-11-28T09:01:00.000Z")]
    assert services.poll(account_id=account.pk) == 1
    assert services.poll(account_id=account.pk) == 0  # the newest seen comes again
    ChannelAccount.objects.filter(pk=account.pk).update(poll_cursor="")
    assert services.poll(account_id=account.pk) == 0
    assert InboundEvent.objects.count() == 1
    intake.process_pending(seconds=10)
    assert Message.objects.count() == 1


def test_our_own_posts_are_never_ingested(account: ChannelAccount, pds: FakePds) -> None:
    ours = notification(2, indexed_at="2026-11-28T09:02:00.000Z", author=CITY_DID)
    theirs = notification(1, indexed_at="2026-11-28T09:01:00.000Z")
    pds.notifications = [ours, theirs]
    services.poll(account_id=account.pk)
    intake.process_pending(seconds=10)
    assert list(Message.objects.values_list("external_id", flat=True)) == [theirs["uri"]]


def test_a_revoked_app_password_marks_the_profile(account: ChannelAccount, pds: FakePds) -> None:
    services.update_config(account=account, config={"app_password": "revoked-one"})
    assert services.poll(account_id=account.pk) == 0
    account.refresh_from_db()
    assert account.health_problem.startswith("Bluesky refused the login of stadvoorbeeld.be")
    assert "revoked-one" not in account.health_problem


def test_a_reply_goes_out_once_and_is_not_read_back_as_a_citizen_message(
    account: ChannelAccount, pds: FakePds
) -> None:
    citizen = notification(1, indexed_at="2026-11-28T09:01:00.000Z")
    pds.notifications = [citizen]
    services.poll(account_id=account.pk)
    intake.process_pending(seconds=10)
    message = Message.objects.get()
    outbound = OutboundMessage(
        idempotency_key="reply-fake-1",
        thread_id=message.conversation.external_thread_id,
        visibility=Visibility.PUBLIC,
        text="Het containerpark is vanaf maandag weer open.",
        in_reply_to=message.external_id,
        recipient=Author(citizen["author"]["did"], message.author_name),
        reply_context=message.reply_context,
    )
    delivery = services.queue_delivery(account=account, message=outbound)
    pds.lose_next_answer("com.atproto.repo.createRecord")
    first = services.deliver(delivery_id=delivery.pk)
    assert first is not None
    assert first.status == DeliveryState.QUEUED  # will retry
    second = services.deliver(delivery_id=delivery.pk)
    assert second is not None
    assert second.status == DeliveryState.SENT
    rkey = record_key("reply-fake-1")
    assert second.external_id == f"at://{CITY_DID}/app.bsky.feed.post/{rkey}"
    assert list(pds.records) == [rkey]
    assert pds.records[rkey]["reply"] == {
        "root": citizen["record"]["reply"]["root"],
        "parent": {"uri": citizen["uri"], "cid": citizen["cid"]},
    }
    # Should Bluesky ever list our reply among our notifications, it is ours.
    echo = notification(9, indexed_at="2026-11-28T09:09:00.000Z", author=CITY_DID)
    echo["uri"] = second.external_id
    pds.notifications = [echo, citizen]
    services.poll(account_id=account.pk)
    intake.process_pending(seconds=10)
    assert Message.objects.count() == 1
    assert Conversation.objects.count() == 1
