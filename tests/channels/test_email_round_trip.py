"""E-mail end to end against real servers on loopback: a citizen writes over SMTP (aiosmtpd
delivering into Dovecot), Loket polls the municipality's mailbox over IMAP, opens a case, replies
by SMTP into the citizen's mailbox, and threads the citizen's answer into the same case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.test import Client

from loket.channels import services
from loket.channels.connectors.email.tests.mailpeer import (
    MailPeer,
    free_port,
    running_mail_peer,
)
from loket.channels.contracts import OutboundMessage, Visibility
from loket.channels.models import ChannelAccount, InboundEvent, OutboundDelivery
from loket.inbox import intake
from loket.inbox import services as inbox_services
from loket.inbox.models import Case, Conversation, Message
from loket.tenancy.models import Organisation, Team, User

pytestmark = pytest.mark.django_db

CITY = "info@stadvoorbeeld.be"
CITIZEN = "jef.vermeulen@voorbeeldmail.be"
PASSWORDS = {CITY: "imap-geheim", CITIZEN: "burger-geheim"}
QUESTION_ID = "<grofvuil-1001@voorbeeldmail.be>"


@pytest.fixture
def mail() -> Iterator[MailPeer]:
    with running_mail_peer(PASSWORDS) as peer:
        yield peer


def email_account(*, imap_port: int, smtp_port: int) -> ChannelAccount:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    team = Team.objects.get(organisation=organisation, name="Klantencontactcenter")
    account, _secret = services.create_account(
        organisation=organisation,
        connector="email",
        name="info@stadvoorbeeld.be",
        team=team,
        config={
            "host": "127.0.0.1",
            "port": imap_port,
            "security": "none",
            "username": CITY,
            "password": PASSWORDS[CITY],
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_port,
            "smtp_security": "none",
            "from_address": CITY,
            "from_name": "Stad Voorbeeld",
            "timeout_seconds": 5,
        },
    )
    return account


@pytest.fixture
def account(cast: None, mail: MailPeer) -> ChannelAccount:
    return email_account(imap_port=mail.imap_port, smtp_port=mail.smtp_port)


@pytest.fixture
def offline_account(cast: None) -> ChannelAccount:
    """A profile whose servers are not running: enough for what needs no mail server."""
    return email_account(imap_port=free_port(), smtp_port=free_port())


def citizen_writes(
    mail: MailPeer,
    *,
    message_id: str,
    subject: str,
    text: str,
    headers: dict[str, str] | None = None,
) -> None:
    message = EmailMessage()
    message["From"] = f"Jef Vermeulen <{CITIZEN}>"
    message["To"] = f"Stad Voorbeeld <{CITY}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    mail.submit(message.as_bytes(), sender=CITIZEN, recipient=CITY)


def poll_and_process(account: ChannelAccount) -> int:
    """What the worker does for this profile; returns how many deliveries were new."""
    stored = services.poll(account_id=account.pk)
    intake.process_pending(seconds=10)
    return stored


def test_a_question_a_reply_and_the_answer_in_one_case(
    account: ChannelAccount, mail: MailPeer
) -> None:
    citizen_writes(
        mail,
        message_id=QUESTION_ID,
        subject="Grofvuil ophalen in de Kerkstraat",
        text="Wanneer wordt het grofvuil opgehaald in de Kerkstraat?\n\nJef",
    )
    assert poll_and_process(account) == 1
    question = Message.objects.get(external_id=QUESTION_ID)
    assert question.case is not None
    assert question.text == "Wanneer wordt het grofvuil opgehaald in de Kerkstraat?\n\nJef"
    assert question.conversation.kind == "email"
    assert question.conversation.title == "Grofvuil ophalen in de Kerkstraat"
    assert question.author_name == "Jef Vermeulen"
    case = question.case

    # Loket answers through the delivery queue with what the stored message says about its thread.
    delivery = services.queue_delivery(
        account=account,
        message=OutboundMessage(
            idempotency_key="reply-grofvuil-1",
            thread_id=question.conversation.external_thread_id,
            visibility=Visibility.PRIVATE,
            text="Beste Jef,\n\nHet grofvuil wordt opgehaald op dinsdag 9 december.",
            in_reply_to=question.external_id,
            reply_context=question.reply_context,
        ),
    )
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "sent", delivery.last_error
    assert delivery.external_id.startswith("<loket.")
    assert delivery.external_id.endswith("@stadvoorbeeld.be>")

    [arrived] = mail.wait_for(CITIZEN, 1)
    reply = message_from_bytes(arrived, policy=policy.default)
    assert reply["Message-ID"] == delivery.external_id
    assert reply["In-Reply-To"] == QUESTION_ID
    assert reply["References"] == QUESTION_ID
    assert reply["Subject"] == "Re: Grofvuil ophalen in de Kerkstraat"
    assert reply["From"] == f"Stad Voorbeeld <{CITY}>"
    assert reply["Auto-Submitted"] == "no"
    assert "dinsdag 9 december" in reply.get_content()

    # The citizen's mail program answers the reply, quoting it.
    citizen_writes(
        mail,
        message_id="<grofvuil-1002@voorbeeldmail.be>",
        subject=f"Re: {reply['Subject'].removeprefix('Re: ')}",
        text=(
            "Mag de zetel de avond voordien al buiten?\n\n"
            "Op ma 1 dec 2026 om 10:05 schreef Stad Voorbeeld <info@stadvoorbeeld.be>:\n"
            "> Beste Jef,\n> Het grofvuil wordt opgehaald op dinsdag 9 december.\n"
        ),
        headers={
            "In-Reply-To": reply["Message-ID"],
            "References": f"{QUESTION_ID} {reply['Message-ID']}",
        },
    )
    assert poll_and_process(account) == 1
    answer = Message.objects.get(external_id="<grofvuil-1002@voorbeeldmail.be>")
    assert answer.text == "Mag de zetel de avond voordien al buiten?"
    assert answer.conversation_id == question.conversation_id
    assert answer.case_id == case.pk
    assert Case.objects.count() == 1

    # An agent answers again through the inbox, as from the case page.
    agent = User.objects.get(username="anna")
    [outbound] = inbox_services.reply(
        case=case, actor=agent, text="Ja, vanaf 20 uur de avond voordien.", visibility="private"
    )
    assert outbound.delivery is not None
    services.deliver(delivery_id=outbound.delivery.pk)
    outbound.delivery.refresh_from_db()
    assert outbound.delivery.status == "sent", outbound.delivery.last_error
    second = message_from_bytes(mail.wait_for(CITIZEN, 2)[1], policy=policy.default)
    assert second["In-Reply-To"] == "<grofvuil-1002@voorbeeldmail.be>"
    assert second["References"].split() == [
        QUESTION_ID,
        reply["Message-ID"],
        "<grofvuil-1002@voorbeeldmail.be>",
    ]
    assert second["Subject"] == "Re: Grofvuil ophalen in de Kerkstraat"
    assert second["To"] == f"Jef Vermeulen <{CITIZEN}>"


def test_auto_replies_echoes_and_polling_again_create_nothing(
    account: ChannelAccount, mail: MailPeer
) -> None:
    citizen_writes(mail, message_id=QUESTION_ID, subject="Grofvuil", text="Wanneer?")
    assert poll_and_process(account) == 1
    question = Message.objects.get()

    # The citizen's autoresponder answers Loket's reply.
    citizen_writes(
        mail,
        message_id="<afwezig-1@voorbeeldmail.be>",
        subject="Afwezig: Re: Grofvuil",
        text="Ik ben afwezig tot 8 december.",
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": QUESTION_ID},
    )
    # A copy of Loket's own reply lands in the municipality's mailbox (a Bcc to itself).
    delivery = services.queue_delivery(
        account=account,
        message=OutboundMessage(
            idempotency_key="reply-2",
            thread_id=question.conversation.external_thread_id,
            visibility=Visibility.PRIVATE,
            text="Op dinsdag.",
            reply_context=question.reply_context,
        ),
    )
    services.deliver(delivery_id=delivery.pk)
    [sent] = mail.wait_for(CITIZEN, 1)
    mail.submit(sent, sender=CITY, recipient=CITY)

    assert poll_and_process(account) == 2  # both stored in the ledger …
    assert Message.objects.count() == 1  # … neither became a citizen message
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {"processed"}

    # Polling again, and again after the server renumbered the mailbox (a new UIDVALIDITY).
    assert poll_and_process(account) == 0
    mail.renumber(CITY)
    assert poll_and_process(account) == 3  # new ledger keys for the same three mails …
    assert Message.objects.count() == 1  # … known by their Message-ID
    assert Conversation.objects.count() == 1
    account.refresh_from_db()
    assert account.health_problem == ""


def test_a_refused_login_marks_the_profile_unhealthy(
    account: ChannelAccount, mail: MailPeer
) -> None:
    services.update_config(account=account, config={"password": "verlopen"})
    assert services.poll(account_id=account.pk) == 0
    account.refresh_from_db()
    assert "login" in account.health_problem


def test_the_secrets_are_stored_sealed(offline_account: ChannelAccount) -> None:
    stored = ChannelAccount.objects.get(pk=offline_account.pk).config
    assert PASSWORDS[CITY] not in str(stored)
    assert services.account_config(offline_account)["password"] == PASSWORDS[CITY]


def test_connecting_from_the_profile_form_fills_in_the_defaults(cast: None) -> None:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    account, _secret = services.connect_profile(
        organisation=organisation,
        actor=User.objects.get(username="admin"),
        connector="email",
        name="loket@stadvoorbeeld.be",
        config={
            "host": "imap.stadvoorbeeld.be",
            "port": None,
            "security": "",
            "username": "loket@stadvoorbeeld.be",
            "password": "imap-geheim",
            "smtp_host": "smtp.stadvoorbeeld.be",
            "smtp_username": "",
            "smtp_password": "",
            "from_address": "Loket@StadVoorbeeld.be",
            "tls_ca_certificates": "",
        },
    )
    settings = services.account_config(account)
    assert (settings["port"], settings["security"], settings["smtp_port"]) == (993, "ssl", 587)
    assert settings["from_address"] == "loket@stadvoorbeeld.be"
    assert settings["smtp_password"] is None


@pytest.mark.parametrize(
    "headers", [{}, {"X-Loket-Signature": "sha256=00"}, {"X-Hub-Signature-256": "sha256=00"}]
)
def test_nothing_arrives_by_webhook(
    offline_account: ChannelAccount, headers: dict[str, str]
) -> None:
    url = f"/hooks/email/{offline_account.public_id}"
    raw = b"From: jef.vermeulen@voorbeeldmail.be\r\nSubject: Hallo\r\n\r\nHallo"
    response = Client().post(url, data=raw, content_type="message/rfc822", headers=headers)
    assert response.status_code == 401
    assert InboundEvent.objects.count() == 0
    assert Client().get(url).status_code == 405
    assert OutboundDelivery.objects.count() == 0
