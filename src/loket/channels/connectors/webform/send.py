"""An agent's reply → an e-mail to the address the citizen gave in the form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from loket.channels.connectors.webform import mail
from loket.channels.connectors.webform.config import LANGUAGES, WebformConfig
from loket.channels.contracts import DeliveryReceipt, DeliveryStatus, OutboundMessage

NO_ADDRESS = "the citizen left no e-mail address"


def send(*, message: OutboundMessage, config: WebformConfig) -> DeliveryReceipt:
    context = message.reply_context
    address = str(context.get("email") or "").strip()
    if not address:
        return DeliveryReceipt(DeliveryStatus.FAILED, error=NO_ADDRESS)
    try:
        validate_email(address)
    except ValidationError:
        return DeliveryReceipt(
            DeliveryStatus.FAILED, error="the citizen's e-mail address is not valid"
        )
    language = str(context.get("language") or "")
    organisation = mail.one_line(str(context.get("organisation") or ""))
    with translation.override(language if language in LANGUAGES else LANGUAGES[0]):
        email = EmailMessage(
            subject=reply_subject(str(context.get("subject") or ""), organisation),
            body=_reply_body(message.text, organisation, str(context.get("reference") or "")),
            from_email=mail.sender(config, organisation),
            to=[address],
            reply_to=[config.reply_to] if config.reply_to else None,
            headers={"Message-ID": mail.message_id(message.idempotency_key, config)},
        )
    return mail.deliver(email)


def reply_subject(subject: str, organisation: str) -> str:
    """`Re: <the citizen's subject>`, or `Re: Uw vraag aan <organisation>` without one."""
    subject = mail.one_line(subject)
    if not subject:
        subject = _("Your question to %(organisation)s") % {"organisation": organisation}
    return f"Re: {subject}"[:250]


def _reply_body(text: str, organisation: str, reference: str) -> str:
    footer = (
        _(
            "This is the answer to the message you sent with the contact form of "
            "%(organisation)s (reference %(reference)s)."
        )
        % {"organisation": organisation, "reference": reference}
        if reference
        else ""
    )
    return f"{text}\n\n-- \n{footer}\n" if footer else f"{text}\n"
