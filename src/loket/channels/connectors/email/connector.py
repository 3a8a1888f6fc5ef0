"""The e-mail connector: a mailbox read over IMAP, replies sent over SMTP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from loket.channels.connectors.email import imap
from loket.channels.connectors.email import parse as parse_module
from loket.channels.connectors.email import send as send_module
from loket.channels.connectors.email.config import EmailConfig
from loket.channels.contracts import (
    AccountContext,
    Capabilities,
    DeliveryReceipt,
    DeliveryStatus,
    IdentityScope,
    InboundMessage,
    OutboundMessage,
    PollResult,
)


class EmailConnector:
    name = "email"
    label = "E-mail"
    capabilities = Capabilities(
        public_reply=False,  # mail is between the citizen and the organisation
        private_reply=True,
        private_reply_window=None,  # a citizen can be written to at any time
        private_reply_to_public=False,
        # Mail has no limit of its own; this is what Loket keeps of one message.
        max_length=20_000,
        attachments=False,  # replies are plain text; incoming attachments are listed only
        moderation=False,
        # An e-mail address is the same person on every mailbox of the organisation.
        identity_scope=IdentityScope.PLATFORM,
    )
    config_model = EmailConfig
    # Loket polls (IMAP IDLE is not used): a new mail shows up within about a minute.
    poll_interval_seconds = 60

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        # Mail never arrives by webhook: whatever is posted to /hooks/email/… is refused (401).
        return False

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        try:
            settings = EmailConfig.model_validate(dict(config))
        except ValidationError as error:
            return DeliveryReceipt(
                DeliveryStatus.FAILED, error=f"the profile's mail settings are incomplete: {error}"
            )
        return send_module.send(message=message, config=settings)

    def poll(self, *, account: AccountContext, cursor: str) -> PollResult:
        try:
            settings = EmailConfig.model_validate(dict(account.config))
        except ValidationError as error:
            return PollResult(
                (), cursor, auth_error=f"the profile's mail settings are incomplete: {error}"
            )
        return imap.poll(config=settings, cursor=cursor)
