"""The automatic confirmation that a submission arrived.

It carries the organisation's name, the date and the reference, and nothing the citizen
typed: the address is not verified, so whoever types someone else's address must not be able
to make the organisation's mail server send that person a text of their choosing (the usual
way contact forms are abused for spam). The citizen sees their message on the thank-you page;
it stays in Loket.
"""

from __future__ import annotations

from datetime import datetime

from django.core.mail import EmailMessage
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from loket.channels.connectors.webform import mail
from loket.channels.connectors.webform.config import LANGUAGES, WebformConfig
from loket.channels.connectors.webform.event import reference_of
from loket.channels.contracts import DeliveryReceipt


def send(
    *,
    address: str,
    language: str,
    submission_id: str,
    submitted_at: datetime,
    organisation: str,
    config: WebformConfig,
) -> DeliveryReceipt:
    reference = reference_of(submission_id)
    organisation = mail.one_line(organisation)
    with translation.override(language if language in LANGUAGES else LANGUAGES[0]):
        when = formats.date_format(timezone.localtime(submitted_at), "DATETIME_FORMAT")
        subject = _("We received your message (reference %(reference)s)") % {"reference": reference}
        body = "\n\n".join(
            [
                _("Hello,"),
                _(
                    "%(organisation)s received the message you sent with its contact form "
                    "on %(when)s. Your reference is %(reference)s."
                )
                % {"organisation": organisation, "when": when, "reference": reference},
                _(
                    "We will answer you by e-mail at this address. Please quote the reference "
                    "when you contact us about this question."
                ),
                _("Did you not fill in this form? Then you can ignore this e-mail."),
                _("This is an automatic message from %(organisation)s.")
                % {"organisation": organisation},
            ]
        )
        email = EmailMessage(
            subject=subject,
            body=body + "\n",
            from_email=mail.sender(config, organisation),
            to=[address],
            reply_to=[config.reply_to] if config.reply_to else None,
            headers={
                "Message-ID": mail.message_id(f"confirmation-{submission_id}", config),
                # RFC 3834: an automatic answer; auto-responders must not answer it in turn.
                "Auto-Submitted": "auto-replied",
                # The same for Exchange's out-of-office replies.
                "X-Auto-Response-Suppress": "All",
            },
        )
    return mail.deliver(email)
