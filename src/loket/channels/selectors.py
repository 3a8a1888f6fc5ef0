"""Reads of channels for other modules and the pages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from loket.channels import registry
from loket.channels.contracts import Capabilities
from loket.channels.models import ChannelAccount, InboundEvent, OutboundDelivery


@dataclass(frozen=True)
class PendingEvent:
    event_id: int
    account: ChannelAccount
    body: bytes


def account_for_webhook(connector: str, public_id: str) -> ChannelAccount | None:
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        return None
    return (
        ChannelAccount.objects.select_related("organisation")
        .filter(public_id=key, connector=connector, is_active=True)
        .first()
    )


def accounts_of(organisation: Any) -> QuerySet[ChannelAccount]:
    return ChannelAccount.objects.for_organisation(organisation).select_related("team")


def account_of(organisation: Any, account_id: int) -> ChannelAccount | None:
    return accounts_of(organisation).filter(pk=account_id).first()


def capabilities_of(account: ChannelAccount) -> Capabilities:
    try:
        return registry.connector(account.connector).capabilities
    except registry.UnknownConnector:
        # A removed connector leaves its conversations readable, but nothing can be sent.
        return Capabilities(public_reply=False, private_reply=False)


def is_own_message(account: ChannelAccount, external_id: str) -> bool:
    """Whether a platform is showing us a message we sent ourselves (the echo guard)."""
    return OutboundDelivery.objects.filter(account=account, external_id=external_id).exists()


def delivery(delivery_id: int) -> OutboundDelivery | None:
    return OutboundDelivery.objects.filter(pk=delivery_id).first()


def inbound_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = InboundEvent.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
