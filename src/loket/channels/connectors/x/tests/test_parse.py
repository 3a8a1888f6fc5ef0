"""The X parser on documented payload shapes, on bad payloads and on hostile input."""

from __future__ import annotations

import contextlib
import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.x.parse import parse
from loket.channels.contracts import ConversationKind, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"
PROFILE = "1650203040506070809"
INBOUND_FIXTURES = sorted(
    path.stem
    for path in FIXTURES.glob("*.json")
    if not path.stem.startswith(("error__", "users_mentions__", "dm_events__"))
    and "__created" not in path.stem
    and "__hidden" not in path.stem
)


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def fixture_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(fixture(name))
    return data


def body(data: Any) -> bytes:
    return json.dumps(data).encode()


# ---------------------------------------------------------------------------------------
# Account Activity API


def test_a_mention_opens_a_public_thread_of_its_own() -> None:
    [message] = parse(fixture("tweet_create_events__mention"))
    assert message.external_id == "2126605767275450983"
    assert message.thread_id == "2126605767275450983"
    assert message.kind is ConversationKind.PUBLIC_THREAD
    assert message.visibility is Visibility.PUBLIC
    assert message.in_reply_to is None
    assert message.author.external_id == "88112233"
    assert message.author.name == "Jef Peeters (@jef_peeters)"
    assert message.created_at == datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
    assert not message.is_echo
    # The t.co link is shown as where it leads.
    assert message.text.endswith("https://www.example.be/melding/straatlamp-kerkstraat")
    assert message.reply_context == {
        "tweet_id": "2126605767275450983",
        "author_id": "88112233",
        "screen_name": "jef_peeters",
        "conversation_id": "2126605767275450983",
    }


def test_a_reply_threads_under_the_post_it_answers_with_its_whole_text() -> None:
    [message] = parse(fixture("tweet_create_events__reply_to_our_post"))
    assert message.thread_id == "2123687789982650983"
    assert message.in_reply_to == "2123687789982650983"
    # The extended text, not the truncated one, and without the photo's t.co link.
    assert message.text.endswith("Komt er een veilige fietsroute?")
    assert "…" not in message.text
    [photo] = message.attachments
    assert photo.kind == "image"
    assert photo.url == "https://pbs.example.com/media/omleiding-stationsstraat.jpg"


def test_the_profiles_own_post_is_an_echo() -> None:
    [message] = parse(fixture("tweet_create_events__own_reply"))
    assert message.is_echo
    assert message.thread_id == "2126605767275450983"


def test_a_retweet_holds_no_message() -> None:
    assert parse(fixture("tweet_create_events__retweet")) == []


@pytest.mark.parametrize(
    "name", ["favorite_events__like", "tweet_delete_events__deleted", "like_create__of_our_post"]
)
def test_events_without_a_citizen_message_give_none(name: str) -> None:
    assert parse(fixture(name)) == []


def test_a_direct_message_opens_a_private_thread_per_conversation() -> None:
    [message] = parse(fixture("direct_message_events__received"))
    assert message.external_id == "2126633638425530983"
    assert message.kind is ConversationKind.PRIVATE
    assert message.visibility is Visibility.PRIVATE
    # X's own id of a one-to-one conversation: the smaller user id first.
    assert message.thread_id == "dm:1650203040506070809-1702003004005006007"
    assert message.author.name == "Lore Maes (@lore_maes)"
    assert message.created_at == datetime(2026, 11, 28, 11, 5, 45, tzinfo=UTC)
    assert "https://www.example.be/parkeren" in message.text
    assert not message.is_echo
    assert message.reply_context["sender_id"] == "1702003004005006007"


def test_a_direct_message_with_a_photo() -> None:
    [message] = parse(fixture("direct_message_events__with_photo"))
    assert message.thread_id == "dm:88112233-1650203040506070809"
    assert message.text == "Hier is een foto van het sluikstort aan de Molenweg."
    assert message.attachments[0].url == "https://ton.example.com/dm/sluikstort-molenweg.jpg"


def test_a_direct_message_the_profile_sent_is_an_echo() -> None:
    [message] = parse(fixture("direct_message_events__sent_by_profile"))
    assert message.is_echo
    assert message.thread_id == "dm:1650203040506070809-1702003004005006007"


def test_several_events_in_one_delivery() -> None:
    data = fixture_json("tweet_create_events__mention")
    data["tweet_create_events"] += fixture_json("tweet_create_events__own_reply")[
        "tweet_create_events"
    ]
    data["direct_message_events"] = fixture_json("direct_message_events__received")[
        "direct_message_events"
    ]
    messages = parse(body(data))
    assert [m.external_id for m in messages] == [
        "2126605767275450983",
        "2126617721041850983",
        "2126633638425530983",
    ]
    assert [m.is_echo for m in messages] == [False, True, False]


def test_the_time_falls_back_to_created_at_and_then_to_the_id() -> None:
    data = fixture_json("tweet_create_events__mention")
    tweet = data["tweet_create_events"][0]
    del tweet["timestamp_ms"]
    [message] = parse(body(data))
    assert message.created_at == datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
    del tweet["created_at"]
    [message] = parse(body(data))
    # A post id is a snowflake: it carries its own creation time.
    assert message.created_at == datetime(2026, 11, 28, 9, 15, tzinfo=UTC)


# ---------------------------------------------------------------------------------------
# X Activity API


def test_an_activity_mention_threads_under_the_conversation_root() -> None:
    [message] = parse(fixture("post_mention_create__reply_in_conversation"))
    assert message.external_id == "2126649807467450983"
    assert message.thread_id == "2123687789982650983"
    assert message.in_reply_to == "2126612109063098983"
    assert message.author.name == "Samira Bouzian (@samira_b)"
    assert message.created_at == datetime(2026, 11, 28, 12, 10, tzinfo=UTC)
    assert message.reply_context["event_uuid"] == "2126649807467451234"
    assert not message.is_echo


def test_an_activity_direct_message() -> None:
    [message] = parse(fixture("dm_received__text"))
    assert message.kind is ConversationKind.PRIVATE
    assert message.thread_id == "dm:1650203040506070809-3300445566"
    assert message.author.external_id == "3300445566"
    assert not message.is_echo


def test_activity_events_of_the_profile_itself_are_echoes() -> None:
    [sent] = parse(fixture("dm_sent__by_profile"))
    assert sent.is_echo
    data = fixture_json("post_mention_create__reply_in_conversation")
    data["data"]["event_type"] = "post.create"
    data["data"]["payload"]["author_id"] = PROFILE
    [own_post] = parse(body(data))
    assert own_post.is_echo


def test_an_activity_post_without_a_time_takes_it_from_its_id() -> None:
    data = fixture_json("post_mention_create__reply_in_conversation")
    del data["data"]["payload"]["created_at"]
    [message] = parse(body(data))
    assert message.created_at == datetime(2026, 11, 28, 12, 10, tzinfo=UTC)


def test_a_long_post_is_read_from_its_note() -> None:
    data = fixture_json("post_mention_create__reply_in_conversation")
    data["data"]["payload"]["note_tweet"] = {"text": "Heel lang verhaal. " * 30}
    [message] = parse(body(data))
    assert message.text.startswith("Heel lang verhaal.")
    assert len(message.text) > 280


@pytest.mark.parametrize("event_type", ["chat.received", "follow.follow", "post.delete"])
def test_other_activity_events_give_no_message(event_type: str) -> None:
    data = fixture_json("dm_received__text")
    data["data"]["event_type"] = event_type
    assert parse(body(data)) == []


def test_the_same_dm_conversation_has_one_thread_whatever_the_way_in() -> None:
    [by_webhook] = parse(fixture("direct_message_events__received"))
    polled = {
        "for_user_id": PROFILE,
        "data": fixture_json("dm_events__page")["data"][1],
        "includes": {},
    }
    [by_polling] = parse(body(polled))
    assert by_polling.thread_id == by_webhook.thread_id


# ---------------------------------------------------------------------------------------
# What is wrong is said


def mention_with(**changes: Any) -> bytes:
    data = fixture_json("tweet_create_events__mention")
    data["tweet_create_events"][0].update(changes)
    return body(data)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"{}", "for_user_id"),
        (b'{"for_user_id": "abc"}', "for_user_id"),
        (b'{"for_user_id": "1", "tweet_create_events": {}}', "tweet_create_events: must be a list"),
        (mention_with(user=None), "tweet_create_events[0].user"),
        (mention_with(id_str="12ab", id=None), "tweet_create_events[0].id_str"),
        (mention_with(text=None), "tweet_create_events[0].text"),
        (mention_with(in_reply_to_status_id_str="x"), "in_reply_to"),
        (mention_with(timestamp_ms="soon"), "timestamp_ms"),
        (b'{"data": {"event_type": "dm.received", "payload": {}}}', "data.filter"),
        (b'{"data": {"payload": {}}}', "data.event_type"),
        (b'{"data": []}', "data: must be a JSON object"),
        (b'{"data": {"id": "1"}}', "neither"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_bad_payloads_say_what_is_wrong(raw: bytes, says: str) -> None:
    with pytest.raises(PayloadError, match=says.replace("[", r"\[").replace("]", r"\]")):
        parse(raw)


def test_a_bad_activity_payload_says_what_is_wrong() -> None:
    data = fixture_json("dm_received__text")
    data["data"]["payload"]["dm_conversation_id"] = "../../etc"
    with pytest.raises(PayloadError, match="dm_conversation_id"):
        parse(body(data))
    data = fixture_json("post_mention_create__reply_in_conversation")
    data["data"]["payload"]["created_at"] = "2026-11-28T12:10:00"
    with pytest.raises(PayloadError, match="time zone"):
        parse(body(data))


def test_a_hostile_payload_cannot_inflate_the_text() -> None:
    short = "https://t.co/a"
    entities = {"urls": [{"url": short, "expanded_url": "x" * 2000}] * 50}
    raw = mention_with(text=short * 1400, entities=entities)
    [message] = parse(raw)
    assert len(message.text) <= 20_000


# ---------------------------------------------------------------------------------------
# Hostile input: only PayloadError or a list of messages ever comes out


def parse_or_refuse(raw: bytes) -> None:
    with contextlib.suppress(PayloadError):
        result = parse(raw)
        assert isinstance(result, list)


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_bytes_parse_or_give_a_payload_error(raw: bytes) -> None:
    parse_or_refuse(raw)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["1650203040506070809", "88112233", "", "Sat Nov 28 09:15:00 +0000 2026"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=30,
)


@given(JSON_VALUES)
@settings(max_examples=300, deadline=None)
def test_any_json_parses_or_gives_a_payload_error(data: object) -> None:
    parse_or_refuse(json.dumps(data).encode())


@given(st.sampled_from(INBOUND_FIXTURES), st.data())
@settings(max_examples=300, deadline=None)
def test_truncated_payloads_give_a_payload_error(name: str, data: st.DataObject) -> None:
    raw = fixture(name)
    cut = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    parse_or_refuse(raw[:cut])


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


@given(st.sampled_from(INBOUND_FIXTURES), st.data())
@settings(max_examples=500, deadline=None)
def test_documented_payloads_with_any_part_replaced_parse_or_give_a_payload_error(
    name: str, data: st.DataObject
) -> None:
    document = fixture_json(name)
    mutated = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(paths(mutated)[1:] or [()]))
        if not path:
            break
        parent: Any = mutated
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON_VALUES)
    parse_or_refuse(body(mutated))


@pytest.mark.parametrize("name", INBOUND_FIXTURES)
def test_every_inbound_fixture_parses(name: str) -> None:
    assert isinstance(parse(fixture(name)), list)
