"""The Instagram connector: comments, mentions and DMs in; replies and moderation out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from loket.channels.connectors.instagram import parse as parse_module
from loket.channels.connectors.instagram import send as send_module
from loket.channels.connectors.instagram.config import InstagramConfig
from loket.channels.connectors.meta_common import handshake as meta_handshake
from loket.channels.connectors.meta_common import signature
from loket.channels.connectors.meta_common.moderation import moderate_comment
from loket.channels.connectors.meta_common.payload import split_by_entry
from loket.channels.connectors.meta_common.settings import load_settings
from loket.channels.contracts import (
    AccountContext,
    Capabilities,
    DeliveryReceipt,
    HandshakeAnswer,
    IdentityScope,
    InboundMessage,
    ModerationAction,
    OutboundMessage,
)


class InstagramConnector:
    name = "instagram"
    label = "Instagram"
    capabilities = Capabilities(
        public_reply=True,
        private_reply=True,
        # The DM window; a private reply to a comment has 7 days (see extra).
        private_reply_window=timedelta(hours=24),
        private_reply_to_public=True,
        private_reply_to_public_window=timedelta(days=7),
        # A DM's text limit (1,000 characters); a comment may hold 2,200.
        max_length=1000,
        attachments=False,
        moderation=True,
        # Instagram-scoped ids: another id for the same person on every account.
        identity_scope=IdentityScope.ACCOUNT,
        extra={
            "private_reply_to_public_once": True,
            "comment_max_length": 2200,
        },
    )
    config_model = InstagramConfig

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return signature.is_valid(headers, body, secret)

    def routing_key(self, config: Mapping[str, Any]) -> str:
        """One Meta app posts for all its accounts to one URL; each part goes to its profile."""
        return str(config.get("ig_user_id") or "")

    def split(self, body: bytes) -> list[tuple[str, bytes]]:
        return split_by_entry(body, expected_object="instagram")

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        settings = load_settings(InstagramConfig, config)
        if isinstance(settings, DeliveryReceipt):
            return settings
        return send_module.send(message=message, app_secret=secret, config=settings)

    def handshake(
        self, *, query: Mapping[str, str], account: AccountContext
    ) -> HandshakeAnswer | None:
        return meta_handshake.answer(
            query=query, verify_token=str(account.config.get("verify_token") or "")
        )

    def moderate(
        self, *, action: ModerationAction, external_id: str, account: AccountContext
    ) -> DeliveryReceipt:
        settings = load_settings(InstagramConfig, account.config)
        if isinstance(settings, DeliveryReceipt):
            return settings
        graph = settings.graph(access_token=settings.access_token, app_secret=account.secret)
        return moderate_comment(graph, action=action, comment_id=external_id, hide_parameter="hide")
