"""Replies and confirmations leave as e-mail: through Django's mail backend, to a real SMTP
server on loopback (aiosmtpd) where it matters what the server answers."""

from __future__ import annotations

import email
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from email.policy import default as default_policy
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from loket.channels.connectors.webform import confirmation
from loket.channels.connectors.webform.config import WebformConfig
from loket.channels.connectors.webform.connector import WebformConnector
from loket.channels.connectors.webform.send import NO_ADDRESS
from loket.channels.contracts import DeliveryStatus, OutboundMessage, Visibility

CITIZEN = "lotte.vandenbroeck@voorbeeld-burger.invalid"
CONFIG = WebformConfig(
    sender_address="noreply@voorbeeld.invalid", reply_to="info@voorbeeld.invalid"
)


def reply(
    text: str = "Dag Lotte, u kunt de kaart online aanvragen.", **context: Any
) -> OutboundMessage:
    reply_context = {
        "email": CITIZEN,
        "name": "Lotte",
        "subject": "Bewonerskaart parkeren",
        "language": "nl",
        "organisation": "Stad Voorbeeld",
        "reference": "3F2A9C1E",
        **context,
    }
    return OutboundMessage(
        idempotency_key="reply-6f1c2d3e",
        thread_id="submission-3f2a9c1e",
        visibility=Visibility.PRIVATE,
        text=text,
        reply_context=reply_context,
    )


def send(message: OutboundMessage, config: WebformConfig = CONFIG) -> Any:
    return WebformConnector().send(
        message=message, secret="", config=config.model_dump(mode="json")
    )


# --- through Django's mail backend (locmem in the tests) ----------------------------------


def test_a_reply_is_mailed_to_the_citizen_under_their_subject() -> None:
    receipt = send(reply())
    assert receipt.status is DeliveryStatus.SENT
    [sent] = mail.outbox
    assert sent.to == [CITIZEN]
    assert sent.subject == "Re: Bewonerskaart parkeren"
    assert sent.from_email == "Stad Voorbeeld <noreply@voorbeeld.invalid>"
    assert sent.reply_to == ["info@voorbeeld.invalid"]
    assert sent.body.startswith("Dag Lotte, u kunt de kaart online aanvragen.\n")
    assert "contactformulier van Stad Voorbeeld (referentie 3F2A9C1E)" in sent.body
    assert "Auto-Submitted" not in sent.extra_headers  # a person wrote it
    assert receipt.external_id == sent.extra_headers["Message-ID"]
    assert receipt.external_id == "<reply-6f1c2d3e.webform@voorbeeld.invalid>"


def test_the_same_reply_keeps_its_message_id_on_a_second_attempt() -> None:
    assert send(reply()).external_id == send(reply()).external_id


def test_without_a_subject_the_reply_names_the_organisation_in_the_citizens_language() -> None:
    send(reply(subject="", language="fr", organisation="Gemeente Rivierdijk"))
    send(reply(subject=""))
    french, dutch = mail.outbox
    assert french.subject == "Re: Votre question à Gemeente Rivierdijk"
    assert dutch.subject == "Re: Uw vraag aan Stad Voorbeeld"


def test_without_an_address_the_reply_fails_and_says_why() -> None:
    receipt = send(reply(email=""))
    assert receipt.status is DeliveryStatus.FAILED
    assert receipt.error == NO_ADDRESS == "the citizen left no e-mail address"
    assert not mail.outbox


def test_a_broken_address_fails_rather_than_reaching_someone_else() -> None:
    receipt = send(reply(email="lotte@x.invalid, iedereen@y.invalid"))
    assert receipt.status is DeliveryStatus.FAILED
    assert not mail.outbox


def test_line_breaks_in_a_subject_cannot_add_headers() -> None:
    send(reply(subject="Vraag\r\nBcc: iedereen@y.invalid"))
    [sent] = mail.outbox
    assert sent.subject == "Re: Vraag Bcc: iedereen@y.invalid"
    assert sent.bcc == []
    assert sent.recipients() == [CITIZEN]


@override_settings(DEFAULT_FROM_EMAIL="Loket <loket@gemeente.invalid>")
def test_without_a_sender_address_the_installations_address_is_used() -> None:
    send(reply(), WebformConfig())
    [sent] = mail.outbox
    assert sent.from_email == "Stad Voorbeeld <loket@gemeente.invalid>"
    assert sent.reply_to == []


def test_the_confirmation_is_automatic_and_repeats_nothing_the_citizen_typed() -> None:
    receipt = confirmation.send(
        address=CITIZEN,
        language="nl",
        submission_id="3f2a9c1e-7b4d-4e8a-9c21-5d6e7f8a9b0c",
        submitted_at=datetime(2026, 11, 28, 9, 15, tzinfo=UTC),
        organisation="Stad Voorbeeld",
        config=CONFIG,
    )
    assert receipt.status is DeliveryStatus.SENT
    [sent] = mail.outbox
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert sent.subject == "We hebben uw bericht ontvangen (referentie 3F2A9C1E)"
    assert "Stad Voorbeeld" in sent.body
    assert "3F2A9C1E" in sent.body
    assert "28 november 2026" in sent.body
    assert sent.from_email == "Stad Voorbeeld <noreply@voorbeeld.invalid>"


# --- a real SMTP server on loopback --------------------------------------------------------


class SmtpPeer:
    """aiosmtpd on a free loopback port, answering RCPT and DATA as it is told."""

    def __init__(self) -> None:
        self.received: list[Message] = []
        self.rcpt_answer = "250 OK"
        self.data_answer = "250 Message accepted for delivery"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.rcpt_answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return self.rcpt_answer

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_answer.startswith("250"):
            self.received.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return self.data_answer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_settings(port: int, *, timeout: float) -> override_settings:
    """Django's SMTP backend aimed at loopback, configured the Django 6.1 way (MAILERS)."""
    return override_settings(
        MAILERS={
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
            }
        }
    )


@pytest.fixture
def smtp() -> Iterator[SmtpPeer]:
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        reason = "aiosmtpd is not installed (pip install -e '.[dev]')"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    peer = SmtpPeer()
    port = free_port()
    controller = Controller(peer, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp_settings(port, timeout=5):
            yield peer
    finally:
        controller.stop()


def test_a_reply_reaches_a_real_smtp_server(smtp: SmtpPeer) -> None:
    receipt = send(reply(text="Dag Lotte,\n\nu kunt de kaart online aanvragen. Één klik."))
    assert receipt.status is DeliveryStatus.SENT
    [received] = smtp.received
    assert received["To"] == CITIZEN
    assert received["Subject"] == "Re: Bewonerskaart parkeren"
    assert received["Message-ID"] == "<reply-6f1c2d3e.webform@voorbeeld.invalid>"
    assert "Één klik." in received.get_content()


def test_the_confirmation_reaches_a_real_smtp_server_marked_automatic(smtp: SmtpPeer) -> None:
    receipt = confirmation.send(
        address=CITIZEN,
        language="en",
        submission_id="3f2a9c1e-7b4d-4e8a-9c21-5d6e7f8a9b0c",
        submitted_at=datetime(2026, 11, 28, 9, 15, tzinfo=UTC),
        organisation="Stad Voorbeeld",
        config=CONFIG,
    )
    assert receipt.status is DeliveryStatus.SENT
    [received] = smtp.received
    assert received["Auto-Submitted"] == "auto-replied"
    assert received["Subject"] == "We received your message (reference 3F2A9C1E)"


@pytest.mark.parametrize(
    ("rcpt", "data", "status"),
    [
        ("451 4.3.0 Mailbox temporarily unavailable", "250 OK", DeliveryStatus.RETRY),
        ("550 5.1.1 No such user", "250 OK", DeliveryStatus.FAILED),
        ("250 OK", "452 4.3.1 Insufficient system storage", DeliveryStatus.RETRY),
        ("250 OK", "554 5.7.1 Rejected by policy", DeliveryStatus.FAILED),
    ],
)
def test_what_the_mail_server_answers_decides_between_retry_and_failure(
    smtp: SmtpPeer, rcpt: str, data: str, status: DeliveryStatus
) -> None:
    smtp.rcpt_answer, smtp.data_answer = rcpt, data
    receipt = send(reply())
    assert receipt.status is status
    assert receipt.error.startswith("the mail server")
    assert receipt.retry_after is None  # SMTP says nothing about when
    assert not smtp.received


def test_an_unreachable_mail_server_is_retried() -> None:
    with smtp_settings(free_port(), timeout=2):  # nobody listens there
        receipt = send(reply())
    assert receipt.status is DeliveryStatus.RETRY
    assert "could not be reached" in receipt.error
