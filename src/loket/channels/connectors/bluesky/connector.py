"""The Bluesky connector: polls notifications, replies in the thread as a post."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from loket.channels.connectors.bluesky import parse as parse_module
from loket.channels.connectors.bluesky import poll as poll_module
from loket.channels.connectors.bluesky import send as send_module
from loket.channels.connectors.bluesky.config import BlueskyConfig
from loket.channels.connectors.bluesky.xrpc import Client
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


class BlueskyConnector:
    name = "bluesky"
    label = "Bluesky"
    capabilities = Capabilities(
        public_reply=True,
        # Direct messages go through Bluesky's separate chat service; not supported yet.
        private_reply=False,
        private_reply_window=None,
        private_reply_to_public=False,
        max_length=send_module.MAX_GRAPHEMES,
        attachments=False,
        moderation=False,
        # A DID is the same person on every Bluesky profile.
        identity_scope=IdentityScope.PLATFORM,
    )
    config_model = BlueskyConfig
    poll_interval_seconds = 60

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        # Bluesky does not push: messages come in by polling only, so whatever is POSTed to
        # this profile's webhook URL is not from Bluesky and is refused (401).
        return False

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def poll(self, *, account: AccountContext, cursor: str) -> PollResult:
        try:
            config = BlueskyConfig.model_validate(dict(account.config))
        except ValidationError as error:
            return PollResult((), cursor, auth_error=f"Bluesky settings are incomplete: {error}")
        return poll_module.poll(config=config, cursor=cursor, client=Client(config))

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        try:
            settings = BlueskyConfig.model_validate(dict(config))
        except ValidationError as error:
            return DeliveryReceipt(
                DeliveryStatus.FAILED, error=f"Bluesky settings are incomplete: {error}"
            )
        return send_module.send(message=message, config=settings, client=Client(settings))
