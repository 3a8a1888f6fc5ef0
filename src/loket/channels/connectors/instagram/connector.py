"""The Instagram connector: comments, mentions and DMs in; replies and moderation out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from loket.channels.connectors.instagram import parse as parse_module
from loket.channels.connectors.instagram import send as send_module
from loket.channels.connectors.instagram.config import InstagramConfig
from loket.channels.connectors.meta_common.connector import CommentModeration, MetaConnector
from loket.channels.connectors.meta_common.settings import load_settings
from loket.channels.contracts import (
    Capabilities,
    DeliveryReceipt,
    IdentityScope,
    InboundMessage,
    OutboundMessage,
)


class InstagramConnector(CommentModeration, MetaConnector):
    name = "instagram"
    label = "Instagram"
    capabilities = Capabilities(
        public_reply=True,
        private_reply=True,
        # The DM window; a private reply to a comment has 7 days.
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
    routing_field = "ig_user_id"
    webhook_object = "instagram"
    token_field = "access_token"  # noqa: S105 - the name of a setting, not a secret
    hide_parameter = "hide"

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        settings = load_settings(InstagramConfig, config)
        if isinstance(settings, DeliveryReceipt):
            return settings
        return send_module.send(message=message, app_secret=secret, config=settings)
