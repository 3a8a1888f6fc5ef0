"""The Instagram parser on documented payloads (rebuilt for Loket) and on hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.instagram.parse import parse
from loket.channels.connectors.meta_common.testing import (
    json_values,
    mutations,
    parses_or_refuses,
    truncations,
)
from loket.channels.contracts import ConversationKind, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
IG = "17841405822304914"
MEDIA = "18023456789012345"
COMMENT = "17912345678901234"
IGSID = "6710928374650192"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def document(name: str) -> Any:
    return json.loads(fixture(name))


def test_a_comment_is_a_public_message_under_its_media() -> None:
    [message] = parse(fixture("comments__top_level"))
    assert message.external_id == COMMENT
    assert message.thread_id == MEDIA
    assert message.kind is ConversationKind.PUBLIC_THREAD
    assert message.visibility is Visibility.PUBLIC
    assert (message.author.external_id, message.author.name) == ("7109283746512093", "els.peeters")
    assert message.text.startswith("Wanneer opent het nieuwe zwembad")
    # A comment has no time of its own: the entry's.
    assert message.created_at == datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert message.in_reply_to is None
    assert not message.is_echo
    assert message.reply_context == {
        "kind": "comment",
        "ig_user_id": IG,
        "media_id": MEDIA,
        "comment_id": COMMENT,
        "message_time": "2026-11-28T10:00:00+00:00",
    }


def test_a_reply_names_its_parent_comment() -> None:
    [message] = parse(fixture("comments__reply"))
    assert message.in_reply_to == COMMENT
    assert message.reply_context["parent_id"] == COMMENT


def test_the_accounts_own_comment_is_an_echo() -> None:
    [message] = parse(fixture("comments__by_own_account"))
    assert message.is_echo


def test_a_live_comment_is_marked_live() -> None:
    [message] = parse(fixture("live_comments__during_broadcast"))
    assert message.reply_context["live"] is True


@pytest.mark.parametrize(
    ("name", "external_id", "thread", "where"),
    [
        ("mentions__in_comment", "mention:17987654321098765", "17887654321012345", "comment"),
        ("mentions__in_caption", "mention:17887654321067890", "17887654321067890", "post"),
    ],
)
def test_a_mention_has_a_placeholder_text_and_its_ids_in_the_reply_context(
    name: str, external_id: str, thread: str, where: str
) -> None:
    [message] = parse(fixture(name))
    assert message.external_id == external_id
    assert message.thread_id == thread
    assert message.text.startswith("[@mention of this account on Instagram")
    assert f"ids of the {where}" in message.text
    assert message.author.external_id == f"unknown:{external_id}"
    assert message.reply_context["media_id"] == thread
    assert message.reply_context["text_fetched"] is False


def test_every_entry_and_change_of_a_batch_counts() -> None:
    messages = parse(fixture("comments__batch"))
    assert [m.external_id for m in messages] == [
        COMMENT,
        "17912345678905678",
        "mention:17987654321098765",
    ]


def test_a_direct_message_is_private_in_the_account_and_igsid_thread() -> None:
    [message] = parse(fixture("messages__text"))
    assert message.thread_id == f"{IG}:{IGSID}"
    assert message.kind is ConversationKind.PRIVATE
    assert message.author.external_id == IGSID
    assert message.text == "Hallo, waar kan ik een bewonerskaart voor parkeren aanvragen?"
    assert message.reply_context["kind"] == "dm"
    assert message.reply_context["citizen_id"] == IGSID


def test_an_echo_of_our_dm_is_marked_and_stays_in_the_citizens_thread() -> None:
    [message] = parse(fixture("messages__echo"))
    assert message.is_echo
    assert message.thread_id == f"{IG}:{IGSID}"


def test_a_story_mention_and_a_quoted_reply() -> None:
    [story] = parse(fixture("messages__story_mention"))
    assert story.text == "[mention in a story]"
    assert story.attachments[0].kind == "story_mention"
    [reply] = parse(fixture("messages__reply_to_message"))
    [echo] = parse(fixture("messages__echo"))
    assert reply.in_reply_to == echo.external_id


@pytest.mark.parametrize("name", ["messages__deleted", "messaging_seen__read"])
def test_unsent_messages_and_seen_receipts_are_no_messages(name: str) -> None:
    assert parse(fixture(name)) == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"{", "not valid JSON"),
        (b'{"object": "page", "entry": [{"id": "1"}]}', "object must be 'instagram'"),
        (
            json.dumps(
                {
                    "object": "instagram",
                    "entry": [
                        {
                            "id": IG,
                            "changes": [
                                {
                                    "field": "comments",
                                    "value": document("comments__top_level")["entry"][0]["changes"][
                                        0
                                    ]["value"],
                                }
                            ],
                        }
                    ],
                }
            ).encode(),
            "entry[0].time: required",
        ),
        (
            b'{"object": "instagram", "entry": [{"id": "1", "time": 1795860000, "changes": '
            b'[{"field": "comments", "value": {"id": "1", "from": {"id": "2"}}}]}]}',
            "entry[0].changes[0].value.media: Field required",
        ),
        (
            b'{"object": "instagram", "entry": [{"id": "1", "time": 1795860000, "changes": '
            b'[{"field": "mentions", "value": {"comment_id": "5"}}]}]}',
            "value.media_id: Field required",
        ),
        (
            b'{"object": "instagram", "entry": [{"id": "1", "messaging": [{"sender": {"id": '
            b'"2"}, "recipient": {"id": "1"}, "message": {"mid": "x"}}]}]}',
            "messaging[0].timestamp: Field required",
        ),
    ],
)
def test_bad_payloads_say_what_is_wrong(body: bytes, says: str) -> None:
    with pytest.raises(PayloadError) as raised:
        parse(body)
    assert says in str(raised.value)


@given(st.binary(max_size=400))
@settings(max_examples=200, deadline=None)
def test_any_bytes_parse_or_give_a_payload_error(body: bytes) -> None:
    parses_or_refuses(parse, body)


@given(json_values())
@settings(max_examples=200, deadline=None)
def test_any_json_parses_or_gives_a_payload_error(data: object) -> None:
    parses_or_refuses(parse, json.dumps(data).encode())


@given(st.sampled_from(FIXTURE_NAMES).flatmap(lambda name: truncations(fixture(name))))
@settings(max_examples=200, deadline=None)
def test_truncated_deliveries_parse_or_give_a_payload_error(body: bytes) -> None:
    parses_or_refuses(parse, body)


@given(st.sampled_from(FIXTURE_NAMES).flatmap(lambda name: mutations(document(name))))
@settings(max_examples=400, deadline=None)
def test_deliveries_with_any_value_changed_parse_or_give_a_payload_error(body: bytes) -> None:
    parses_or_refuses(parse, body)
