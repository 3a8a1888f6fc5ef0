"""The WhatsApp Business (Cloud API) connector: citizens' messages in, text replies out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from loket.channels.connectors.meta_common.connector import MetaConnector
from loket.channels.connectors.meta_common.payload import split_by_change
from loket.channels.connectors.meta_common.settings import load_settings
from loket.channels.connectors.whatsapp import parse as parse_module
from loket.channels.connectors.whatsapp import send as send_module
from loket.channels.connectors.whatsapp.config import WhatsAppConfig
from loket.channels.contracts import (
    Capabilities,
    DeliveryReceipt,
    IdentityScope,
    InboundMessage,
    OutboundMessage,
)


class WhatsAppConnector(MetaConnector):
    name = "whatsapp"
    label = "WhatsApp"
    capabilities = Capabilities(
        public_reply=False,
        private_reply=True,
        # Free-form replies only within 24 hours; after that only approved templates.
        private_reply_window=timedelta(hours=24),
        private_reply_to_public=False,
        max_length=4096,
        attachments=False,
        moderation=False,
        # The WhatsApp id is the citizen's phone number: the same on every business number.
        identity_scope=IdentityScope.PLATFORM,
    )
    config_model = WhatsAppConfig
    routing_field = "phone_number_id"
    webhook_object = "whatsapp_business_account"

    def split(self, body: bytes) -> list[tuple[str, bytes]]:
        return split_by_change(
            body, expected_object="whatsapp_business_account", key_of=_phone_number_id
        )

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        settings = load_settings(WhatsAppConfig, config)
        if isinstance(settings, DeliveryReceipt):
            return settings
        return send_module.send(message=message, app_secret=secret, config=settings)


def _phone_number_id(value: Mapping[str, Any]) -> str:
    metadata = value.get("metadata")
    found = metadata.get("phone_number_id") if isinstance(metadata, Mapping) else None
    return str(found) if isinstance(found, str | int) else ""
