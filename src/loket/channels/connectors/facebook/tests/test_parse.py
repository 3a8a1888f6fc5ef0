"""The Facebook parser on documented payloads (rebuilt for Loket) and on hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.facebook.parse import parse
from loket.channels.connectors.meta_common.testing import (
    json_values,
    mutations,
    parses_or_refuses,
    truncations,
)
from loket.channels.contracts import ConversationKind, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
PAGE = "104857392016482"
POST = "104857392016482_771203948561230"
COMMENT = "771203948561230_1290384756102938"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def document(name: str) -> Any:
    return json.loads(fixture(name))


def test_a_new_comment_is_a_public_message_in_the_posts_thread() -> None:
    [message] = parse(fixture("feed__comment_add"))
    assert message.external_id == COMMENT
    assert message.thread_id == POST
    assert message.kind is ConversationKind.PUBLIC_THREAD
    assert message.visibility is Visibility.PUBLIC
    assert (message.author.external_id, message.author.name) == ("7391028475610293", "Els Peeters")
    assert message.text.startswith("Wanneer wordt het grof vuil opgehaald in de Kerkstraat?")
    assert message.created_at == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert message.in_reply_to is None  # its parent is the post, not a message of ours
    assert not message.is_echo
    assert message.reply_context == {
        "kind": "comment",
        "page_id": PAGE,
        "post_id": POST,
        "comment_id": COMMENT,
        "message_time": "2026-11-28T10:00:00+00:00",
    }


def test_a_reply_to_a_comment_names_the_comment() -> None:
    [message] = parse(fixture("feed__comment_reply"))
    assert message.thread_id == POST
    assert message.in_reply_to == COMMENT
    assert message.reply_context["parent_id"] == COMMENT


def test_an_edit_keeps_the_comments_id_so_it_creates_no_new_message() -> None:
    [original] = parse(fixture("feed__comment_add"))
    [edited] = parse(fixture("feed__comment_edited"))
    assert edited.external_id == original.external_id
    assert edited.thread_id == original.thread_id
    assert "24 november" in edited.text


@pytest.mark.parametrize(
    "name", ["feed__comment_remove", "feed__reaction", "message_reads__watermark"]
)
def test_removals_reactions_and_read_receipts_are_no_messages(name: str) -> None:
    assert parse(fixture(name)) == []


def test_the_pages_own_comment_and_post_are_echoes() -> None:
    [comment] = parse(fixture("feed__comment_by_page"))
    [post] = parse(fixture("feed__page_post"))
    assert comment.is_echo
    assert comment.author.external_id == PAGE
    assert post.is_echo


def test_a_visitors_post_on_the_page_opens_its_own_thread() -> None:
    [message] = parse(fixture("feed__visitor_post"))
    assert message.external_id == message.thread_id == "104857392016482_771203948569999"
    assert message.author.name == "An Janssens"
    assert not message.is_echo
    assert message.reply_context["kind"] == "post"


def test_a_comment_with_only_a_photo_says_so_and_keeps_the_url_as_metadata() -> None:
    [message] = parse(fixture("feed__comment_with_photo"))
    assert message.text == "[image]"
    assert message.attachments[0].kind == "image"
    assert message.attachments[0].url.startswith("https://scontent.xx.fbcdn.net/")


def test_every_entry_and_change_of_a_batch_counts() -> None:
    messages = parse(fixture("feed__batch"))
    assert [m.external_id for m in messages] == [COMMENT, "771203948562875_1290384756200001"]
    assert messages[1].thread_id == "104857392016482_771203948562875"


def test_a_messenger_message_is_private_in_the_page_and_psid_thread() -> None:
    [message] = parse(fixture("messages__text"))
    assert message.external_id == "m_Vq3xbBzS9k7dQ2Yh1aT0cLrW8eJ5nG6uP4iM"
    assert message.thread_id == f"{PAGE}:6283019475829104"
    assert message.kind is ConversationKind.PRIVATE
    assert message.visibility is Visibility.PRIVATE
    assert message.author.external_id == "6283019475829104"
    assert message.created_at == datetime(2026, 11, 28, 10, 0, 0, 123000, tzinfo=UTC)
    assert message.reply_context == {
        "kind": "messenger",
        "account_id": PAGE,
        "citizen_id": "6283019475829104",
        "mid": message.external_id,
        "message_time": "2026-11-28T10:00:00.123000+00:00",
    }


def test_a_quoted_messenger_reply_names_the_quoted_message() -> None:
    [message] = parse(fixture("messages__quoted_reply"))
    assert message.in_reply_to == "m_Pg4tHn7Qw1zX8cV2bM5kL3jR9eY6uA0sD1fG"


def test_a_messenger_echo_is_marked_and_stays_in_the_citizens_thread() -> None:
    [message] = parse(fixture("message_echoes__text"))
    assert message.is_echo
    assert message.thread_id == f"{PAGE}:6283019475829104"


def test_an_image_without_text_and_a_postback() -> None:
    [image] = parse(fixture("messages__image"))
    assert image.text == "[image]"
    assert image.attachments[0].url.endswith("sluikstort-molenstraat.jpg")
    [postback] = parse(fixture("messaging_postbacks__get_started"))
    assert postback.text == "Aan de slag"
    assert postback.external_id == "m_Yb6nMu9Ij3kO4lP7aS0dF2gH5jK8lZ1xC4vB"


def test_a_comment_without_its_author_gets_an_id_of_its_own() -> None:
    data = document("feed__comment_add")
    del data["entry"][0]["changes"][0]["value"]["from"]
    [message] = parse(json.dumps(data).encode())
    assert message.author.external_id == f"unknown:{COMMENT}"


def test_unsafe_media_urls_are_not_kept() -> None:
    data = document("messages__image")
    data["entry"][0]["messaging"][0]["message"]["attachments"][0]["payload"]["url"] = (
        "javascript:alert(1)"
    )
    [message] = parse(json.dumps(data).encode())
    assert message.attachments[0].url == ""


def _with_value(change: dict[str, Any]) -> bytes:
    data = document("feed__comment_add")
    data["entry"][0]["changes"][0]["value"].update(change)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b'"page"', "JSON object"),
        (b'{"object": "instagram", "entry": [{"id": "1"}]}', "object must be 'page'"),
        (b'{"object": "page"}', "body.entry: Field required"),
        (b'{"object": "page", "entry": []}', "body.entry"),
        (b'{"object": "page", "entry": [{"changes": []}]}', "body.entry[0].id"),
        (_with_value({"comment_id": None}), "entry[0].changes[0].value.comment_id"),
        (_with_value({"created_time": "gisteren"}), "created_time"),
        (_with_value({"created_time": 10**30}), "plausible"),
        (_with_value({"from": "Els"}), "value.from"),
        (
            b'{"object": "page", "entry": [{"id": "1", "changes": [{"field": "feed", '
            b'"value": [1]}]}]}',
            "must be a JSON object",
        ),
    ],
)
def test_bad_payloads_say_what_is_wrong(body: bytes, says: str) -> None:
    with pytest.raises(PayloadError, match=says.replace("[", r"\[").replace("]", r"\]")):
        parse(body)


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
