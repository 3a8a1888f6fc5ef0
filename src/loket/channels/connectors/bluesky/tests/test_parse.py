"""The Bluesky parser on documented notifications and on hostile input."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.bluesky.parse import parse
from loket.channels.contracts import ConversationKind, InboundMessage, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"
CITY_POST = "at://did:plc:stadvoorbeeldq2m4x6k3n5p/app.bsky.feed.post/3lbq5x7kq2c2a"
CITY_POST_CID = "bafyreiaq4zk7m2xrt5bn6cvd3lwe7yfs2hujo4gpa5ktmxq6rzeb3vnwli"
JEF = "did:plc:jefvermeulenk4t7c2w5r3zq"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def changed(name: str, **fields: Any) -> bytes:
    return json.dumps({**json.loads(fixture(name)), **fields}).encode()


def one(body: bytes) -> InboundMessage:
    [message] = parse(body)
    return message


def test_a_reply_to_our_post_threads_under_it() -> None:
    message = one(fixture("notification__reply"))
    reply_uri = f"at://{JEF}/app.bsky.feed.post/3lbq6ad2m7k2s"
    assert message.external_id == reply_uri
    assert message.thread_id == CITY_POST
    assert message.in_reply_to == CITY_POST
    assert message.kind is ConversationKind.PUBLIC_THREAD
    assert message.visibility is Visibility.PUBLIC
    assert (message.author.external_id, message.author.name) == (JEF, "Jef Vermeulen")
    assert message.text.startswith("Hoe lang gaan de werken")
    assert message.created_at == datetime(2026, 11, 28, 9, 14, 52, 118000, tzinfo=UTC)
    assert not message.is_echo
    assert message.reply_context == {
        "uri": reply_uri,
        "cid": "bafyreihd3wq7kfzv2tq5n6oxl4pgm3ay7c2rbe5sif6uj4nkwz3dvqmt5e",
        "root": {"uri": CITY_POST, "cid": CITY_POST_CID},
        "author": {"did": JEF, "handle": "jefvermeulen.bsky.social"},
    }


def test_a_reply_deeper_in_the_thread_keeps_the_root_and_names_its_parent() -> None:
    message = one(fixture("notification__reply_deep_in_thread"))
    assert message.thread_id == CITY_POST
    assert message.in_reply_to == f"at://{JEF}/app.bsky.feed.post/3lbq6ad2m7k2s"
    assert message.reply_context["root"] == {"uri": CITY_POST, "cid": CITY_POST_CID}
    assert message.author.name == "annpeeters.be"  # a blank display name: the handle


def test_a_mention_starts_its_own_thread_and_lists_its_image() -> None:
    message = one(fixture("notification__mention_with_image"))
    uri = "at://did:plc:annpeeterswbm6v2q7h3c4lx/app.bsky.feed.post/3lbq7c4vn2s2k"
    assert message.thread_id == uri
    assert message.in_reply_to is None
    assert message.reply_context["root"] == {"uri": uri, "cid": message.reply_context["cid"]}
    assert message.author.name == "annpeeters.be"
    [image] = message.attachments
    assert (image.kind, image.name, image.url) == (
        "image",
        "Een gedoofde straatlamp in de Kerkstraat",
        "",
    )


def test_a_quote_of_our_post_is_a_thread_of_its_own() -> None:
    message = one(fixture("notification__quote"))
    assert message.thread_id == message.external_id
    assert message.in_reply_to is None
    assert message.text.endswith("tijdens de kerstmarkt?")


def test_our_own_post_is_an_echo() -> None:
    message = one(fixture("notification__own_reply_as_stored"))
    assert message.is_echo
    assert not one(changed("notification__reply", loketAccountDid="did:plc:other")).is_echo


def test_a_like_carries_no_message() -> None:
    with pytest.raises(PayloadError, match="'like' notification carries no message"):
        parse(fixture("notification__like"))


def test_a_link_card_keeps_only_a_web_address() -> None:
    embed = {
        "$type": "app.bsky.embed.external",
        "external": {"uri": "javascript:alert(1)", "title": "Klik", "description": ""},
    }
    record = {**json.loads(fixture("notification__quote"))["record"], "embed": embed}
    [link] = one(changed("notification__quote", record=record)).attachments
    assert (link.kind, link.name, link.url) == ("link", "Klik", "")
    embed["external"]["uri"] = "https://www.stadvoorbeeld.be/wegenwerken"
    [link] = one(changed("notification__quote", record=record)).attachments
    assert link.url == "https://www.stadvoorbeeld.be/wegenwerken"


def test_a_malformed_embed_does_not_lose_the_text() -> None:
    record = {**json.loads(fixture("notification__quote"))["record"], "embed": {"images": 7}}
    record["embed"]["$type"] = "app.bsky.embed.images"
    message = one(changed("notification__quote", record=record))
    assert message.attachments == ()
    assert message.text


def test_a_quote_with_an_image_lists_the_image() -> None:
    images = json.loads(fixture("notification__mention_with_image"))["record"]["embed"]
    quoted = {"record": {"uri": CITY_POST, "cid": CITY_POST_CID}}
    embed = {"$type": "app.bsky.embed.recordWithMedia", "record": quoted, "media": images}
    [image] = one(_with_record(embed=embed)).attachments
    assert image.name == "Een gedoofde straatlamp in de Kerkstraat"


def test_deeply_nested_json_is_refused_or_parsed_without_crashing() -> None:
    _parses_or_says_why(b"[" * 100_000)
    data = json.loads(fixture("notification__reply"))
    body = json.dumps(data)[:-1] + ', "x": ' + "[" * 900 + "]" * 900 + "}"
    _parses_or_says_why(body.encode())
    nested = '{"$type": "app.bsky.embed.recordWithMedia", "media": ' * 400 + "{}" + "}" * 400
    record = json.dumps(data["record"])[:-1] + ', "embed": ' + nested + "}"
    data_text = json.dumps({**data, "record": "RECORD"}).replace('"RECORD"', record)
    assert one(data_text.encode()).attachments == ()


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        ("2026-11-28T09:14:52.118Z", datetime(2026, 11, 28, 9, 14, 52, 118000, tzinfo=UTC)),
        ("2026-11-28T10:14:52+01:00", datetime(2026, 11, 28, 9, 14, 52, tzinfo=UTC)),
        # Without a time zone, in the future or missing: when the AppView indexed it.
        ("2026-11-28T09:14:52", datetime(2026, 11, 28, 9, 14, 52, 530000, tzinfo=UTC)),
        ("2031-01-01T00:00:00Z", datetime(2026, 11, 28, 9, 14, 52, 530000, tzinfo=UTC)),
        ("gisteren", datetime(2026, 11, 28, 9, 14, 52, 530000, tzinfo=UTC)),
        (None, datetime(2026, 11, 28, 9, 14, 52, 530000, tzinfo=UTC)),
    ],
)
def test_the_time_of_a_post(created_at: str | None, expected: datetime) -> None:
    record = json.loads(fixture("notification__reply"))["record"]
    if created_at is None:
        del record["createdAt"]
    else:
        record["createdAt"] = created_at
    assert one(changed("notification__reply", record=record)).created_at == expected


def _with_record(**fields: Any) -> bytes:
    record = {**json.loads(fixture("notification__reply"))["record"], **fields}
    return changed("notification__reply", record=record)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"{}", "uri"),
        (changed("notification__reply", uri="https://bsky.app/profile/x/post/1"), "uri"),
        (changed("notification__reply", author={"did": "jef", "handle": "x"}), "author.did"),
        (changed("notification__reply", indexedAt="2026-11-28T09:14:52"), "time zone"),
        (changed("notification__reply", indexedAt="straks"), "indexedAt"),
        (changed("notification__reply", reason=["reply"]), "reason"),
        (_with_record(**{"$type": "app.bsky.feed.repost"}), "record.\\$type"),
        (_with_record(text="x" * 10_001), "record.text"),
        (_with_record(reply={"root": {"uri": CITY_POST}}), "record.reply"),
    ],
)
def test_bad_payloads_say_what_is_wrong(body: bytes, says: str) -> None:
    with pytest.raises(PayloadError, match=says):
        parse(body)


FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=30,
)


def _parses_or_says_why(body: bytes) -> None:
    with contextlib.suppress(PayloadError):
        result = parse(body)
        assert isinstance(result, list)
        assert all(isinstance(message, InboundMessage) for message in result)


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_bytes_parse_or_give_a_payload_error(body: bytes) -> None:
    _parses_or_says_why(body)


@given(JSON_VALUES)
@settings(max_examples=300, deadline=None)
def test_any_json_parses_or_gives_a_payload_error(data: object) -> None:
    _parses_or_says_why(json.dumps(data).encode())


@given(st.sampled_from(FIXTURE_NAMES), st.data())
@settings(max_examples=300, deadline=None)
def test_truncated_notifications_give_a_payload_error(name: str, data: st.DataObject) -> None:
    body = fixture(name).rstrip()  # cutting only the final newline leaves valid JSON
    cut = data.draw(st.integers(min_value=0, max_value=len(body) - 1))
    with pytest.raises(PayloadError):
        parse(body[:cut])


@given(
    st.sampled_from(FIXTURE_NAMES),
    st.sampled_from(["uri", "cid", "author", "reason", "record", "indexedAt", "loketAccountDid"]),
    st.sampled_from(["did", "handle", "displayName", "text", "createdAt", "reply", "embed"]),
    JSON_VALUES,
)
@settings(max_examples=500, deadline=None)
def test_notifications_with_a_field_replaced_parse_or_say_why(
    name: str, field: str, inner: str, value: object
) -> None:
    data = json.loads(fixture(name))
    data[field] = value
    _parses_or_says_why(json.dumps(data).encode())
    data = json.loads(fixture(name))
    target = data["author"] if inner in ("did", "handle", "displayName") else data["record"]
    target[inner] = value
    _parses_or_says_why(json.dumps(data).encode())
