"""The Bluesky channel end to end on a real local Bluesky network (PLC, PDS and AppView from
npm's @atproto/dev-env, see .ci/install.d/bluesky.sh): a citizen replies to the city and
mentions it, Loket polls and files the messages, answers in the thread, and a retried
delivery does not post twice. The citizen's side uses the atproto SDK."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from atproto import Client, client_utils, models

from loket.channels import services
from loket.channels.connectors.bluesky import xrpc
from loket.channels.connectors.bluesky.config import BlueskyConfig
from loket.channels.connectors.bluesky.send import record_key
from loket.channels.connectors.bluesky.tests import local_network
from loket.channels.contracts import Author, OutboundMessage, Visibility
from loket.channels.models import ChannelAccount, DeliveryState, OutboundDelivery
from loket.inbox import intake
from loket.inbox.models import Message
from loket.tenancy.models import Organisation

pytestmark = pytest.mark.django_db
CITY = "stadvoorbeeld.test"
CITIZEN = "jef.test"


@pytest.fixture(scope="module")
def network() -> Iterator[local_network.LocalNetwork]:
    missing = local_network.missing()
    if missing:
        reason = f"no local Bluesky network: {missing} (see .ci/install.d/bluesky.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with local_network.local_network() as running:
        yield running


@pytest.fixture
def logins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every createSession Loket makes (Bluesky allows 30 in 5 minutes)."""
    made: list[str] = []
    create = xrpc._create

    def counted(config: Any) -> xrpc.Session:
        made.append(config.handle)
        return create(config)

    xrpc.sessions.forget()
    monkeypatch.setattr(xrpc, "_create", counted)
    return made


def person(network: local_network.LocalNetwork, handle: str) -> Client:
    """A new account on the local PDS, logged in with the SDK."""
    client = Client(base_url=network.pds_url)
    password = f"{handle}-wachtwoord"
    client.com.atproto.server.create_account(
        models.ComAtprotoServerCreateAccount.Data(
            handle=handle, email=f"{handle}@example.org", password=password
        )
    )
    # No profile lookup: the AppView may not have indexed the new account yet.
    client.login(handle, password, fetch_bsky_profile=False)
    session = client._session
    assert session is not None
    client.me = models.AppBskyActorDefs.ProfileViewDetailed(did=session.did, handle=handle)
    return client


def did_of(client: Client) -> str:
    session = client._session
    assert session is not None
    return str(session.did)


def test_loket_answers_a_citizen_in_the_thread(
    cast: None, network: local_network.LocalNetwork, logins: list[str]
) -> None:
    city, citizen = person(network, CITY), person(network, CITIZEN)
    city_did, citizen_did = did_of(city), did_of(citizen)
    app_password = city.com.atproto.server.create_app_password(
        models.ComAtprotoServerCreateAppPassword.Data(name="Loket")
    ).password

    root = city.send_post(
        "Vanaf maandag 1 december zijn er wegenwerken in de Stationsstraat. "
        "Fietsers volgen de omleiding via de Parklaan."
    )
    # The AppView indexes in the background; a reply indexed before its parent would get
    # no notification. Wait for each step.
    network.process_all()
    citizen.like(root.uri, root.cid)  # no message: stays out of the inbox
    root_ref = models.create_strong_ref(root)
    question = citizen.send_post(
        "Hoe lang gaan de werken duren? Kan ik nog met de fiets naar het station?",
        reply_to=models.AppBskyFeedPost.ReplyRef(root=root_ref, parent=root_ref),
    )
    mention = citizen.send_post(
        client_utils.TextBuilder()
        .mention(f"@{CITY}", city_did)
        .text(" de straatlamp aan de Kerkstraat 14 is al een week stuk.")
    )
    network.process_all()
    assert city.app.bsky.notification.get_unread_count().count == 3

    account, _secret = services.create_account(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        connector="bluesky",
        name="Stad Voorbeeld op Bluesky",
        config={
            "service_url": network.pds_url,
            "handle": CITY,
            "app_password": app_password,
            "mark_seen": True,
        },
        handle=f"@{CITY}",
    )

    # Loket polls and files both messages, each in its thread.
    assert services.poll(account_id=account.pk) == 2
    assert intake.process_pending(seconds=10) == (2, True)
    filed = {message.external_id: message for message in Message.objects.all()}
    assert set(filed) == {question.uri, mention.uri}
    asked = filed[question.uri]
    assert asked.conversation.external_thread_id == root.uri
    assert asked.in_reply_to_external_id == root.uri
    assert asked.text.startswith("Hoe lang gaan de werken duren?")
    assert asked.author_name == CITIZEN
    assert filed[mention.uri].conversation.external_thread_id == mention.uri
    assert services.poll(account_id=account.pk) == 0
    account.refresh_from_db()
    assert account.health_problem == ""
    assert city.app.bsky.notification.get_unread_count().count == 0  # mark_seen

    # Loket answers the question in the thread.
    answer_text = f"@{CITIZEN} De werken duren tot 20 december. Fietsers kunnen via de Parklaan."
    delivery = services.queue_delivery(
        account=account,
        message=OutboundMessage(
            idempotency_key="reply-e2e-1",
            thread_id=asked.conversation.external_thread_id,
            visibility=Visibility.PUBLIC,
            text=answer_text,
            in_reply_to=asked.external_id,
            recipient=Author(citizen_did, asked.author_name),
            reply_context=asked.reply_context,
        ),
    )
    sent = services.deliver(delivery_id=delivery.pk)
    assert sent is not None
    assert sent.status == DeliveryState.SENT, sent.last_error
    answer_uri = f"at://{city_did}/app.bsky.feed.post/{record_key('reply-e2e-1')}"
    assert sent.external_id == answer_uri
    network.process_all()

    def replies_to_question() -> list[Any]:
        thread = citizen.get_post_thread(root.uri, depth=5).thread
        [question_view] = [view for view in thread.replies if view.post.uri == question.uri]
        return list(question_view.replies or [])

    [answer] = replies_to_question()
    assert answer.post.uri == answer_uri
    assert answer.post.author.did == city_did
    assert answer.post.record.text == answer_text
    assert answer.post.record.reply.root.uri == root.uri
    assert answer.post.record.reply.parent.uri == question.uri
    [facet] = answer.post.record.facets
    assert facet.features[0].did == citizen_did

    # The worker lost the platform's answer and tries again: no second post.
    OutboundDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryState.QUEUED)
    again = services.deliver(delivery_id=delivery.pk)
    assert again is not None
    assert again.status == DeliveryState.SENT
    assert again.external_id == answer_uri
    network.process_all()
    assert len(replies_to_question()) == 1
    posts = city.com.atproto.repo.list_records(
        models.ComAtprotoRepoListRecords.Params(repo=city_did, collection="app.bsky.feed.post")
    ).records
    assert sorted(post.uri for post in posts) == sorted([root.uri, answer_uri])

    # The citizen is told (as a mention: the answer links their handle); Loket does not
    # read its own answer back.
    told = citizen.app.bsky.notification.list_notifications().notifications
    assert [n.reason for n in told if n.uri == answer_uri] == ["mention"]
    assert services.poll(account_id=account.pk) == 0
    assert Message.objects.filter(direction="inbound").count() == 2
    # Tokens are renewed with the refresh token, not by logging in again.
    config = BlueskyConfig.model_validate(services.account_config(account))
    before = xrpc.sessions.session(config)
    renewed = xrpc.sessions.session(config, renew=True)
    assert renewed.access_jwt != before.access_jwt
    assert renewed.did == city_did
    assert services.poll(account_id=account.pk) == 0
    # One login for all of it: polls and deliveries share the session.
    assert logins == [CITY]
    assert ChannelAccount.objects.get(pk=account.pk).health_problem == ""
