"""The Facebook Page connector: page comments and Messenger in, replies and moderation out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from loket.channels.connectors.facebook import parse as parse_module
from loket.channels.connectors.facebook import send as send_module
from loket.channels.connectors.facebook.config import FacebookConfig
from loket.channels.connectors.meta_common.connector import CommentModeration, MetaConnector
from loket.channels.connectors.meta_common.settings import load_settings
from loket.channels.contracts import (
    Capabilities,
    DeliveryReceipt,
    IdentityScope,
    InboundMessage,
    OutboundMessage,
)


class FacebookConnector(CommentModeration, MetaConnector):
    name = "facebook"
    label = "Facebook"
    capabilities = Capabilities(
        public_reply=True,
        private_reply=True,
        # Messenger's standard window; a private reply to a comment has 7 days.
        private_reply_window=timedelta(hours=24),
        private_reply_to_public=True,
        private_reply_to_public_window=timedelta(days=7),
        # Messenger's limit for a text message; a comment may be longer (8,000).
        max_length=2000,
        attachments=False,
        moderation=True,
        # Page-scoped ids: the same person has another id on every page (and another one
        # again for comments than for Messenger).
        identity_scope=IdentityScope.ACCOUNT,
        extra={
            "private_reply_to_public_once": True,
            "comment_max_length": 8000,
        },
    )
    config_model = FacebookConfig
    routing_field = "page_id"
    webhook_object = "page"
    token_field = "page_access_token"  # noqa: S105 - the name of a setting, not a secret
    hide_parameter = "is_hidden"

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        settings = load_settings(FacebookConfig, config)
        if isinstance(settings, DeliveryReceipt):
            return settings
        return send_module.send(message=message, app_secret=secret, config=settings)
