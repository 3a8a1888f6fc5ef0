"""The connector contract: what crosses between a platform connector and the rest of Loket.

A connector turns a platform's raw payload into `InboundMessage`s (pure parsing), and sends an
`OutboundMessage`, answering with a `DeliveryReceipt`. What a platform can do is described by
its `Capabilities`, so the composer and the workflow never ask which platform it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol


class Visibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class ConversationKind(StrEnum):
    PUBLIC_THREAD = "public_thread"  # comments under a post
    PRIVATE = "private"  # direct or private messages
    EMAIL = "email"
    FORM = "form"


class IdentityScope(StrEnum):
    """Whether an author id means the same person across all accounts of the platform."""

    PLATFORM = "platform"
    ACCOUNT = "account"


class DeliveryStatus(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # a passing failure: try again later
    FAILED = "failed"  # will not succeed by retrying


@dataclass(frozen=True)
class Author:
    external_id: str
    name: str = ""


@dataclass(frozen=True)
class Attachment:
    """Metadata only: Loket never fetches URLs from citizen payloads on its own."""

    kind: str
    name: str = ""
    url: str = ""
    size: int | None = None


@dataclass(frozen=True)
class InboundMessage:
    external_id: str
    thread_id: str
    kind: ConversationKind
    visibility: Visibility
    author: Author
    text: str
    created_at: datetime
    in_reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()
    thread_title: str = ""


@dataclass(frozen=True)
class OutboundMessage:
    idempotency_key: str
    thread_id: str
    visibility: Visibility
    text: str
    in_reply_to: str | None = None
    recipient: Author | None = None


@dataclass(frozen=True)
class DeliveryReceipt:
    status: DeliveryStatus
    external_id: str = ""
    error: str = ""
    retry_after: timedelta | None = None


@dataclass(frozen=True)
class Capabilities:
    public_reply: bool = True
    private_reply: bool = True
    # How long after the citizen's last message a private reply is allowed (None: always).
    private_reply_window: timedelta | None = None
    # Whether a private reply to a public comment is possible (and only once).
    private_reply_to_public: bool = False
    max_length: int = 5000
    attachments: bool = False
    moderation: bool = False
    identity_scope: IdentityScope = IdentityScope.ACCOUNT
    extra: Mapping[str, Any] = field(default_factory=dict)


class PayloadError(ValueError):
    """A payload that cannot be parsed; the message says what is wrong, for the sender."""


class Connector(Protocol):
    name: str
    label: str
    capabilities: Capabilities

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """Whether the raw request body carries a valid signature."""
        ...

    def parse(self, body: bytes) -> list[InboundMessage]:
        """The messages in a raw payload; raises PayloadError for malformed input."""
        ...

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        """Deliver one message to the platform; never raises for platform errors."""
        ...
