"""What the confirmation and the agents' replies share: the sender, stable Message-IDs and
what an SMTP failure means for a retry. E-mail leaves through Django's mail backend, that is
the installation's SMTP settings."""

from __future__ import annotations

import re
import smtplib
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from loket.channels.connectors.webform.config import WebformConfig
from loket.channels.contracts import DeliveryReceipt, DeliveryStatus

_NOT_IN_A_MESSAGE_ID = re.compile(r"[^A-Za-z0-9.\-_]")
_LINE_BREAKS = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")


def one_line(text: str) -> str:
    """Text fit for a mail header: a line break there would start a header of its own."""
    return _LINE_BREAKS.sub(" ", text).strip()


def sender(config: WebformConfig, organisation: str) -> str:
    """`"Stad Voorbeeld" <noreply@…>`: the organisation's name on the installation's address."""
    address = config.sender_address or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return formataddr((one_line(organisation)[:100], address))


def message_id(key: str, config: WebformConfig) -> str:
    """The same Message-ID on every attempt, so that a retried send can be recognised."""
    address = config.sender_address or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] or "localhost"
    return f"<{_NOT_IN_A_MESSAGE_ID.sub('-', key)[:120]}.webform@{domain}>"


def deliver(email: EmailMessage) -> DeliveryReceipt:
    """Hand one e-mail to the mail backend; never raises for what the mail server answers."""
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            return DeliveryReceipt(
                DeliveryStatus.RETRY, error=f"the mail server deferred the address ({codes[0]})"
            )
        return DeliveryReceipt(
            DeliveryStatus.FAILED,
            error=f"the mail server refused the citizen's address ({codes[0] if codes else '?'})",
        )
    except smtplib.SMTPResponseException as error:
        # 4xx: try again later; 5xx: the server will not take it (authentication, policy).
        status = DeliveryStatus.RETRY if 400 <= error.smtp_code < 500 else DeliveryStatus.FAILED
        return DeliveryReceipt(status, error=f"the mail server answered {error.smtp_code}")
    except (smtplib.SMTPException, OSError) as error:
        # Not reachable, timed out, hung up: passing trouble.
        return DeliveryReceipt(
            DeliveryStatus.RETRY,
            error=f"the mail server could not be reached ({type(error).__name__})",
        )
    return DeliveryReceipt(
        DeliveryStatus.SENT, external_id=str(email.extra_headers.get("Message-ID", ""))
    )
