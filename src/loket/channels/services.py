"""Every write in channels: accounts, the inbound ledger and outbound deliveries."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import asdict
from datetime import timedelta
from enum import StrEnum
from typing import Any, get_args

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, SecretStr
from pydantic import ValidationError as PydanticValidationError

from loket.channels import registry
from loket.channels.contracts import (
    AccountContext,
    Author,
    DeliveryReceipt,
    DeliveryStatus,
    HandshakeAnswer,
    ModerationAction,
    OutboundMessage,
    PayloadError,
    Visibility,
)
from loket.channels.models import (
    ChannelAccount,
    DeliveryState,
    InboundEvent,
    InboundStatus,
    OutboundDelivery,
    ProfilePurpose,
)
from loket.channels.selectors import PendingEvent
from loket.kernel import crypto, events
from loket.tenancy import services as tenancy_services

# Published after an inbound event is stored; the intake pipeline subscribes to it.
INBOUND_EVENT_STORED = "channels.inbound_event_stored"
# Published when a profile becomes unhealthy (a token expired, sending fails) or recovers.
ACCOUNT_HEALTH_CHANGED = "channels.account_health_changed"
SEALED = "$sealed"
logger = logging.getLogger(__name__)
SENDING_FAILS = "sending fails"
DEFAULT_POLL_INTERVAL = 60
MAX_DELIVERY_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)


class Receipt(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


class BadSignature(Exception):
    pass


def create_account(
    *,
    organisation: Any,
    connector: str,
    name: str,
    team: Any = None,
    config: Mapping[str, Any] | None = None,
    default_language: str = "nl",
    secret: str | None = None,
    handle: str = "",
    purpose: str = "service",
) -> tuple[ChannelAccount, str]:
    """A new profile; returns the account and its webhook secret (shown once).

    The secret is generated unless the platform dictates it (Meta's app secret, X's consumer
    secret). Secret settings of the connector (tokens, passwords) are stored encrypted.
    """
    plugin = registry.connector(connector)
    if not name.strip():
        raise ValidationError({"name": "A name is required."})
    secret = secret or secrets.token_urlsafe(32)
    sealed = _sealed_config(plugin, config or {})
    account = ChannelAccount.objects.create(
        organisation=organisation,
        connector=connector,
        name=name.strip(),
        team=team,
        config=sealed,
        routing_key=_routing_key(plugin, config or {}),
        default_language=default_language,
        secret_encrypted=crypto.encrypt(secret),
        handle=handle.strip()[:200],
        purpose=purpose,
    )
    return account, secret


def _routing_key(plugin: Any, config: Mapping[str, Any]) -> str:
    router = registry.as_routing(plugin)
    return router.routing_key(config)[:200] if router is not None else ""


def update_config(*, account: ChannelAccount, config: Mapping[str, Any]) -> None:
    """New settings for a profile; secret settings left empty keep their stored value."""
    plugin = registry.connector(account.connector)
    current = account_config(account)
    merged = {
        **current,
        **{key: value for key, value in config.items() if value not in ("", None)},
    }
    account.config = _sealed_config(plugin, merged)
    account.routing_key = _routing_key(plugin, merged)
    account.save(update_fields=["config", "routing_key"])


def _sealed_config(plugin: Any, config: Mapping[str, Any]) -> dict[str, Any]:
    """Validate with the connector's model; encrypt every SecretStr field."""
    config_model = getattr(plugin, "config_model", None)
    if config_model is None:
        return dict(config)
    try:
        model = config_model.model_validate(dict(config))
    except ValueError as error:
        raise ValidationError({"config": str(error)}) from error
    sealed: dict[str, Any] = model.model_dump(mode="json")
    for name in _secret_fields(config_model):
        value = getattr(model, name)
        if value is not None:
            sealed[name] = {SEALED: crypto.encrypt(value.get_secret_value())}
    return sealed


def _secret_fields(config_model: Any) -> list[str]:
    return [
        name
        for name, info in config_model.model_fields.items()
        if SecretStr in (info.annotation, *get_args(info.annotation))
    ]


def account_secret(account: ChannelAccount) -> str:
    return crypto.decrypt(account.secret_encrypted) if account.secret_encrypted else ""


def account_config(account: ChannelAccount) -> dict[str, Any]:
    """The profile's settings with secrets decrypted, for the connector only."""
    return {
        key: crypto.decrypt(value[SEALED])
        if isinstance(value, dict) and set(value) == {SEALED}
        else value
        for key, value in (account.config or {}).items()
    }


def account_context(account: ChannelAccount) -> AccountContext:
    return AccountContext(
        public_id=str(account.public_id),
        config=account_config(account),
        secret=account_secret(account),
    )


def receive(
    *,
    account: ChannelAccount,
    headers: Mapping[str, str],
    body: bytes,
    secret: str | None = None,
) -> Receipt:
    """Verify, check the payload's shape and store it; processing happens in the worker."""
    plugin = registry.connector(account.connector)
    if secret is None:
        secret = account_secret(account)
    if not plugin.verify(headers=headers, body=body, secret=secret):
        raise BadSignature
    router = registry.as_routing(plugin)
    if router is None:
        messages = plugin.parse(body)  # raises PayloadError: the sender hears what is wrong
        return _store_parsed(account=account, body=body, messages=messages)
    receipts = []
    for key, part in router.split(body):
        target = _routed_account(account, key, secret)
        if target is None:
            logger.info("delivery for unknown profile %r via profile %s dropped", key, account.pk)
            continue
        receipts.append(_store_parsed(account=target, body=part, messages=plugin.parse(part)))
    for receipt in (Receipt.ACCEPTED, Receipt.DUPLICATE):
        if receipt in receipts:
            return receipt
    return Receipt.IGNORED


def _routed_account(account: ChannelAccount, key: str, secret: str) -> ChannelAccount | None:
    """The profile a part of a shared delivery is for: this one, or another profile of the
    same platform app (same connector, same secret) named by the key."""
    if key == account.routing_key or not key:
        return account
    candidates = ChannelAccount.objects.filter(
        connector=account.connector, routing_key=key, is_active=True
    ).select_related("organisation")
    for candidate in candidates:
        if secrets.compare_digest(account_secret(candidate), secret):
            return candidate
    return None


def _store_parsed(*, account: ChannelAccount, body: bytes, messages: list[Any]) -> Receipt:
    """Store a payload whose messages were parsed; announce it to the intake.

    A valid delivery without citizen messages (a like, a read receipt, a delivery status) is
    acknowledged and not stored: the platform must not retry it.
    """
    if not messages:
        return Receipt.IGNORED
    key = messages[0].external_id if len(messages) == 1 else hashlib.sha256(body).hexdigest()
    event_id = _store_event(account_id=account.pk, event_key=key[:200], body=body)
    if event_id is None:
        return Receipt.DUPLICATE
    events.publish(INBOUND_EVENT_STORED, event_id=event_id)
    return Receipt.ACCEPTED


def _store_event(*, account_id: int, event_key: str, body: bytes) -> int | None:
    """Insert into the ledger unless the key is there already; the new row's id, or None.

    One statement in autocommit, no savepoint and no exception for a duplicate: this is the
    webhook's hot path (ADR 3). `ON CONFLICT … RETURNING` is understood by PostgreSQL and by
    SQLite from 3.35.
    """
    table = connection.ops.quote_name(InboundEvent._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "  # noqa: S608 - the table name is ours, values are parameters
            "(account_id, event_key, body, received_at, status, attempts, error) "
            "VALUES (%s, %s, %s, %s, %s, 0, '') "
            "ON CONFLICT (account_id, event_key) DO NOTHING RETURNING id",
            [account_id, event_key, body, now, InboundStatus.PENDING.value],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def claim_event(*, event_id: int) -> PendingEvent | None:
    """Lock a pending event for processing within the caller's transaction.

    A second worker processing the same event waits here, then finds it processed.
    """
    event = (
        InboundEvent.objects.select_for_update()
        .select_related("account", "account__organisation")
        .filter(pk=event_id, status=InboundStatus.PENDING)
        .first()
    )
    if event is None:
        return None
    event.attempts += 1
    event.save(update_fields=["attempts"])
    return PendingEvent(event_id=event.pk, account=event.account, body=bytes(event.body))


def claim_next_event() -> PendingEvent | None:
    """Lock the oldest pending event nobody else is processing, within the caller's transaction.

    Workers draining the ledger at the same time skip each other's rows (PostgreSQL's SKIP
    LOCKED); on SQLite the write lock taken at BEGIN serialises them.
    """
    event = (
        InboundEvent.objects.select_for_update(skip_locked=True)
        .select_related("account", "account__organisation")
        .filter(status=InboundStatus.PENDING)
        .order_by("received_at", "pk")
        .first()
    )
    if event is None:
        return None
    event.attempts += 1
    event.save(update_fields=["attempts"])
    return PendingEvent(event_id=event.pk, account=event.account, body=bytes(event.body))


def mark_processed(*, event_id: int) -> None:
    InboundEvent.objects.filter(pk=event_id).update(
        status=InboundStatus.PROCESSED, processed_at=timezone.now(), error=""
    )


def mark_rejected(*, event_id: int, error: str) -> None:
    InboundEvent.objects.filter(pk=event_id).update(
        status=InboundStatus.REJECTED, processed_at=timezone.now(), error=error[:2000]
    )


def announce_stale_events(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Announce once that events are still pending after `older_than` (their wake-up was lost:
    a killed worker, a crash between commit and enqueue); returns how many there are."""
    cutoff = timezone.now() - older_than
    stale = InboundEvent.objects.filter(status=InboundStatus.PENDING, received_at__lt=cutoff)
    oldest = stale.order_by("received_at", "pk").values_list("pk", flat=True).first()
    if oldest is None:
        return 0
    count = stale.count()
    events.publish(INBOUND_EVENT_STORED, event_id=oldest)
    return count


@transaction.atomic
def queue_delivery(*, account: ChannelAccount, message: OutboundMessage) -> OutboundDelivery:
    """Queue a message for the platform; the same idempotency key never sends twice."""
    payload = asdict(message)
    payload["visibility"] = message.visibility.value
    delivery, created = OutboundDelivery.objects.get_or_create(
        idempotency_key=message.idempotency_key,
        defaults={"account": account, "message": payload},
    )
    if created:
        _enqueue_delivery(delivery.pk, delay=None)
    return delivery


def _enqueue_delivery(delivery_id: int, delay: timedelta | None) -> None:
    from loket.channels.tasks import deliver

    def enqueue() -> None:
        task = deliver if delay is None else deliver.using(run_after=timezone.now() + delay)
        task.enqueue(delivery_id)

    transaction.on_commit(enqueue)


def deliver(*, delivery_id: int) -> OutboundDelivery | None:
    """Try to send once; on a passing failure schedule the next try with backoff."""
    with transaction.atomic():
        delivery = (
            OutboundDelivery.objects.select_for_update()
            .select_related("account")
            .filter(pk=delivery_id, status=DeliveryState.QUEUED)
            .first()
        )
        if delivery is None:  # already sent or given up: a duplicate task
            return None
        # Claimed: a second worker running the same task finds nothing to do.
        delivery.attempts += 1
        delivery.status = DeliveryState.SENDING
        delivery.save(update_fields=["attempts", "status"])
    if not delivery.account.is_active:
        receipt = DeliveryReceipt(DeliveryStatus.FAILED, error="the profile is disconnected")
    else:
        plugin = registry.connector(delivery.account.connector)
        receipt = plugin.send(
            message=_outbound(delivery.message),
            secret=account_secret(delivery.account),
            config=account_config(delivery.account),
        )
    delivery.last_error = receipt.error[:500]
    if receipt.status is DeliveryStatus.SENT:
        delivery.status = DeliveryState.SENT
        delivery.external_id = receipt.external_id
        delivery.sent_at = timezone.now()
        delivery.next_attempt_at = None
    elif receipt.status is DeliveryStatus.RETRY and delivery.attempts < MAX_DELIVERY_ATTEMPTS:
        wait = receipt.retry_after or min(FIRST_RETRY * 2 ** (delivery.attempts - 1), LAST_RETRY)
        delivery.status = DeliveryState.QUEUED
        delivery.next_attempt_at = timezone.now() + wait
        _enqueue_delivery(delivery.pk, delay=wait)
    else:
        delivery.status = DeliveryState.FAILED
        if receipt.status is DeliveryStatus.RETRY:
            delivery.last_error = f"gave up after {delivery.attempts} attempts: {receipt.error}"
        delivery.next_attempt_at = None
    delivery.save(
        update_fields=["status", "external_id", "sent_at", "next_attempt_at", "last_error"]
    )
    if delivery.status == DeliveryState.FAILED:
        set_health(account=delivery.account, problem=f"{SENDING_FAILS}: {delivery.last_error}")
    elif delivery.status == DeliveryState.SENT and delivery.account.health_problem.startswith(
        SENDING_FAILS
    ):
        set_health(account=delivery.account, problem="")
    return delivery


@transaction.atomic
def retry_delivery(*, delivery: OutboundDelivery) -> None:
    """An agent asks to try a failed delivery again."""
    if delivery.status != DeliveryState.FAILED:
        return
    delivery.status = DeliveryState.QUEUED
    delivery.attempts = 0
    delivery.save(update_fields=["status", "attempts"])
    _enqueue_delivery(delivery.pk, delay=None)


def _outbound(payload: Mapping[str, Any]) -> OutboundMessage:
    recipient = payload.get("recipient")
    return OutboundMessage(
        idempotency_key=payload["idempotency_key"],
        thread_id=payload["thread_id"],
        visibility=Visibility(payload["visibility"]),
        text=payload["text"],
        in_reply_to=payload.get("in_reply_to"),
        recipient=Author(**recipient) if recipient else None,
        reply_context=payload.get("reply_context") or {},
    )


# ---------------------------------------------------------------------------------------
# Verification handshakes, polling, moderation and the health of a profile.


def handshake(*, account: ChannelAccount, query: Mapping[str, str]) -> HandshakeAnswer | None:
    """A platform checks that the webhook URL is ours (Meta's hub.challenge, X's CRC)."""
    plugin = registry.as_handshaking(registry.connector(account.connector))
    if plugin is None:
        return None
    return plugin.handshake(query=query, account=account_context(account))


def schedule_due_polls(*, now: Any = None) -> int:
    """Queue a poll for every active polling profile that is due; returns how many."""
    from loket.channels.tasks import poll_account

    now = now or timezone.now()
    pollers = [name for name, c in registry.connectors().items() if registry.as_polling(c)]
    due = ChannelAccount.objects.filter(connector__in=pollers, is_active=True).filter(
        models.Q(next_poll_at__isnull=True) | models.Q(next_poll_at__lte=now)
    )
    queued = 0
    for account in due:
        plugin = registry.as_polling(registry.connector(account.connector))
        interval = getattr(plugin, "poll_interval_seconds", DEFAULT_POLL_INTERVAL)
        claimed = ChannelAccount.objects.filter(
            pk=account.pk, next_poll_at=account.next_poll_at
        ).update(next_poll_at=now + timedelta(seconds=interval))
        if claimed:  # another scheduler did not take it first
            poll_account.enqueue(account.pk)
            queued += 1
    return queued


def poll(*, account_id: int) -> int:
    """Fetch what arrived on a polling profile; store it in the ledger; returns how many new.

    The cursor moves only together with the stored deliveries: a crash mid-way polls the same
    items again, and the ledger's unique key turns them into duplicates.
    """
    account = ChannelAccount.objects.filter(pk=account_id, is_active=True).first()
    if account is None:
        return 0
    plugin = registry.as_polling(registry.connector(account.connector))
    if plugin is None:
        return 0
    result = plugin.poll(account=account_context(account), cursor=account.poll_cursor)
    if result.auth_error:
        set_health(account=account, problem=result.auth_error)
        return 0
    if result.retry_after is not None:
        ChannelAccount.objects.filter(pk=account.pk).update(
            next_poll_at=timezone.now() + result.retry_after
        )
    stored = []
    with transaction.atomic():
        for delivery in result.deliveries:
            event_id = _store_event(
                account_id=account.pk, event_key=delivery.key[:200], body=delivery.body
            )
            if event_id is not None:
                stored.append(event_id)
        ChannelAccount.objects.filter(pk=account.pk).update(
            poll_cursor=result.cursor, last_polled_at=timezone.now()
        )
        for event_id in stored:
            events.publish(INBOUND_EVENT_STORED, event_id=event_id)
    if result.transient_error:
        logger.info("poll of profile %s: %s", account.pk, result.transient_error)
    elif account.health_problem and not account.health_problem.startswith(SENDING_FAILS):
        set_health(account=account, problem="")
    return len(stored)


def moderate(
    *, account: ChannelAccount, external_id: str, action: ModerationAction
) -> DeliveryReceipt:
    """Hide, unhide or delete a public comment on the platform (where the connector can)."""
    plugin = registry.as_moderating(registry.connector(account.connector))
    if plugin is None:
        return DeliveryReceipt(DeliveryStatus.FAILED, error="this platform has no moderation")
    return plugin.moderate(action=action, external_id=external_id, account=account_context(account))


def set_health(*, account: ChannelAccount, problem: str) -> None:
    """Record that a profile works (problem "") or what is wrong with it; announce changes."""
    problem = problem[:300]
    if account.health_problem == problem:
        return
    account.health_problem = problem
    account.health_changed_at = timezone.now()
    account.save(update_fields=["health_problem", "health_changed_at"])
    events.publish(ACCOUNT_HEALTH_CHANGED, account_id=account.pk, problem=problem)


# ---------------------------------------------------------------------------------------
# The profile registry: connecting, editing and disconnecting a profile, each audited.

PROFILE_CONNECTED = "profile_connected"
PROFILE_CHANGED = "profile_changed"
PROFILE_DISCONNECTED = "profile_disconnected"
PROFILE_RECONNECTED = "profile_reconnected"
PROFILE_LANGUAGES = ("nl", "fr", "en", "de")
# Where a setting's error goes: "config.<setting>" (see `_settings_error`).
SETTING_ERROR_PREFIX = "config."


@transaction.atomic
def connect_profile(
    *,
    organisation: Any,
    actor: Any,
    connector: str,
    name: str,
    handle: str = "",
    purpose: str = ProfilePurpose.SERVICE,
    team: Any = None,
    default_language: str = "nl",
    config: Mapping[str, Any] | None = None,
    secret: str | None = None,
) -> tuple[ChannelAccount, str]:
    """Connect a new profile; returns it with its webhook secret, to be shown once.

    `secret` is the platform's own (Meta's app secret, X's consumer secret) where the
    platform dictates it; left empty, Loket generates one.
    """
    try:
        plugin = registry.connector(connector)
    except registry.UnknownConnector:
        raise ValidationError({"connector": _("Choose one of the listed platforms.")}) from None
    _check_profile(organisation=organisation, purpose=purpose, team=team, language=default_language)
    settings = {key: value for key, value in (config or {}).items() if value not in ("", None)}
    _validated_settings(plugin, settings)
    account, secret = create_account(
        organisation=organisation,
        connector=connector,
        name=name,
        team=team,
        config=settings,
        default_language=default_language,
        secret=(secret or "").strip() or None,
        handle=handle,
        purpose=purpose,
    )
    tenancy_services.record_audit_event(
        action=PROFILE_CONNECTED,
        actor=actor,
        organisation=organisation,
        details={"profile": account.pk, "name": account.name, "platform": connector},
    )
    return account, secret


@transaction.atomic
def update_profile(
    *,
    account: ChannelAccount,
    actor: Any,
    name: str,
    handle: str,
    purpose: str,
    team: Any,
    default_language: str,
    is_active: bool,
    config: Mapping[str, Any] | None = None,
) -> ChannelAccount:
    """Change a profile. In `config`, a secret setting left empty keeps its stored value; any
    other setting left empty goes back to the platform's default. None: settings unchanged
    (the only choice for a profile whose platform is no longer installed)."""
    account = ChannelAccount.objects.select_for_update().get(pk=account.pk)
    _check_profile(
        organisation=account.organisation, purpose=purpose, team=team, language=default_language
    )
    if not name.strip():
        raise ValidationError({"name": _("A name is required.")})
    before = _profile_facts(account)
    changed_settings: list[str] = []
    if config is not None:
        account.config, changed_settings = _updated_settings(account, config)
    account.name = name.strip()
    account.handle = handle.strip()[:200]
    account.purpose = purpose
    account.team = team
    account.default_language = default_language
    account.is_active = is_active
    account.save()
    after = _profile_facts(account)
    changed: dict[str, Any] = {
        key: [before[key], after[key]] for key in after if before[key] != after[key]
    }
    if changed_settings:
        changed["settings"] = changed_settings  # names only: values may be secret
    if not changed:
        return account
    action = PROFILE_CHANGED
    if before["is_active"] and not is_active:
        action = PROFILE_DISCONNECTED
    elif is_active and not before["is_active"]:
        action = PROFILE_RECONNECTED
    tenancy_services.record_audit_event(
        action=action,
        actor=actor,
        organisation=account.organisation,
        details={"profile": account.pk, "name": account.name, "changed": changed},
    )
    return account


@transaction.atomic
def disconnect_profile(*, account: ChannelAccount, actor: Any) -> ChannelAccount:
    """Stop a profile: its webhook answers 404 and it is no longer polled. Never deleted: its
    conversations stay readable, and it can be switched on again."""
    account = ChannelAccount.objects.select_for_update().get(pk=account.pk)
    if not account.is_active:
        return account
    account.is_active = False
    account.save(update_fields=["is_active"])
    tenancy_services.record_audit_event(
        action=PROFILE_DISCONNECTED,
        actor=actor,
        organisation=account.organisation,
        details={"profile": account.pk, "name": account.name},
    )
    return account


def _updated_settings(
    account: ChannelAccount, config: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The profile's settings with `config` applied, sealed; and the names of those changed."""
    plugin = registry.connector(account.connector)
    config_model = getattr(plugin, "config_model", None)
    secret = set(_secret_fields(config_model)) if config_model is not None else set()
    current = account_config(account)
    merged = dict(current)
    for key, value in config.items():
        if value not in ("", None):
            merged[key] = value
        elif key not in secret:  # back to the platform's default
            merged.pop(key, None)
    _validated_settings(plugin, merged)
    sealed = _sealed_config(plugin, merged)
    stored = account.config or {}
    changed = sorted(
        key
        for key in set(sealed) | set(stored)
        if (
            merged.get(key) != current.get(key)
            if key in secret
            else sealed.get(key) != stored.get(key)
        )
    )
    return sealed, changed


def _check_profile(*, organisation: Any, purpose: str, team: Any, language: str) -> None:
    if purpose not in ProfilePurpose.values:
        raise ValidationError({"purpose": _("Choose one of the listed purposes.")})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("Choose one of the listed teams.")})
    if language not in PROFILE_LANGUAGES:
        raise ValidationError({"default_language": _("Choose one of the listed languages.")})


def _profile_facts(account: ChannelAccount) -> dict[str, Any]:
    return {
        "name": account.name,
        "handle": account.handle,
        "purpose": account.purpose,
        "team": account.team_id,
        "default_language": account.default_language,
        "is_active": account.is_active,
    }


def _validated_settings(plugin: Any, settings: Mapping[str, Any]) -> BaseModel | None:
    """Check settings with the platform's model; what is wrong, per setting, in plain words."""
    config_model = getattr(plugin, "config_model", None)
    if config_model is None:
        return None
    try:
        validated: BaseModel = config_model.model_validate(dict(settings))
    except PydanticValidationError as error:
        raise _settings_error(error) from None
    return validated


def _settings_error(error: PydanticValidationError) -> ValidationError:
    problems: dict[str, list[str]] = {}
    for item in error.errors():
        location = item.get("loc") or ()
        key = f"{SETTING_ERROR_PREFIX}{location[0]}" if location else "config"
        problems.setdefault(key, []).append(_plain(item))
    return ValidationError(problems)


def _plain(item: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence an administrator understands (pydantic's own are
    English and speak of types)."""
    kind = str(item.get("type", ""))
    context = item.get("ctx") or {}
    if kind == "missing":
        return _("This setting is required.")
    if kind == "extra_forbidden":
        return _("This platform has no such setting.")
    if kind.startswith("url_"):
        return _("Enter a complete web address, starting with https://.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Choose yes or no.")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        limit = next(iter(context.values()), "")
        messages = {
            "greater_than": _("Must be more than %(limit)s."),
            "greater_than_equal": _("Must be at least %(limit)s."),
            "less_than": _("Must be less than %(limit)s."),
            "less_than_equal": _("Must be at most %(limit)s."),
        }
        return messages[kind] % {"limit": limit}
    if kind == "string_too_short":
        return _("Too short: at least %(limit)s characters.") % {
            "limit": context.get("min_length", "")
        }
    if kind == "string_too_long":
        return _("Too long: at most %(limit)s characters.") % {
            "limit": context.get("max_length", "")
        }
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(options)s.") % {"options": context.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("This value does not have the expected form.")
    message = str(item.get("msg", ""))
    # A connector's own validator: its message, without pydantic's prefix.
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


# ---------------------------------------------------------------------------------------
# Payloads that Loket makes itself.


def receive_trusted(*, account: ChannelAccount, body: bytes) -> Receipt:
    """Store a payload that Loket itself produced for a profile (a web form submission): there
    is no signature to verify, but the connector still checks its shape, and the ledger's
    unique key still turns a second delivery of the same message into a duplicate."""
    plugin = registry.connector(account.connector)
    messages = plugin.parse(body)  # raises PayloadError
    if not messages:
        raise PayloadError("the payload holds no message")
    return _store_parsed(account=account, body=body, messages=messages)
