"""The e-mail parser on documented mail shapes (RFC 5322/2045/3834), and on hostile bytes."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.email.parse import NO_DATE, parse, with_own_address
from loket.channels.connectors.email.text import html_to_text, without_quoted_history
from loket.channels.contracts import ConversationKind, InboundMessage, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"
OWN = "info@stadvoorbeeld.be"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.eml").read_bytes()


def only(body: bytes) -> InboundMessage:
    [message] = parse(body)
    return message


def test_a_plain_question() -> None:
    message = only(fixture("message__plain_question"))
    assert message.external_id == "<CAF7x1001.grofvuil@voorbeeldmail.be>"
    assert message.thread_id == message.external_id  # a new thread
    assert message.in_reply_to is None
    assert message.kind is ConversationKind.EMAIL
    assert message.visibility is Visibility.PRIVATE
    assert message.author.external_id == "jef.vermeulen@voorbeeldmail.be"  # lower-cased
    assert message.author.name == "Jef Vermeulen"
    assert message.thread_title == "Grofvuil ophalen in de Kerkstraat"
    assert message.text.startswith("Goedemorgen,\n\nWanneer wordt het grofvuil opgehaald")
    assert message.text.endswith("Kerkstraat 12, 9999 Voorbeeld")
    assert message.created_at == datetime(2026, 11, 28, 8, 15, tzinfo=UTC)
    assert not message.is_echo
    assert message.reply_context == {
        "message_id": "<CAF7x1001.grofvuil@voorbeeldmail.be>",
        "references": [],
        "subject": "Grofvuil ophalen in de Kerkstraat",
        "reply_to": "jef.vermeulen@voorbeeldmail.be",
        "reply_to_name": "Jef Vermeulen",
    }


def test_a_reply_joins_the_thread_of_its_root_and_loses_the_quoted_history() -> None:
    message = only(fixture("message__reply_with_quote"))
    assert message.thread_id == "<CAF7x1001.grofvuil@voorbeeldmail.be>"  # first of References
    assert message.in_reply_to == "<loket.0f3a9b1c2d4e5f60718293a4@stadvoorbeeld.be>"
    assert message.text == (
        "Bedankt! Moet ik de zetel dan de avond voordien buiten zetten of pas 's\nochtends?\n\nJef"
    )
    assert message.reply_context["references"] == [
        "<CAF7x1001.grofvuil@voorbeeldmail.be>",
        "<loket.0f3a9b1c2d4e5f60718293a4@stadvoorbeeld.be>",
    ]


def test_an_outlook_reply_is_cut_at_its_header_block_and_answers_to_reply_to() -> None:
    message = only(fixture("message__outlook_reply"))
    assert "Verzonden" not in message.text
    assert "veiligheidsplan nodig" not in message.text
    assert message.text.endswith("buurtfeest op 20 december?\n\nMarc Claes")
    assert message.author.external_id == "marc.claes@voorbeeldbedrijf.be"
    assert message.reply_context["reply_to"] == "evenementen@voorbeeldbedrijf.be"
    assert message.reply_context["subject"] == "Antw: Aanvraag evenementenvergunning"


def test_html_mail_becomes_text_without_scripts_styles_or_entities() -> None:
    message = only(fixture("message__html_only"))
    assert message.text == (
        "Beste,\n\nDe straatlamp aan de Stationsstraat 45 brandt al een week niet meer. Het is "
        "er 's avonds erg donker voor de fietsers.\n\nKunnen jullie dit nakijken?\nDank u wel!"
        "\n\nSofie De Smet & gezin\n\nGroeten uit Voorbeeld, met één vraag."
    )


def test_attachments_are_listed_with_type_name_and_size_and_split_text_is_kept() -> None:
    message = only(fixture("message__with_attachment"))
    assert message.author.name == "Els Wouters-Maïs"  # RFC 2047 encoded
    assert message.thread_title == "Sluikstort aan de glasbol op het Dorpsplein"
    assert [(a.kind, a.name) for a in message.attachments] == [
        ("image/jpeg", "glasbol.jpg"),
        ("application/pdf", "situatieschets.pdf"),
    ]
    assert all(a.size and a.size > 0 and not a.url for a in message.attachments)
    assert message.text.endswith("Zie foto.\n\nHet gaat om karton en een kapotte stoel.\nEls")


def test_without_message_id_or_valid_date() -> None:
    body = fixture("message__no_message_id_bad_date")
    message = only(body)
    # The digest of the bytes: the same mail read again after a resync is the same message.
    assert message.external_id.startswith("sha256:")
    assert only(with_own_address(body, OWN)).external_id == message.external_id
    assert message.thread_id == message.external_id
    # The receiving server's time (topmost Received) stands in for the unreadable Date.
    assert message.created_at == datetime(2026, 12, 4, 19, 10, 44, tzinfo=UTC)
    assert "Lotte – mama van Fien" in message.text  # windows-1252, quoted-printable


def test_no_date_at_all_sorts_first() -> None:
    message = only(b"From: a@voorbeeldmail.be\r\nSubject: Vraag\r\n\r\nHallo\r\n")
    assert message.created_at == NO_DATE


def test_a_date_far_ahead_of_the_server_is_a_wrong_clock() -> None:
    message = only(
        b"Received: by mx.stadvoorbeeld.be; Fri, 28 Nov 2026 09:15:04 +0100\r\n"
        b"Date: Sat, 28 Nov 2099 09:15:00 +0100\r\n"
        b"From: a@voorbeeldmail.be\r\n\r\nHallo\r\n"
    )
    assert message.created_at == datetime(2026, 11, 28, 8, 15, 4, tzinfo=UTC)


def test_an_empty_body_uses_the_subject() -> None:
    message = only(fixture("message__subject_only"))
    assert message.text == "Is het containerpark open op zaterdag 6 december?"


@pytest.mark.parametrize(
    "name", ["auto_reply__out_of_office", "auto_reply__bulk_newsletter", "bounce__mailer_daemon"]
)
def test_automatic_mail_holds_no_message(name: str) -> None:
    assert parse(fixture(name)) == []


@pytest.mark.parametrize(
    "header",
    [
        b"Auto-Submitted: auto-generated",
        b"Auto-Submitted: Auto-Replied; owner-email=x@y.be",
        b"Precedence: junk",
        b"Precedence: list",
        b"X-Autorespond: yes",
        b"Return-Path: <>",
    ],
)
def test_each_automatic_marker_is_enough(header: bytes) -> None:
    body = header + b"\r\nFrom: a@voorbeeldmail.be\r\nSubject: Afwezig\r\n\r\nTot maandag.\r\n"
    assert parse(body) == []


def test_a_person_saying_auto_submitted_no_is_a_message() -> None:
    body = b"Auto-Submitted: no\r\nFrom: a@voorbeeldmail.be\r\nSubject: Vraag\r\n\r\nHallo\r\n"
    assert len(parse(body)) == 1


def test_our_own_mail_is_an_echo_when_the_poller_names_our_address() -> None:
    message = only(fixture("message__own_reply_echo"))
    assert message.is_echo
    assert message.author.external_id == OWN
    citizen = only(with_own_address(fixture("message__plain_question"), OWN))
    assert not citizen.is_echo


def test_a_header_naming_our_address_further_down_is_not_trusted() -> None:
    body = b"From: " + OWN.encode() + b"\r\nX-Loket-Own-Address: " + OWN.encode() + b"\r\n\r\nHoi"
    assert not only(with_own_address(body, "someone-else@stadvoorbeeld.be")).is_echo


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"Subject: geen afzender\r\n\r\nHallo", "no From address"),
        (b"From: niet een adres\r\n\r\nHallo", "no From address"),
        (b"\x00\xff\xfe garbage", "no From address"),
    ],
)
def test_unusable_mail_says_what_is_wrong(body: bytes, says: str) -> None:
    with pytest.raises(PayloadError, match=says):
        parse(body)


def test_over_long_message_ids_are_digested_to_fit() -> None:
    long_id = b"<" + b"x" * 300 + b"@voorbeeldmail.be>"
    message = only(b"Message-ID: " + long_id + b"\r\nFrom: a@voorbeeldmail.be\r\n\r\nHallo")
    assert message.external_id.startswith("sha256:")
    assert len(message.external_id) < 200
    assert message.reply_context["message_id"] == long_id.decode()


def test_control_characters_and_undecodable_bytes_do_not_reach_the_text() -> None:
    message = only(
        b"From: =?utf-8?q?Jan=00?= <a@voorbeeldmail.be>\r\nSubject: Hallo\x00\x07\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nTekst met \x00 nul en \xff\xfe bytes"
    )
    for value in (message.text, message.author.name, message.thread_title):
        assert "\x00" not in value
        assert "\x07" not in value
    message.text.encode("utf-8")  # no lone surrogates


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Ja, graag.\n\nOn Fri, 28 Nov 2026 at 10:15, Stad <info@stadvoorbeeld.be> wrote:\n> x",
            "Ja, graag.",
        ),
        (
            "Merci.\n\nLe 28 nov. 2026 à 10:15, Stad <info@stadvoorbeeld.be> a écrit :\n> x",
            "Merci.",
        ),
        (
            "Top.\n\nOp 28 nov. 2026 om 10:15 heeft Stad <info@stadvoorbeeld.be> het volgende "
            "geschreven:\n\n> x",
            "Top.",
        ),
        (
            "Oké.\nOn Fri, Nov 28, 2026 at 10:15 AM Stad Voorbeeld <\ninfo@stadvoorbeeld.be> "
            "wrote:\n> x",
            "Oké.",
        ),
        ("Goed.\n-----Oorspronkelijk bericht-----\nVan: x", "Goed."),
        ("> alleen citaat\n> nog meer", "> alleen citaat\n> nog meer"),  # nothing else: kept
        (
            "Op uw website schreef u: de bib is dicht.\nKlopt dat?",
            "Op uw website schreef u: de bib is dicht.\nKlopt dat?",
        ),
    ],
)
def test_quoted_history_is_trimmed(text: str, kept: str) -> None:
    assert without_quoted_history(text) == kept


def test_a_forward_is_not_trimmed() -> None:
    text = "Zie hieronder.\n\nOn Fri, 28 Nov 2026 at 10:15, Buur <b@x.be> wrote:\n> lawaai"
    assert without_quoted_history(text, subject="Fwd: lawaai") == text


def test_html_blockquotes_are_history_unless_they_are_all_there_is() -> None:
    assert html_to_text("<p>Ja</p><blockquote>oud</blockquote>") == "Ja"
    assert html_to_text("<blockquote>alleen dit</blockquote>") == "alleen dit"


def test_absurdly_deep_nesting_is_refused_not_crashed() -> None:
    depth = 1500
    body = b"From: a@voorbeeldmail.be\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
    for level in range(1, depth):
        body += b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (level - 1, level)
    body += b"--b%d\r\nContent-Type: text/plain\r\n\r\ndiep\r\n" % (depth - 1)
    _parse_or_payload_error(body)


# Hostile input: whatever arrives in the mailbox, parse answers with messages or a PayloadError.


def _parse_or_payload_error(body: bytes) -> None:
    with contextlib.suppress(PayloadError):
        for message in parse(body):
            assert message.external_id
            assert len(message.external_id) <= 200
            assert len(message.thread_id) <= 200
            message.text.encode("utf-8")
            message.author.name.encode("utf-8")


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_bytes_parse_or_give_a_payload_error(body: bytes) -> None:
    _parse_or_payload_error(body)


ALL_FIXTURES = sorted(FIXTURES.glob("*.eml"))


@given(st.sampled_from(ALL_FIXTURES), st.floats(0, 1), st.binary(max_size=40))
@settings(max_examples=300, deadline=None)
def test_truncated_and_damaged_fixtures_parse_or_give_a_payload_error(
    path: Path, cut: float, junk: bytes
) -> None:
    body = path.read_bytes()
    at = int(len(body) * cut)
    _parse_or_payload_error(body[:at])
    _parse_or_payload_error(body[:at] + junk + body[at:])


HEADER_NAMES = st.sampled_from(
    [
        "From", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Auto-Submitted",
        "Received", "MIME-Version",
    ]
)  # fmt: skip
HEADER_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "multipart/mixed; boundary=b",
            'multipart/alternative; boundary="',
            "text/plain; charset=klingon",
            "text/html; charset=utf-8",
            "message/rfc822",
            "base64",
            "quoted-printable",
            "=?utf-8?b?////?=",
            "=?x-unknown?q?abc?=",
            '"\\" <@>',
            "<a@b> <",
            "attachment; filename*=utf-8''%FF%FE",
            "Fri, 31 Feb 2026 25:61:00 +9999",
        ]
    ),
)


@given(
    st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=12),
    st.binary(max_size=200),
)
@settings(max_examples=300, deadline=None)
def test_any_header_soup_parses_or_gives_a_payload_error(
    headers: list[tuple[str, str]], payload: bytes
) -> None:
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    body = b"From: burger@voorbeeldmail.be\r\n" + head.encode("utf-8", "replace") + b"\r\n"
    _parse_or_payload_error(body + b"--b\r\n" + payload + b"\r\n--b--\r\n")
