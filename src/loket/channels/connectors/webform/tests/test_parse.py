"""The web form's parser on its fixtures and on anything else, and what the connector promises."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.webform.connector import WebformConnector
from loket.channels.connectors.webform.event import Consent, Submission, encode
from loket.channels.connectors.webform.parse import parse
from loket.channels.contracts import ConversationKind, IdentityScope, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def changed(fixture_name: str, /, **changes: Any) -> bytes:
    data = json.loads(fixture(fixture_name))
    data.update(changes)
    return json.dumps(data).encode()


def test_a_submission_with_an_address_is_a_private_form_message_answerable_by_mail() -> None:
    [message] = parse(fixture("submission__with_email"))
    assert message.external_id == "3f2a9c1e-7b4d-4e8a-9c21-5d6e7f8a9b0c"
    assert message.thread_id == "submission-3f2a9c1e-7b4d-4e8a-9c21-5d6e7f8a9b0c"
    assert message.kind is ConversationKind.FORM
    assert message.visibility is Visibility.PRIVATE
    assert message.author.external_id == "lotte.vandenbroeck@voorbeeld-burger.invalid"
    assert message.author.name == "Lotte Van den Broeck"
    assert message.text.startswith("Goedemiddag,\n\nIk ben op 1 november verhuisd")
    assert message.created_at == datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
    assert message.thread_title == "Bewonerskaart parkeren (3F2A9C1E)"
    assert not message.is_echo
    assert message.reply_context == {
        "email": "Lotte.VandenBroeck@voorbeeld-burger.invalid",
        "name": "Lotte Van den Broeck",
        "subject": "Bewonerskaart parkeren",
        "language": "nl",
        "organisation": "Stad Voorbeeld",
        "reference": "3F2A9C1E",
    }


def test_an_anonymous_submission_is_its_own_author_and_has_no_address() -> None:
    [message] = parse(fixture("submission__anonymous"))
    assert message.author.external_id == "anonymous-a07c51d2-2e9f-4b63-8f4a-0c1d2e3f4a5b"
    assert message.author.name == ""
    assert message.reply_context["email"] == ""
    assert message.thread_title == "A07C51D2"


def test_a_french_submission_keeps_its_language_for_the_reply() -> None:
    [message] = parse(fixture("submission__french"))
    assert message.reply_context["language"] == "fr"
    assert message.reply_context["subject"] == ""


def test_what_the_form_encodes_is_what_the_parser_reads() -> None:
    submission = Submission.model_validate_json(fixture("submission__with_email"))
    assert parse(encode(submission)) == parse(fixture("submission__with_email"))
    assert submission.consent == Consent(
        given=True,
        text="Ik ga akkoord dat Stad Voorbeeld mijn gegevens gebruikt om mijn vraag te "
        "beantwoorden.",
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"[" * 100_000, "nested too deeply|not valid JSON"),
        (changed("submission__with_email", type="generic.message"), "type"),
        (changed("submission__with_email", submission_id="evt-1"), "submission_id"),
        (changed("submission__with_email", submitted_at="2026-11-28T10:15:00"), "time zone"),
        (changed("submission__with_email", language="de"), "language"),
        (changed("submission__with_email", message="   "), "message"),
        (changed("submission__with_email", message="x" * 5001), "message"),
        (changed("submission__with_email", subject="Vraag\r\nBcc: iedereen@x.invalid"), "subject"),
        (changed("submission__with_email", email="geen adres"), "email"),
        (changed("submission__with_email", consent={"given": False, "text": "x"}), "consent"),
        (changed("submission__with_email", extra="field"), "extra"),
    ],
)
def test_bad_payloads_say_what_is_wrong(body: bytes, says: str) -> None:
    with pytest.raises(PayloadError, match=says):
        parse(body)


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_bytes_parse_or_give_a_payload_error(body: bytes) -> None:
    with contextlib.suppress(PayloadError):
        assert isinstance(parse(body), list)


@given(st.integers(min_value=0, max_value=len(fixture("submission__with_email").strip())))
@settings(max_examples=200, deadline=None)
def test_a_truncated_submission_gives_a_payload_error(length: int) -> None:
    body = fixture("submission__with_email").strip()
    if length == len(body):
        assert parse(body)
        return
    with pytest.raises(PayloadError):
        parse(body[:length])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=30,
)


@given(JSON)
@settings(max_examples=300, deadline=None)
def test_any_json_parses_or_gives_a_payload_error(data: object) -> None:
    with contextlib.suppress(PayloadError):
        parse(json.dumps(data).encode())


@given(st.sampled_from(sorted(json.loads(fixture("submission__with_email")))), JSON)
@settings(max_examples=300, deadline=None)
def test_any_value_in_any_field_parses_or_gives_a_payload_error(field: str, value: object) -> None:
    with contextlib.suppress(PayloadError):
        [message] = parse(changed("submission__with_email", **{field: value}))
        assert message.kind is ConversationKind.FORM


def test_the_capabilities_say_what_the_channel_can_do() -> None:
    capabilities = WebformConnector.capabilities
    assert not capabilities.public_reply  # nobody else sees a submission
    assert capabilities.private_reply  # by e-mail, where the citizen left an address
    assert capabilities.private_reply_window is None
    assert not capabilities.private_reply_to_public
    assert not capabilities.attachments
    assert not capabilities.moderation
    assert capabilities.identity_scope is IdentityScope.PLATFORM


def test_nothing_posted_to_the_webhook_is_ever_verified() -> None:
    connector = WebformConnector()
    body = fixture("submission__with_email")
    assert not connector.verify(headers={}, body=body, secret="")
    assert not connector.verify(headers={"X-Loket-Signature": "sha256=00"}, body=body, secret="x")
