"""The WhatsApp parser on documented payloads (rebuilt for Loket) and on hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.meta_common.testing import (
    json_values,
    mutations,
    parses_or_refuses,
    truncations,
)
from loket.channels.connectors.whatsapp.parse import parse
from loket.channels.contracts import ConversationKind, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
PHONE_NUMBER_ID = "109283746501928"
ELS = "32499000101"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def document(name: str) -> Any:
    return json.loads(fixture(name))


def wamid(name: str, index: int = 0) -> str:
    value = document(name)["entry"][0]["changes"][0]["value"]["messages"][index]["id"]
    assert isinstance(value, str)
    return value


def test_a_text_message_is_private_in_the_number_and_wa_id_thread() -> None:
    [message] = parse(fixture("messages__text"))
    assert message.external_id == wamid("messages__text")
    assert message.thread_id == f"{PHONE_NUMBER_ID}:{ELS}"
    assert message.kind is ConversationKind.PRIVATE
    assert message.visibility is Visibility.PRIVATE
    assert (message.author.external_id, message.author.name) == (ELS, "Els Peeters")
    assert message.text == "Goeiedag, is het stadhuis open op 11 november?"
    assert message.created_at == datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert message.in_reply_to is None
    assert message.reply_context == {
        "kind": "whatsapp",
        "phone_number_id": PHONE_NUMBER_ID,
        "wa_id": ELS,
        "message_id": message.external_id,
        "message_time": "2026-11-28T10:00:00+00:00",
    }


def test_a_quoted_reply_names_the_quoted_message() -> None:
    [message] = parse(fixture("messages__reply_with_context"))
    quoted = document("messages__reply_with_context")["entry"][0]["changes"][0]["value"][
        "messages"
    ][0]["context"]["id"]
    assert message.in_reply_to == quoted


@pytest.mark.parametrize(
    ("name", "text", "kind", "attachment_name"),
    [
        (
            "messages__image",
            "[image] Sluikstort aan de glasbol in de Molenstraat",
            "image",
            "1029384756102938",
        ),
        ("messages__audio_voice", "[voice message]", "audio", "1029384756103001"),
        (
            "messages__document",
            "[document: aanvraag-bewonerskaart.pdf] Mijn aanvraag voor een parkeerkaart",
            "document",
            "aanvraag-bewonerskaart.pdf",
        ),
        (
            "messages__location",
            "[location: Korenmarkt, Korenmarkt, 9000 Gent (51.054300,3.717400)]",
            "location",
            "Korenmarkt, Korenmarkt, 9000 Gent",
        ),
    ],
)
def test_other_types_say_what_was_sent_and_keep_attachment_metadata(
    name: str, text: str, kind: str, attachment_name: str
) -> None:
    [message] = parse(fixture(name))
    assert message.text == text
    [attachment] = message.attachments
    assert (attachment.kind, attachment.name) == (kind, attachment_name)


def test_a_location_is_a_geo_uri() -> None:
    [message] = parse(fixture("messages__location"))
    assert message.attachments[0].url == "geo:51.054300,3.717400"


def test_a_tapped_button_is_its_title_and_unsupported_types_say_so() -> None:
    [choice] = parse(fixture("messages__interactive_button_reply"))
    assert choice.text == "Ja, maak een afspraak"
    assert choice.in_reply_to is not None
    [unsupported] = parse(fixture("messages__unsupported"))
    assert unsupported.text == "[a message type WhatsApp does not pass on]"


@pytest.mark.parametrize("name", ["statuses__delivered", "statuses__failed", "messages__reaction"])
def test_statuses_and_reactions_are_no_messages(name: str) -> None:
    assert parse(fixture(name)) == []


def test_a_batch_gives_every_message_with_its_own_author_and_skips_statuses() -> None:
    first, second = parse(fixture("messages__batch"))
    assert (first.author.name, second.author.name) == ("Els Peeters", "Jef")
    assert second.thread_id == f"{PHONE_NUMBER_ID}:32499000202"


def test_the_only_contact_names_the_sender_even_when_the_number_is_written_otherwise() -> None:
    data = document("messages__text")
    data["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = "324990001010"
    [message] = parse(json.dumps(data).encode())
    assert message.author.name == "Els Peeters"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"metadata": {}}, "value.metadata.phone_number_id: Field required"),
        ({"messages": [{"id": "wamid.x", "timestamp": "1795860000"}]}, "messages[0].from"),
        (
            {"messages": [{"from": ELS, "id": "wamid.x", "timestamp": "morgen"}]},
            "messages[0].timestamp",
        ),
        ({"messages": ["hallo"]}, "messages[0]: must be a JSON object"),
        (
            {
                "messages": [
                    {"from": ELS, "id": "w", "timestamp": "1795860000", "type": "image", "image": 5}
                ]
            },
            "messages[0].image",
        ),
    ],
)
def test_bad_payloads_say_what_is_wrong(change: dict[str, Any], says: str) -> None:
    data = document("messages__text")
    data["entry"][0]["changes"][0]["value"].update(change)
    with pytest.raises(PayloadError) as raised:
        parse(json.dumps(data).encode())
    assert says in str(raised.value)


def test_another_object_is_refused() -> None:
    with pytest.raises(PayloadError, match="object must be 'whatsapp_business_account'"):
        parse(b'{"object": "page", "entry": [{"id": "1"}]}')


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
