"""The X connector: webhooks (Account Activity API, X Activity API) or polling in; replies out."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import requests
from pydantic import ValidationError

from loket.channels.connectors.x import api
from loket.channels.connectors.x import parse as parse_module
from loket.channels.connectors.x import poll as poll_module
from loket.channels.connectors.x import send as send_module
from loket.channels.connectors.x.config import XConfig
from loket.channels.connectors.x.signing import crc_response_token, is_valid
from loket.channels.contracts import (
    AccountContext,
    Capabilities,
    DeliveryReceipt,
    DeliveryStatus,
    HandshakeAnswer,
    IdentityScope,
    InboundMessage,
    ModerationAction,
    OutboundMessage,
    PayloadError,
    PollResult,
)

SIGNATURE_HEADER = "x-twitter-webhooks-signature"
MAX_CRC_TOKEN = 500
PUBLIC_MAX_LENGTH = 280
DIRECT_MESSAGE_MAX_LENGTH = 10_000


class XConnector:
    name = "x"
    label = "X"
    capabilities = Capabilities(
        public_reply=True,
        private_reply=True,
        # X has no reply window for DMs: a conversation the citizen started stays open.
        private_reply_window=None,
        # Only to people who accept DMs from the profile, which Loket cannot know beforehand.
        private_reply_to_public=False,
        # Capabilities hold one length: a post's. DMs could be 10,000 characters.
        max_length=PUBLIC_MAX_LENGTH,
        attachments=False,
        # Hiding replies under the profile's own posts.
        moderation=True,
        # A user id means the same person for every profile on X.
        identity_scope=IdentityScope.PLATFORM,
        extra={"direct_message_max_length": DIRECT_MESSAGE_MAX_LENGTH},
    )
    config_model = XConfig
    # Basic access allowed 10 mention requests per 15 minutes per user: one poll every two
    # minutes keeps room for a second page now and then.
    poll_interval_seconds = 120

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return is_valid(_header(headers, SIGNATURE_HEADER), body, secret)

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        try:
            settings = XConfig.model_validate(dict(config))
        except ValidationError as error:
            return DeliveryReceipt(DeliveryStatus.FAILED, error=f"X settings: {_first(error)}")
        return send_module.send(message=message, consumer_secret=secret, config=settings)

    def handshake(
        self, *, query: Mapping[str, str], account: AccountContext
    ) -> HandshakeAnswer | None:
        """X's Challenge-Response Check: prove that we hold the consumer secret."""
        crc_token = query.get("crc_token")
        if crc_token is None:
            return None
        if not crc_token or len(crc_token) > MAX_CRC_TOKEN:
            raise PayloadError("crc_token: empty or too long")
        if not account.secret:
            return HandshakeAnswer(
                403,
                json.dumps({"error": "this profile has no consumer secret"}),
                "application/json",
            )
        token = crc_response_token(crc_token, account.secret)
        return HandshakeAnswer(200, json.dumps({"response_token": token}), "application/json")

    def poll(self, *, account: AccountContext, cursor: str) -> PollResult:
        try:
            settings = XConfig.model_validate(dict(account.config))
        except ValidationError as error:
            return PollResult((), cursor, auth_error=f"X settings: {_first(error)}")
        return poll_module.poll(config=settings, consumer_secret=account.secret, cursor=cursor)

    def moderate(
        self, *, action: ModerationAction, external_id: str, account: AccountContext
    ) -> DeliveryReceipt:
        """Hide or show again a reply under one of the profile's own posts.

        X lets nobody delete someone else's post; hiding is what a profile can do.
        """
        if action is ModerationAction.DELETE:
            return DeliveryReceipt(
                DeliveryStatus.FAILED,
                error="X does not let a profile delete someone else's post; hide it instead",
            )
        if not parse_module.ID.fullmatch(external_id):
            return DeliveryReceipt(DeliveryStatus.FAILED, error="not an X post id")
        try:
            settings = XConfig.model_validate(dict(account.config))
        except ValidationError as error:
            return DeliveryReceipt(DeliveryStatus.FAILED, error=f"X settings: {_first(error)}")
        try:
            response = api.call(
                settings,
                account.secret,
                "PUT",
                f"/2/tweets/{external_id}/hidden",
                json_body={"hidden": action is ModerationAction.HIDE},
            )
        except api.NoCredentials as error:
            return DeliveryReceipt(DeliveryStatus.FAILED, error=str(error))
        except requests.RequestException as error:
            # Hiding twice is harmless, so any failure may simply be tried again.
            return DeliveryReceipt(DeliveryStatus.RETRY, error=f"X: {type(error).__name__}")
        if response.status_code == 200:
            return DeliveryReceipt(DeliveryStatus.SENT, external_id=external_id)
        if api.is_passing(response):
            return DeliveryReceipt(
                DeliveryStatus.RETRY,
                error=api.problem(response),
                retry_after=api.retry_after(response),
            )
        return DeliveryReceipt(DeliveryStatus.FAILED, error=api.problem(response))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Django's request headers ignore case; a plain mapping (a test, a replay) may not."""
    value = headers.get(name)
    if value is not None:
        return value
    for key, candidate in headers.items():
        if key.lower() == name:
            return candidate
    return None


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "settings"
    return f"{where}: {first['msg']}"
