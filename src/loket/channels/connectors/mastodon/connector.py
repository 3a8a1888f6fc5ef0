"""The Mastodon connector: mentions and direct messages by polling, replies as statuses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from loket.channels.connectors.mastodon import parse as parse_module
from loket.channels.connectors.mastodon import poll as poll_module
from loket.channels.connectors.mastodon import send as send_module
from loket.channels.connectors.mastodon.config import DEFAULT_MAX_CHARACTERS, MastodonConfig
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

# Loket puts `@username ` in front of every reply; Mastodon counts a mention by its username
# only, and usernames have at most 30 characters.
MENTION_RESERVE = len("@") + 30 + len(" ")


class MastodonConnector:
    name = "mastodon"
    label = "Mastodon"
    capabilities = Capabilities(
        public_reply=True,
        private_reply=True,
        # A direct message can be sent at any time, also in answer to a public post, as
        # often as needed.
        private_reply_window=None,
        private_reply_to_public=True,
        max_length=DEFAULT_MAX_CHARACTERS - MENTION_RESERVE,
        attachments=False,
        # Mastodon has no way to hide or remove someone else's reply.
        moderation=False,
        # An acct is relative to the server that reports it (`jan` there is `jan@server`
        # elsewhere): a person is recognised within one profile only.
        identity_scope=IdentityScope.ACCOUNT,
    )
    config_model = MastodonConfig
    poll_interval_seconds = 60

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        # Mastodon has no webhooks for ordinary accounts (only a server's own admins get
        # them): whatever is POSTed to this profile's hook URL is not from Mastodon.
        return False

    def parse(self, body: bytes) -> list[InboundMessage]:
        return parse_module.parse(body)

    def poll(self, *, account: AccountContext, cursor: str) -> PollResult:
        try:
            config = MastodonConfig.model_validate(dict(account.config))
        except ValidationError as error:
            return PollResult((), cursor, auth_error=f"the profile's settings: {_first(error)}")
        return poll_module.poll(config=config, cursor=cursor)

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        try:
            settings = MastodonConfig.model_validate(dict(config))
        except ValidationError as error:
            return DeliveryReceipt(
                DeliveryStatus.FAILED, error=f"the profile's settings: {_first(error)}"
            )
        return send_module.send(message=message, config=settings)


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "settings"
    return f"{where}: {first['msg']}"
