"""Reads of channels for other modules and the pages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from pydantic import SecretStr

from loket.channels import registry
from loket.channels.contracts import Capabilities, ReplyBlock
from loket.channels.models import (
    ChannelAccount,
    DeliveryState,
    InboundEvent,
    OutboundDelivery,
    ProfilePurpose,
)


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
    if not account.is_active:
        # A disconnected profile keeps its conversations readable, but sends nothing.
        return Capabilities(public_reply=False, private_reply=False)
    try:
        return registry.connector(account.connector).capabilities
    except registry.UnknownConnector:
        # A removed connector leaves its conversations readable, but nothing can be sent.
        return Capabilities(public_reply=False, private_reply=False)


def reply_block(account: ChannelAccount, reply_context: Mapping[str, Any]) -> ReplyBlock | None:
    """Why this one message cannot be answered on its profile, if it cannot."""
    try:
        plugin = registry.connector(account.connector)
    except registry.UnknownConnector:
        return None  # capabilities_of already refuses every reply
    check = getattr(plugin, "reply_block", None)
    return check(reply_context) if callable(check) else None


def is_own_message(account: ChannelAccount, external_id: str) -> bool:
    """Whether a platform is showing us a message we sent ourselves (the echo guard)."""
    return OutboundDelivery.objects.filter(account=account, external_id=external_id).exists()


def delivery(delivery_id: int) -> OutboundDelivery | None:
    return OutboundDelivery.objects.filter(pk=delivery_id).first()


def inbound_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = InboundEvent.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


# ---------------------------------------------------------------------------------------
# The profile registry: every profile of an organisation (and, for a central organisation,
# of its children) with how it is doing. A handful of queries for the whole list, never one
# per profile: the Flemish government alone runs more than a hundred profiles.

# A profile without a citizen message for this long is "slapend" (dormant).
DORMANT_AFTER = timedelta(days=14)
# A token that expires within this long is a problem already: renewing takes time.
TOKEN_WARNING = timedelta(days=14)
# Failed deliveries counted as a problem when they were queued this recently.
FAILED_SENDS_WINDOW = timedelta(days=7)


class ProfileHealth(StrEnum):
    """The registry's health filter."""

    OK = "ok"
    PROBLEM = "problem"
    DORMANT = "dormant"


@dataclass(frozen=True)
class ProfileRow:
    """One line of the profile registry."""

    account: ChannelAccount
    own: bool  # of the organisation asked about; False: a child organisation's (read-only)
    platform_label: str  # the connector's label; its raw name when it is not installed
    platform_available: bool
    polls: bool
    last_inbound_at: datetime | None
    failed_sends: int
    token_expires_soon: bool  # within TOKEN_WARNING, or expired already
    token_expired: bool
    dormant: bool

    @property
    def has_problem(self) -> bool:
        return self.account.is_active and (
            bool(self.account.health_problem)
            or self.token_expires_soon
            or self.failed_sends > 0
            or not self.platform_available
        )

    @property
    def is_ok(self) -> bool:
        return self.account.is_active and not self.has_problem and not self.dormant

    def matches(self, health: str) -> bool:
        if health == ProfileHealth.OK:
            return self.is_ok
        if health == ProfileHealth.PROBLEM:
            return self.has_problem
        if health == ProfileHealth.DORMANT:
            return self.dormant
        return True


def profile_registry(
    organisation: Any,
    *,
    children: Iterable[Any] = (),
    platform: str = "",
    purpose: str = "",
    health: str = "",
    now: datetime | None = None,
) -> list[ProfileRow]:
    """The profiles of `organisation` first, then those of `children` (the child
    organisations a central organisation may oversee), by organisation and name.

    Two queries whatever the number of profiles: the profiles with their last inbound
    delivery (a correlated subquery that reads one entry of the index (account,
    -received_at) per profile, where grouping the ledger by account would read all of it),
    and the failed deliveries of the last week counted per profile in one grouped query.
    """
    now = now or timezone.now()
    organisation_ids = [organisation.pk, *(child.pk for child in children)]
    profiles = ChannelAccount.objects.filter(organisation_id__in=organisation_ids)
    if platform:
        profiles = profiles.filter(connector=platform)
    if purpose:
        profiles = profiles.filter(purpose=purpose)
    latest_inbound = (
        InboundEvent.objects.filter(account=OuterRef("pk"))
        .order_by("-received_at")
        .values("received_at")[:1]
    )
    accounts = list(
        profiles.select_related("organisation", "team").annotate(
            last_inbound_at=Subquery(latest_inbound)
        )
    )
    failed = dict(
        OutboundDelivery.objects.filter(
            account__in=profiles.values("pk"),
            status=DeliveryState.FAILED,
            created_at__gte=now - FAILED_SENDS_WINDOW,
        )
        .values("account_id")
        .annotate(failed=Count("pk"))
        .values_list("account_id", "failed")
    )
    installed = registry.connectors()
    rows = []
    for account in accounts:
        plugin = installed.get(account.connector)
        last_inbound_at = account.last_inbound_at
        quiet_since = last_inbound_at or account.created_at
        expires = account.token_expires_at
        rows.append(
            ProfileRow(
                account=account,
                own=account.organisation_id == organisation.pk,
                platform_label=plugin.label if plugin is not None else account.connector,
                platform_available=plugin is not None,
                polls=plugin is not None and registry.as_polling(plugin) is not None,
                last_inbound_at=last_inbound_at,
                failed_sends=failed.get(account.pk, 0),
                token_expires_soon=expires is not None and expires <= now + TOKEN_WARNING,
                token_expired=expires is not None and expires <= now,
                dormant=account.is_active and quiet_since <= now - DORMANT_AFTER,
            )
        )
    rows.sort(key=lambda row: (not row.own, row.account.organisation.name, row.account.name))
    return [row for row in rows if row.matches(health)]


def platforms() -> list[tuple[str, str]]:
    """The installed platforms a profile can be connected on, as (name, label)."""
    return sorted(
        ((name, plugin.label) for name, plugin in registry.connectors().items()),
        key=lambda item: item[1].lower(),
    )


def platform_label(connector: str) -> str:
    plugin = registry.connectors().get(connector)
    return plugin.label if plugin is not None else connector


@dataclass(frozen=True)
class SettingField:
    """One setting of a platform's `config_model`, described for a form."""

    name: str
    kind: str  # "text", "secret", "integer", "number", "checkbox", "choice" or "list"
    required: bool
    default: Any
    choices: tuple[str, ...] = ()
    description: str = ""


def setting_fields(connector: str) -> list[SettingField]:
    """The settings a platform asks for, read from its pydantic `config_model`."""
    plugin = registry.connectors().get(connector)
    config_model = getattr(plugin, "config_model", None)
    if config_model is None:
        return []
    fields = []
    for name, info in config_model.model_fields.items():
        required = info.is_required()
        default = None if required else info.get_default(call_default_factory=True)
        kind, choices = _setting_kind(info.annotation)
        if isinstance(default, SecretStr):
            default = None  # a secret default is never shown
        elif kind == "list" and default is not None:
            default = [str(item) for item in default]
        elif default is not None and kind not in {"checkbox", "integer", "number"}:
            default = str(default.value if isinstance(default, Enum) else default)
        fields.append(
            SettingField(
                name=name,
                kind=kind,
                required=required,
                default=default,
                choices=choices,
                description=info.description or "",
            )
        )
    return fields


def _setting_kind(annotation: Any) -> tuple[str, tuple[str, ...]]:
    options = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) in {Union, UnionType} and len(options) == 1:
        annotation = options[0]  # Optional[X] is an X that may be left empty
    origin = get_origin(annotation)
    if annotation is SecretStr:
        return "secret", ()
    if annotation is bool:
        return "checkbox", ()
    if annotation is int:
        return "integer", ()
    if annotation is float:
        return "number", ()
    if origin is Literal:
        return "choice", tuple(str(value) for value in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "choice", tuple(str(member.value) for member in annotation)
    if origin in {list, tuple, set, frozenset}:
        return "list", ()
    return "text", ()


def stored_settings(account: ChannelAccount) -> dict[str, Any]:
    """A profile's settings for its edit form: secret settings only say whether they are set
    (True/False), never their value."""
    secret = {field.name for field in setting_fields(account.connector) if field.kind == "secret"}
    return {
        name: (value is not None) if name in secret else value
        for name, value in (account.config or {}).items()
    }


def account_by_id(account_id: int) -> ChannelAccount | None:
    """For handlers of channel events, which carry the account's id only."""
    return ChannelAccount.objects.select_related("organisation").filter(pk=account_id).first()


def purposes() -> list[tuple[str, str]]:
    """What a profile can be for, as (value, label)."""
    return [(str(value), str(label)) for value, label in ProfilePurpose.choices]


def platforms_in_use(organisations: Iterable[Any]) -> list[str]:
    """The platforms the profiles of these organisations are on, installed or not."""
    return sorted(
        set(
            ChannelAccount.objects.filter(
                organisation_id__in=[organisation.pk for organisation in organisations]
            ).values_list("connector", flat=True)
        )
    )


def platform_polls(connector: str) -> bool:
    """Whether Loket fetches this platform's messages itself (instead of, or besides, a
    webhook)."""
    plugin = registry.connectors().get(connector)
    return plugin is not None and registry.as_polling(plugin) is not None
