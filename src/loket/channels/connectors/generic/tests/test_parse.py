"""The generic connector's parser on its fixtures and on bad payloads."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.generic.parse import parse
from loket.channels.connectors.generic.signing import is_valid, sign
from loket.channels.contracts import ConversationKind, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def test_a_public_comment() -> None:
    [message] = parse(fixture("message__public_comment"))
    assert message.external_id == "evt-1001"
    assert message.kind is ConversationKind.PUBLIC_THREAD
    assert message.visibility is Visibility.PUBLIC
    assert message.author.name == "Jef Vermeulen"
    assert message.thread_title == "De nieuwe afvalkalender is er!"
    assert message.created_at == datetime(2026, 11, 28, 8, 15, tzinfo=UTC)


def test_a_private_message_with_an_attachment() -> None:
    [message] = parse(fixture("message__private_with_attachment"))
    assert message.kind is ConversationKind.PRIVATE
    assert message.attachments[0].name == "lamp.jpg"
    assert message.attachments[0].size == 183422


def test_a_reply_names_its_parent() -> None:
    [message] = parse(fixture("message__reply_in_thread"))
    assert message.in_reply_to == "evt-1001"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"\xff\xfe", "not valid JSON"),
        (b'{"event_id": "x"}', "thread_id"),
        (
            json.dumps(
                {**json.loads(fixture("message__public_comment")), "visibility": "secret"}
            ).encode(),
            "visibility",
        ),
        (
            json.dumps(
                {
                    **json.loads(fixture("message__public_comment")),
                    "created_at": "2026-11-28T09:15:00",
                }
            ).encode(),
            "time zone",
        ),
        (
            json.dumps(
                {**json.loads(fixture("message__public_comment")), "created_at": "gisteren"}
            ).encode(),
            "created_at",
        ),
        (
            json.dumps(
                {**json.loads(fixture("message__public_comment")), "author": {"name": "x"}}
            ).encode(),
            "author.id",
        ),
        (
            json.dumps(
                {**json.loads(fixture("message__public_comment")), "text": "x" * 20_001}
            ).encode(),
            "text",
        ),
    ],
)
def test_bad_payloads_say_what_is_wrong(body: bytes, says: str) -> None:
    with pytest.raises(PayloadError, match=says):
        parse(body)


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_bytes_parse_or_give_a_payload_error(body: bytes) -> None:
    with contextlib.suppress(PayloadError):
        parse(body)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
        ),
        max_leaves=30,
    )
)
@settings(max_examples=300, deadline=None)
def test_any_json_parses_or_gives_a_payload_error(data: object) -> None:
    with contextlib.suppress(PayloadError):
        parse(json.dumps(data).encode())


def test_signatures_are_checked_on_the_exact_bytes() -> None:
    body = fixture("message__public_comment")
    header = sign(body, "s3cret")
    assert is_valid(header, body, "s3cret")
    assert is_valid(header.upper().replace("SHA256=", "sha256="), body, "s3cret")
    assert not is_valid(header, body + b" ", "s3cret")
    assert not is_valid(header, body, "other")
    assert not is_valid(None, body, "s3cret")
    assert not is_valid("sha1=abc", body, "s3cret")
    assert not is_valid(header, body, "")
