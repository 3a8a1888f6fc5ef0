"""The generic webhook connector: signed JSON in, signed JSON out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loket.channels.connectors.generic import parse as parse_module
from loket.channels.connectors.generic import send as send_module
from loket.channels.connectors.generic.config import GenericConfig
from loket.channels.connectors.generic.signing import is_valid
from loket.channels.contracts import Capabilities, DeliveryReceipt, InboundMessage, OutboundMessage

SIGNATURE_HEADER = "X-Loket-Signature"


class GenericConnector:
    name = "generic"
    label = "Generieke webhook"
    capabilities = Capabilities(
        public_reply=True,
        private_reply=True,
        private_reply_to_public=True,
        max_length=5000,
    )
    config_model = GenericConfig

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return is_valid(headers.get(SIGNATURE_HEADER), body, secret)

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        return send_module.send(
            message=message, secret=secret, config=GenericConfig.model_validate(config)
        )
