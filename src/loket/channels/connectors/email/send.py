"""OutboundMessage → a plain-text reply by SMTP, in the citizen's thread.

SMTP has no idempotency key. The OutboundDelivery row keeps a sent reply from being sent again;
the Message-ID is derived from the idempotency key, so a repeat after a lost "250 OK" carries
the same Message-ID as the first attempt (mail programs show such copies as one message).
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from collections.abc import Iterator, Mapping
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from loket.channels.connectors.email.config import EmailConfig
from loket.channels.connectors.email.message_ids import (
    MSG_ID,
    own_message_id,
    references_for_reply,
)
from loket.channels.contracts import DeliveryReceipt, DeliveryStatus, OutboundMessage

# A subject that already says it is a reply (English, Dutch and German mail programs).
REPLY_PREFIX = re.compile(r"^\s*(?:re|antw|aw)\s*:", re.IGNORECASE)
# RFC 3834: "no" marks a message a person wrote. Automatic confirmations would say
# "auto-replied", so that the citizen's autoresponder does not answer them.
AUTO_SUBMITTED = "no"


def send(*, message: OutboundMessage, config: EmailConfig) -> DeliveryReceipt:
    recipient = recipient_of(message)
    if recipient is None:
        return DeliveryReceipt(
            DeliveryStatus.FAILED, error="no e-mail address to reply to in this conversation"
        )
    mail = compose(message=message, config=config, recipient=recipient)
    message_id = str(mail["Message-ID"])
    try:
        with _session(config) as smtp:
            smtp.send_message(mail, from_addr=config.from_address, to_addrs=[recipient[1]])
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()), (0, b""))
        return _refused(code, text, what=f"recipient {recipient[1]} refused")
    except smtplib.SMTPNotSupportedError as error:
        return DeliveryReceipt(DeliveryStatus.FAILED, error=f"the SMTP server cannot: {error}")
    except smtplib.SMTPResponseException as error:
        return _refused(error.smtp_code, error.smtp_error, what="the SMTP server refused")
    except ssl.SSLCertVerificationError as error:
        # Does not mend by waiting: the operator must trust the server's certificate.
        return DeliveryReceipt(
            DeliveryStatus.FAILED,
            error=f"the certificate of {config.smtp_host} is not trusted: {error.verify_message}",
        )
    except (smtplib.SMTPException, OSError) as error:  # refused, reset, timed out, TLS failed
        return DeliveryReceipt(
            DeliveryStatus.RETRY,
            error=f"SMTP server unreachable: {type(error).__name__}: {error}"[:300],
        )
    return DeliveryReceipt(DeliveryStatus.SENT, external_id=message_id)


def recipient_of(message: OutboundMessage) -> tuple[str, str] | None:
    """(name, address) to write to: the reply_to of the message answered, else its author."""
    context: Mapping[str, Any] = message.reply_context or {}
    candidates = [
        (str(context.get("reply_to_name") or ""), str(context.get("reply_to") or "")),
        (
            message.recipient.name if message.recipient else "",
            message.recipient.external_id if message.recipient else "",
        ),
    ]
    for name, address in candidates:
        if _is_address(address):
            return " ".join(name.split())[:100], address
    return None


def _is_address(value: str) -> bool:
    if not value or len(value) > 254 or any(c.isspace() or not c.isprintable() for c in value):
        return False
    try:
        address = Address(addr_spec=value)
    except (HeaderParseError, ValueError, IndexError):
        return False
    return bool(address.username) and bool(address.domain) and address.addr_spec == value


def compose(
    *, message: OutboundMessage, config: EmailConfig, recipient: tuple[str, str]
) -> EmailMessage:
    """The reply as a MIME message: plain text in UTF-8, threaded by In-Reply-To/References."""
    context: Mapping[str, Any] = message.reply_context or {}
    parent = _msg_id(context.get("message_id"))
    references = [ref for ref in map(_msg_id, _list(context.get("references"))) if ref]
    mail = EmailMessage()
    mail["From"] = Address(display_name=config.from_name, addr_spec=config.from_address)
    mail["To"] = Address(display_name=recipient[0], addr_spec=recipient[1])
    mail["Subject"] = reply_subject(str(context.get("subject") or ""))
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = own_message_id(message.idempotency_key, config.reply_domain)
    if parent:
        mail["In-Reply-To"] = parent
    chain = references_for_reply(references, parent)
    if chain:
        mail["References"] = " ".join(chain)
    mail["Auto-Submitted"] = AUTO_SUBMITTED
    mail.set_content(message.text, charset="utf-8", cte="quoted-printable")
    return mail


def reply_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if REPLY_PREFIX.match(subject):
        return subject
    return f"Re: {subject}".strip()


def _msg_id(value: Any) -> str:
    """A msg-id from the stored reply context, only if it is one (it goes into a header)."""
    text = str(value or "").strip()
    return text if MSG_ID.fullmatch(text) else ""


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _refused(code: int, text: bytes | str, *, what: str) -> DeliveryReceipt:
    """4xx: try again later; 5xx: permanent. Anything else (a broken reply) counts as passing."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    error = f"{what}: {code} {' '.join(text.split())}"[:300]
    status = DeliveryStatus.FAILED if 500 <= code < 600 else DeliveryStatus.RETRY
    return DeliveryReceipt(status, error=error)


@contextlib.contextmanager
def _session(config: EmailConfig) -> Iterator[smtplib.SMTP]:
    """A logged-in SMTP session; closed afterwards without letting a failing QUIT turn a sent
    message into an error."""
    context = tls_context(config)
    # The EHLO name: the mail domain, rather than a DNS lookup of this host's name (which can
    # hang for seconds on a server without reverse DNS).
    helo = config.reply_domain
    smtp: smtplib.SMTP
    if config.smtp_security == "ssl":
        smtp = smtplib.SMTP_SSL(
            config.smtp_host,
            config.smtp_port,
            local_hostname=helo,
            timeout=config.timeout_seconds,
            context=context,
        )
    else:
        smtp = smtplib.SMTP(
            config.smtp_host,
            config.smtp_port,
            local_hostname=helo,
            timeout=config.timeout_seconds,
        )
    try:
        smtp.ehlo()
        if config.smtp_security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.smtp_username:
            password = config.smtp_password.get_secret_value() if config.smtp_password else ""
            smtp.login(config.smtp_username, password)
        yield smtp
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
        smtp.close()


def tls_context(config: EmailConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if config.tls_ca_certificates.strip():
        context.load_verify_locations(cadata=config.tls_ca_certificates)
    return context
