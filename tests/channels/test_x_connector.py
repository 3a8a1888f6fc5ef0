"""The X connector inside Loket: the real webhook view (CRC, signatures, replays), the intake
with the echo guard, replies through the outbox, and polling with a persisted cursor."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pytest_httpserver import HTTPServer

from loket.channels import services
from loket.channels.connectors.x.signing import signature
from loket.channels.connectors.x.tests.helpers import PROFILE_ID, fixture, fixture_json
from loket.channels.models import ChannelAccount, DeliveryState, InboundEvent, OutboundDelivery
from loket.inbox import services as inbox_services
from loket.inbox.models import Case, Conversation, Message
from loket.tenancy.models import Organisation, User
from tests.conftest import process_all

pytestmark = pytest.mark.django_db

# X's public sample consumer secret and the CRC vector computed with it (channels research).
CONSUMER_SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu"
CRC_TOKEN = "9b4507b3-9040-4669-9ca3-6b94edb50553"
CRC_ANSWER = "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="


def create_profile(**config: Any) -> ChannelAccount:
    account, _secret = services.create_account(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        connector="x",
        name="@StadVoorbeeld",
        config={"user_id": PROFILE_ID, "user_access_token": "user-context-bearer-token", **config},
        secret=CONSUMER_SECRET,
        handle="@StadVoorbeeld",
    )
    return account


@pytest.fixture
def profile(cast: None) -> ChannelAccount:
    return create_profile()


def url(account: ChannelAccount) -> str:
    return f"/hooks/x/{account.public_id}"


def deliver(account: ChannelAccount, raw: bytes, *, secret: str = CONSUMER_SECRET) -> Any:
    return Client().post(
        url(account),
        data=raw,
        content_type="application/json",
        headers={"x-twitter-webhooks-signature": signature(raw, secret)},
    )


# ---------------------------------------------------------------------------------------
# The webhook: CRC, signatures, replays


def test_the_crc_check_is_answered_with_the_consumer_secret(profile: ChannelAccount) -> None:
    answer = Client().get(url(profile), {"crc_token": CRC_TOKEN})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {"response_token": CRC_ANSWER}


def test_a_get_without_crc_token_is_not_a_handshake(profile: ChannelAccount) -> None:
    assert Client().get(url(profile)).status_code == 405
    assert Client().get(url(profile), {"crc_token": ""}).status_code == 400


def test_a_signed_mention_is_accepted_and_stored(profile: ChannelAccount) -> None:
    response = deliver(profile, fixture("tweet_create_events__mention"))
    assert response.status_code == 200
    assert response.json() == {"status": "accepted"}
    assert InboundEvent.objects.get().event_key == "2126605767275450983"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-twitter-webhooks-signature": "sha256=" + "A" * 44},
        {"x-twitter-webhooks-signature": signature(b"another body", CONSUMER_SECRET)},
        {"x-twitter-webhooks-signature": "hunter2"},
    ],
)
def test_a_bad_or_missing_signature_is_401_and_stores_nothing(
    profile: ChannelAccount, headers: dict[str, str]
) -> None:
    response = Client().post(
        url(profile),
        data=fixture("tweet_create_events__mention"),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 401
    assert InboundEvent.objects.count() == 0


def test_a_signature_with_another_secret_is_401(profile: ChannelAccount) -> None:
    response = deliver(profile, fixture("tweet_create_events__mention"), secret="not ours")
    assert response.status_code == 401


def test_the_signature_covers_the_exact_bytes(profile: ChannelAccount) -> None:
    raw = fixture("tweet_create_events__mention")
    reserialised = json.dumps(json.loads(raw)).encode()
    response = Client().post(
        url(profile),
        data=reserialised,
        content_type="application/json",
        headers={"x-twitter-webhooks-signature": signature(raw, CONSUMER_SECRET)},
    )
    assert response.status_code == 401


def test_a_replayed_delivery_is_a_duplicate(profile: ChannelAccount) -> None:
    raw = fixture("post_mention_create__reply_in_conversation")
    assert deliver(profile, raw).json() == {"status": "accepted"}
    again = deliver(profile, raw)  # X retries the same event_uuid
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    assert InboundEvent.objects.count() == 1


def test_the_same_post_by_two_ways_in_is_stored_once(profile: ChannelAccount) -> None:
    assert deliver(profile, fixture("tweet_create_events__mention")).json()["status"] == "accepted"
    polled_like = {
        "data": {
            "event_uuid": "2126605767275451111",
            "filter": {"user_id": PROFILE_ID},
            "event_type": "post.mention.create",
            "payload": {
                "id": "2126605767275450983",
                "text": "@StadVoorbeeld De straatlamp aan de Kerkstraat 14 is al een week stuk.",
                "author_id": "88112233",
                "conversation_id": "2126605767275450983",
            },
        }
    }
    again = deliver(profile, json.dumps(polled_like).encode())
    assert again.json() == {"status": "duplicate"}


def test_a_malformed_body_is_400_saying_what(profile: ChannelAccount) -> None:
    response = deliver(
        profile, b'{"for_user_id": "1650203040506070809", "tweet_create_events": {}}'
    )
    assert response.status_code == 400
    assert "tweet_create_events" in response.json()["error"]


# ---------------------------------------------------------------------------------------
# Into the inbox


def test_mentions_and_dms_reach_the_inbox_and_our_own_posts_do_not(
    profile: ChannelAccount,
) -> None:
    for name in (
        "tweet_create_events__mention",
        "tweet_create_events__own_reply",
        "direct_message_events__received",
        "direct_message_events__sent_by_profile",
        "dm_received__text",
    ):
        assert deliver(profile, fixture(name)).status_code == 200
    process_all()
    messages = {m.external_id: m for m in Message.objects.all()}
    assert set(messages) == {
        "2126605767275450983",  # Jef's mention
        "2126633638425530983",  # Lore's DM
        "2126662390379450983",  # Samira's DM
    }
    mention = messages["2126605767275450983"]
    assert mention.conversation.kind == "public_thread"
    assert mention.reply_context["tweet_id"] == "2126605767275450983"
    dm = messages["2126633638425530983"]
    assert dm.conversation.kind == "private"
    assert dm.conversation.external_thread_id == "dm:1650203040506070809-1702003004005006007"
    assert Conversation.objects.count() == 3


def test_a_reply_to_a_post_joins_the_thread_of_that_post(profile: ChannelAccount) -> None:
    deliver(profile, fixture("tweet_create_events__reply_to_our_post"))
    deliver(profile, fixture("post_mention_create__reply_in_conversation"))
    process_all()
    threads = set(Message.objects.values_list("conversation__external_thread_id", flat=True))
    assert threads == {"2123687789982650983"}


# ---------------------------------------------------------------------------------------
# Replies through the outbox


@pytest.fixture
def live_profile(cast: None, httpserver: HTTPServer) -> ChannelAccount:
    return create_profile(api_base_url=httpserver.url_for("/").rstrip("/"))


def mention_case(account: ChannelAccount) -> Case:
    deliver(account, fixture("tweet_create_events__mention"))
    process_all()
    return Message.objects.get(external_id="2126605767275450983").case


def test_an_agents_public_reply_is_posted_under_the_mention_and_its_echo_ignored(
    live_profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    case = mention_case(live_profile)
    httpserver.expect_request(
        "/2/tweets",
        method="POST",
        json={
            "text": "Bedankt voor je melding! De technische dienst komt langs.",
            "reply": {"in_reply_to_tweet_id": "2126605767275450983"},
        },
    ).respond_with_json(fixture_json("tweets_create__created"), status=201)
    anna = User.objects.get(username="anna")
    inbox_services.reply(
        case=case,
        actor=anna,
        text="Bedankt voor je melding! De technische dienst komt langs.",
        visibility="public",
    )
    delivery = OutboundDelivery.objects.get()
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryState.SENT
    assert delivery.external_id == "2126680000000000983"
    # X shows our reply back on the webhook: it never becomes a citizen message.
    echo = fixture_json("tweet_create_events__own_reply")
    echo["tweet_create_events"][0]["id_str"] = "2126680000000000983"
    deliver(live_profile, json.dumps(echo).encode())
    process_all()
    assert not Message.objects.filter(external_id="2126680000000000983").exists()


def test_the_inbox_holds_x_to_its_limits(live_profile: ChannelAccount) -> None:
    case = mention_case(live_profile)
    anna = User.objects.get(username="anna")
    with pytest.raises(ValidationError, match="280"):
        inbox_services.reply(case=case, actor=anna, text="x" * 281, visibility="public")
    with pytest.raises(ValidationError, match="visibility"):
        inbox_services.reply(case=case, actor=anna, text="Stuur ons een DM.", visibility="private")


def test_a_rate_limited_reply_waits_until_x_allows_it(
    live_profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    case = mention_case(live_profile)
    httpserver.expect_request("/2/tweets").respond_with_json(
        fixture_json("error__too_many_requests"),
        status=429,
        headers={"x-rate-limit-reset": str(int(time.time()) + 600)},
    )
    anna = User.objects.get(username="anna")
    inbox_services.reply(case=case, actor=anna, text="We bekijken het.", visibility="public")
    delivery = OutboundDelivery.objects.get()
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryState.QUEUED
    assert delivery.next_attempt_at is not None
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(minutes=9) < wait <= timedelta(minutes=10)


def test_a_private_reply_goes_out_as_a_dm(
    live_profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    deliver(live_profile, fixture("direct_message_events__received"))
    process_all()
    case = Message.objects.get(external_id="2126633638425530983").case
    httpserver.expect_request(
        "/2/dm_conversations/with/1702003004005006007/messages", method="POST"
    ).respond_with_json(fixture_json("dm_conversations_messages__created"), status=201)
    inbox_services.reply(
        case=case,
        actor=User.objects.get(username="anna"),
        text="Dag Lore, dat kan online via het e-loket.",
        visibility="private",
    )
    delivery = OutboundDelivery.objects.get()
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.external_id) == (DeliveryState.SENT, "2126680000000000984")


# ---------------------------------------------------------------------------------------
# Polling


@pytest.fixture
def polling_profile(cast: None, httpserver: HTTPServer) -> ChannelAccount:
    return create_profile(mode="polling", api_base_url=httpserver.url_for("/").rstrip("/"))


MENTIONS = f"/2/users/{PROFILE_ID}/mentions"


def test_polling_stores_mentions_and_dms_and_keeps_its_place(
    polling_profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json(fixture_json("users_mentions__page"))
    httpserver.expect_request("/2/dm_events").respond_with_json(fixture_json("dm_events__page"))
    assert services.poll(account_id=polling_profile.pk) == 4
    polling_profile.refresh_from_db()
    assert json.loads(polling_profile.poll_cursor) == {
        "mentions_since_id": "2126678748165050983",
        "newest_dm_event_id": "2126677489873850984",
    }
    # The same page again (a lost cursor, an overlapping poll) doubles nothing.
    assert services.poll(account_id=polling_profile.pk) == 0
    process_all()
    # Three citizen messages; the profile's own DM was recognised as an echo.
    assert Message.objects.count() == 3


def test_a_rate_limited_poll_keeps_the_cursor(
    polling_profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    ChannelAccount.objects.filter(pk=polling_profile.pk).update(
        poll_cursor='{"mentions_since_id":"2126605767275450983","newest_dm_event_id":""}'
    )
    httpserver.expect_request(MENTIONS).respond_with_json(
        fixture_json("error__too_many_requests"),
        status=429,
        headers={"x-rate-limit-reset": str(int(time.time()) + 600)},
    )
    httpserver.expect_request("/2/dm_events").respond_with_json(
        fixture_json("error__service_unavailable"), status=503
    )
    assert services.poll(account_id=polling_profile.pk) == 0
    polling_profile.refresh_from_db()
    assert json.loads(polling_profile.poll_cursor)["mentions_since_id"] == "2126605767275450983"
    assert polling_profile.health_problem == ""


def test_an_expired_token_marks_the_profile_unhealthy(
    polling_profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json(
        fixture_json("error__unauthorized"), status=401
    )
    assert services.poll(account_id=polling_profile.pk) == 0
    polling_profile.refresh_from_db()
    assert polling_profile.health_problem.startswith("X answered 401")


def test_a_webhook_profile_is_left_alone_by_the_poller(
    profile: ChannelAccount, httpserver: HTTPServer
) -> None:
    assert services.poll(account_id=profile.pk) == 0
    assert httpserver.log == []


def test_polling_needs_user_credentials(cast: None) -> None:
    with pytest.raises(ValidationError, match="polling needs user credentials"):
        create_profile(mode="polling", user_access_token=None)


def test_the_user_token_is_stored_encrypted(profile: ChannelAccount) -> None:
    stored = ChannelAccount.objects.get(pk=profile.pk).config
    assert "user-context-bearer-token" not in json.dumps(stored)
    assert services.account_config(profile)["user_access_token"] == "user-context-bearer-token"
