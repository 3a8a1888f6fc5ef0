"""The web form connector: the form page stores submissions, replies leave by e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loket.channels.connectors.webform import parse as parse_module
from loket.channels.connectors.webform import send as send_module
from loket.channels.connectors.webform.config import WebformConfig
from loket.channels.contracts import (
    Capabilities,
    DeliveryReceipt,
    IdentityScope,
    InboundMessage,
    OutboundMessage,
    ReplyBlock,
)


class WebformConnector:
    name = "webform"
    label = "Webformulier"
    capabilities = Capabilities(
        # Nobody else sees a form submission: there is nothing to answer in public.
        public_reply=False,
        # By e-mail, and only when the citizen left an address. Capabilities hold per profile,
        # not per conversation, so the composer offers it everywhere; for a submission
        # without an address the reply fails visibly ("the citizen left no e-mail address").
        private_reply=True,
        private_reply_window=None,
        private_reply_to_public=False,
        # Loket's own limit for an e-mail answer; e-mail itself has none that matters.
        max_length=10_000,
        attachments=False,
        moderation=False,
        # An e-mail address is the same person on every form of the organisation.
        identity_scope=IdentityScope.PLATFORM,
        extra={"private_reply_needs": "the citizen's e-mail address", "reply_by": "email"},
    )
    config_model = WebformConfig

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        # The form page is the only way in: whatever is POSTed to /hooks/webform/… is refused.
        return False

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def reply_block(self, reply_context: Mapping[str, Any]) -> ReplyBlock | None:
        """A form sent without an e-mail address cannot be answered."""
        return (
            None if str(reply_context.get("email") or "").strip() else ReplyBlock.NO_CONTACT_ADDRESS
        )

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        return send_module.send(message=message, config=WebformConfig.model_validate(config))
