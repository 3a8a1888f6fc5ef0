"""What every Meta connector does alike: the signature on the raw bytes, the hub handshake,
one app posting for many profiles to one URL, and hiding or deleting comments.

Not a connector itself; Facebook, Instagram and WhatsApp subclass it and add their own
parsing and sending."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import SecretStr

from loket.channels.connectors.meta_common import handshake as meta_handshake
from loket.channels.connectors.meta_common import signature
from loket.channels.connectors.meta_common.moderation import moderate_comment
from loket.channels.connectors.meta_common.payload import split_by_entry
from loket.channels.connectors.meta_common.settings import MetaSettings, load_settings
from loket.channels.contracts import (
    AccountContext,
    DeliveryReceipt,
    HandshakeAnswer,
    ModerationAction,
)


class MetaConnector:
    config_model: type[MetaSettings]
    # The config field that names the profile in a delivery, and the delivery's object.
    routing_field: str
    webhook_object: str

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return signature.is_valid(headers, body, secret)

    def handshake(
        self, *, query: Mapping[str, str], account: AccountContext
    ) -> HandshakeAnswer | None:
        return meta_handshake.answer(
            query=query, verify_token=str(account.config.get("verify_token") or "")
        )

    def routing_key(self, config: Mapping[str, Any]) -> str:
        """One Meta app posts for all its profiles to one URL; each part goes to its profile."""
        return str(config.get(self.routing_field) or "")

    def split(self, body: bytes) -> list[tuple[str, bytes]]:
        return split_by_entry(body, expected_object=self.webhook_object)


class CommentModeration:
    """Hide, show again or delete a citizen's comment (Facebook pages, Instagram)."""

    config_model: type[MetaSettings]
    token_field: str  # the config field with the access token for comments
    hide_parameter: str  # the Graph API's name for "hidden" on a comment

    def moderate(
        self, *, action: ModerationAction, external_id: str, account: AccountContext
    ) -> DeliveryReceipt:
        settings = load_settings(self.config_model, account.config)
        if isinstance(settings, DeliveryReceipt):
            return settings
        token: SecretStr = getattr(settings, self.token_field)
        graph = settings.graph(access_token=token, app_secret=account.secret)
        return moderate_comment(
            graph, action=action, comment_id=external_id, hide_parameter=self.hide_parameter
        )
