"""Every write in channels: accounts, the inbound ledger and outbound deliveries."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import asdict
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from loket.channels import registry
from loket.channels.contracts import (
    Author,
    DeliveryStatus,
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
) -> tuple[ChannelAccount, str]:
    """A new profile with a fresh secret; returns the account and the secret, shown once."""
    plugin = registry.connector(connector)
    config_model = getattr(plugin, "config_model", None)
    checked = dict(config or {})
    if config_model is not None:
        try:
            checked = config_model.model_validate(checked).model_dump(mode="json")
        except ValueError as error:
            raise ValidationError({"config": str(error)}) from error
    if not name.strip():
        raise ValidationError({"name": "A name is required."})
    secret = secrets.token_urlsafe(32)
    account = ChannelAccount.objects.create(
        organisation=organisation,
        connector=connector,
        name=name.strip(),
        team=team,
        config=checked,
        default_language=default_language,
        secret_encrypted=crypto.encrypt(secret),
    )
    return account, secret


def account_secret(account: ChannelAccount) -> str:
    return crypto.decrypt(account.secret_encrypted) if account.secret_encrypted else ""


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
        config=delivery.account.config,
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
    )
