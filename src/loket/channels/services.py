"""Every write in channels: accounts, the inbound ledger and outbound deliveries."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import asdict
from datetime import timedelta
from enum import StrEnum
from typing import Any, get_args

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from pydantic import SecretStr

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
)
from loket.channels.selectors import PendingEvent
from loket.kernel import crypto, events

# Published after an inbound event is stored; the intake pipeline subscribes to it.
INBOUND_EVENT_STORED = "channels.inbound_event_stored"
# Published when a profile becomes unhealthy (a token expired, sending fails) or recovers.
ACCOUNT_HEALTH_CHANGED = "channels.account_health_changed"
SEALED = "$sealed"
SENDING_FAILS = "sending fails"
DEFAULT_POLL_INTERVAL = 60
MAX_DELIVERY_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)


class Receipt(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"


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
    account = ChannelAccount.objects.create(
        organisation=organisation,
        connector=connector,
        name=name.strip(),
        team=team,
        config=_sealed_config(plugin, config or {}),
        default_language=default_language,
        secret_encrypted=crypto.encrypt(secret),
        handle=handle.strip()[:200],
        purpose=purpose,
    )
    return account, secret


def update_config(*, account: ChannelAccount, config: Mapping[str, Any]) -> None:
    """New settings for a profile; secret settings left empty keep their stored value."""
    plugin = registry.connector(account.connector)
    current = account_config(account)
    merged = {
        **current,
        **{key: value for key, value in config.items() if value not in ("", None)},
    }
    account.config = _sealed_config(plugin, merged)
    account.save(update_fields=["config"])


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
    messages = plugin.parse(body)  # raises PayloadError: the sender hears what is wrong
    if not messages:
        raise PayloadError("the payload holds no message")
    key = messages[0].external_id if len(messages) == 1 else hashlib.sha256(body).hexdigest()
    event_id = _store_event(account_id=account.pk, event_key=key, body=body)
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
    if account.health_problem and not account.health_problem.startswith(SENDING_FAILS):
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
