"""Replies by SMTP: the message Loket composes, and what a real SMTP server (aiosmtpd on
loopback) makes of it, including refusals (4xx: try again, 5xx: give up) and lost connections."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from loket.channels.connectors.email.config import EmailConfig
from loket.channels.connectors.email.connector import EmailConnector
from loket.channels.connectors.email.message_ids import own_message_id
from loket.channels.connectors.email.send import compose, recipient_of, reply_subject, send
from loket.channels.connectors.email.tests.mailpeer import (
    SmtpPeer,
    free_port,
    running_smtp_peer,
    unavailable,
)
from loket.channels.contracts import Author, DeliveryStatus, OutboundMessage, Visibility

CONTEXT = {
    "message_id": "<CAF7x1002.antwoord@voorbeeldmail.be>",
    "references": [
        "<CAF7x1001.grofvuil@voorbeeldmail.be>",
        "<loket.0f3a9b1c2d4e5f60718293a4@stadvoorbeeld.be>",
    ],
    "subject": "Re: Grofvuil ophalen in de Kerkstraat",
    "reply_to": "jef.vermeulen@voorbeeldmail.be",
    "reply_to_name": "Jef Vermeulen",
}


def settings(port: int = 25, **overrides: Any) -> EmailConfig:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "security": "none",
        "port": 143,
        "username": "info@stadvoorbeeld.be",
        "password": "imap-geheim",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "from_address": "info@stadvoorbeeld.be",
        "from_name": "Stad Voorbeeld",
        "timeout_seconds": 5,
    }
    return EmailConfig.model_validate({**values, **overrides})


def reply(
    key: str = "reply-1", text: str = "Beste Jef,\n\nDe avond voordien mag.", **kw: Any
) -> Any:
    return OutboundMessage(
        idempotency_key=key,
        thread_id="<CAF7x1001.grofvuil@voorbeeldmail.be>",
        visibility=Visibility.PRIVATE,
        text=text,
        in_reply_to="<CAF7x1002.antwoord@voorbeeldmail.be>",
        recipient=Author("jef.vermeulen@voorbeeldmail.be", "Jef Vermeulen"),
        reply_context=kw.pop("reply_context", CONTEXT),
        **kw,
    )


@pytest.fixture
def smtp() -> Iterator[SmtpPeer]:
    with running_smtp_peer(logins={"loket": "smtp-geheim"}) as peer:
        yield peer


# The message itself.


def test_the_reply_is_threaded_plain_text_from_the_profile() -> None:
    mail = compose(message=reply(), config=settings(), recipient=("Jef", "jef@voorbeeldmail.be"))
    assert str(mail["From"]) == "Stad Voorbeeld <info@stadvoorbeeld.be>"
    assert str(mail["To"]) == "Jef <jef@voorbeeldmail.be>"
    assert str(mail["Subject"]) == "Re: Grofvuil ophalen in de Kerkstraat"  # no "Re: Re:"
    assert str(mail["In-Reply-To"]) == "<CAF7x1002.antwoord@voorbeeldmail.be>"
    assert str(mail["References"]).split() == [
        *CONTEXT["references"],
        "<CAF7x1002.antwoord@voorbeeldmail.be>",
    ]
    assert str(mail["Auto-Submitted"]) == "no"
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_content() == "Beste Jef,\n\nDe avond voordien mag.\n"


def test_the_message_id_is_the_same_for_every_attempt_at_one_reply() -> None:
    first = compose(message=reply("reply-1"), config=settings(), recipient=("", "a@b.be"))
    again = compose(message=reply("reply-1"), config=settings(), recipient=("", "a@b.be"))
    other = compose(message=reply("reply-2"), config=settings(), recipient=("", "a@b.be"))
    assert (
        first["Message-ID"] == again["Message-ID"] == own_message_id("reply-1", "stadvoorbeeld.be")
    )
    assert other["Message-ID"] != first["Message-ID"]
    assert str(first["Message-ID"]).startswith("<loket.")
    domain = settings(message_id_domain="loket.stadvoorbeeld.be")
    assert str(
        compose(message=reply(), config=domain, recipient=("", "a@b.be"))["Message-ID"]
    ).endswith("@loket.stadvoorbeeld.be>")


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Grofvuil", "Re: Grofvuil"),
        ("Re: Grofvuil", "Re: Grofvuil"),
        ("RE:Grofvuil", "RE:Grofvuil"),
        ("Antw: Grofvuil", "Antw: Grofvuil"),
        ("  Vraag\r\n over\tgrofvuil ", "Re: Vraag over grofvuil"),
        ("", "Re:"),
    ],
)
def test_reply_subjects(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_the_address_comes_from_reply_to_else_the_author_and_must_be_one() -> None:
    assert recipient_of(reply()) == ("Jef Vermeulen", "jef.vermeulen@voorbeeldmail.be")
    assert recipient_of(reply(reply_context={})) == (
        "Jef Vermeulen",
        "jef.vermeulen@voorbeeldmail.be",
    )
    hostile = {"reply_to": "a@b.be\r\nBcc: iedereen@x.be", "reply_to_name": "x"}
    assert recipient_of(reply(reply_context=hostile)) == (
        "Jef Vermeulen",
        "jef.vermeulen@voorbeeldmail.be",
    )
    nobody = OutboundMessage("k", "t", Visibility.PRIVATE, "Dag", reply_context={})
    assert recipient_of(nobody) is None
    assert send(message=nobody, config=settings()).status is DeliveryStatus.FAILED


def test_stored_ids_that_are_not_message_ids_stay_out_of_the_headers() -> None:
    context = {**CONTEXT, "message_id": "<a@b>\r\nBcc: x@y.be", "references": ["geen-id", 5]}
    mail = compose(
        message=reply(reply_context=context), config=settings(), recipient=("", "a@b.be")
    )
    assert mail["In-Reply-To"] is None
    assert mail["References"] is None


# Against a real SMTP server.


def test_a_reply_reaches_the_smtp_server(smtp: SmtpPeer) -> None:
    config = settings(smtp.smtp_port, smtp_username="loket", smtp_password="smtp-geheim")
    receipt = send(message=reply(), config=config)
    assert receipt.status is DeliveryStatus.SENT, receipt.error
    assert receipt.external_id == own_message_id("reply-1", "stadvoorbeeld.be")
    [envelope] = smtp.received
    assert envelope.mail_from == "info@stadvoorbeeld.be"
    assert envelope.rcpt_tos == ["jef.vermeulen@voorbeeldmail.be"]
    arrived = message_from_bytes(envelope.original_content, policy=policy.default)
    assert arrived["Message-ID"] == receipt.external_id
    assert arrived["In-Reply-To"] == "<CAF7x1002.antwoord@voorbeeldmail.be>"
    assert arrived.get_content().replace("\r\n", "\n") == "Beste Jef,\n\nDe avond voordien mag.\n"


def test_non_ascii_text_and_names_arrive_intact(smtp: SmtpPeer) -> None:
    config = settings(smtp.smtp_port, from_name="Stad Voorbeeld – Klantendienst")
    text = "Beste Els,\n\nWe ruimen het sluikstort op tegen vrijdag. Één vraag: is het karton nat?"
    context = {**CONTEXT, "reply_to_name": "Els Wouters-Maïs", "reply_to": "els@voorbeeldmail.be"}
    assert send(message=reply(text=text, reply_context=context), config=config).status == "sent"
    arrived = message_from_bytes(smtp.received[0].original_content, policy=policy.default)
    assert arrived.get_content().replace("\r\n", "\n").rstrip("\n") == text
    assert str(arrived["To"]) == "Els Wouters-Maïs <els@voorbeeldmail.be>"
    assert str(arrived["From"]) == "Stad Voorbeeld – Klantendienst <info@stadvoorbeeld.be>"


def test_a_wrong_smtp_password_fails_plainly(smtp: SmtpPeer) -> None:
    config = settings(smtp.smtp_port, smtp_username="loket", smtp_password="fout")
    receipt = send(message=reply(), config=config)
    assert receipt.status is DeliveryStatus.FAILED
    assert "535" in receipt.error
    assert smtp.received == []


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("450 4.2.1 mailbox busy, try later", DeliveryStatus.RETRY),
        ("452 4.2.2 over quota for now", DeliveryStatus.RETRY),
        ("550 5.1.1 no such user", DeliveryStatus.FAILED),
        ("553 5.7.1 sender not allowed", DeliveryStatus.FAILED),
    ],
)
def test_a_refused_recipient(smtp: SmtpPeer, answer: str, status: DeliveryStatus) -> None:
    smtp.answers.rcpt["jef.vermeulen@voorbeeldmail.be"] = answer
    receipt = send(message=reply(), config=settings(smtp.smtp_port))
    assert receipt.status is status
    assert answer.split()[0] in receipt.error
    assert "jef.vermeulen" in receipt.error


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("421 4.3.2 shutting down", DeliveryStatus.RETRY),
        ("451 4.3.0 local problem, try again", DeliveryStatus.RETRY),
        ("554 5.6.0 message refused", DeliveryStatus.FAILED),
    ],
)
def test_a_refused_message(smtp: SmtpPeer, answer: str, status: DeliveryStatus) -> None:
    smtp.answers.data.append(answer)
    receipt = send(message=reply(), config=settings(smtp.smtp_port))
    assert receipt.status is status
    assert answer.split()[0] in receipt.error


def test_a_server_without_starttls_fails_plainly(smtp: SmtpPeer) -> None:
    receipt = send(message=reply(), config=settings(smtp.smtp_port, smtp_security="starttls"))
    assert receipt.status is DeliveryStatus.FAILED
    assert "STARTTLS" in receipt.error


def test_no_server_listening_is_tried_again_later() -> None:
    receipt = send(message=reply(), config=settings(free_port()))
    assert receipt.status is DeliveryStatus.RETRY
    assert "unreachable" in receipt.error


def test_a_server_that_never_answers_times_out_and_is_tried_again_later() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection in the kernel, never says hello
        config = settings(silent.getsockname()[1], timeout_seconds=0.3)
        receipt = send(message=reply(), config=config)
    assert receipt.status is DeliveryStatus.RETRY
    assert "timed out" in receipt.error


def test_the_connector_refuses_broken_settings_without_raising() -> None:
    receipt = EmailConnector().send(message=reply(), secret="", config={"smtp_host": "x"})
    assert receipt.status is DeliveryStatus.FAILED
    assert "settings" in receipt.error


# TLS: STARTTLS on the submission port and TLS from the first byte, with the organisation's own
# certificate authority (here: a self-signed certificate) trusted through the settings.


@pytest.fixture
def tls_smtp(tmp_path: Path) -> Iterator[SmtpPeer]:
    import shutil

    if shutil.which("openssl") is None:
        unavailable("openssl is missing: it makes the test certificate (Debian package openssl)")
    with running_smtp_peer(tls_directory=tmp_path, logins={"loket": "smtp-geheim"}) as peer:
        yield peer


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_the_organisations_certificate(tls_smtp: SmtpPeer, security: str) -> None:
    port = tls_smtp.smtp_port if security == "starttls" else tls_smtp.smtps_port
    trusted = settings(
        port,
        smtp_security=security,
        smtp_username="loket",
        smtp_password="smtp-geheim",
        tls_ca_certificates=tls_smtp.certificate,
    )
    receipt = send(message=reply(), config=trusted)
    assert receipt.status is DeliveryStatus.SENT, receipt.error
    untrusted = trusted.model_copy(update={"tls_ca_certificates": ""})
    receipt = send(message=reply("reply-2"), config=untrusted)
    assert receipt.status is DeliveryStatus.FAILED
    assert "not trusted" in receipt.error
    assert len(tls_smtp.received) == 1
