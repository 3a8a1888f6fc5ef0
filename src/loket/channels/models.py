"""Tables of channels. Private to this app: other modules use services and selectors."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.kernel.models import TenantOwnedModel


class ProfilePurpose(models.TextChoices):
    SERVICE = "service", _("Service: questions and complaints")
    INFORMATION = "information", _("Information")
    PARTICIPATION = "participation", _("Participation")
    CRISIS = "crisis", _("Crisis communication")


class ChannelAccount(TenantOwnedModel):
    """One profile on one platform: a Facebook page, an X account, a generic webhook…"""

    # The id in webhook URLs: unguessable, and not the database key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    connector = models.CharField(_("platform"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    team = models.ForeignKey(
        "tenancy.Team",
        verbose_name=_("default team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    secret_encrypted = models.TextField(blank=True)
    config = models.JSONField(default=dict, blank=True)
    default_language = models.CharField(max_length=2, default="nl")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The profile registry: what the profile is for and how it is doing.
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=ProfilePurpose.choices, default=ProfilePurpose.SERVICE
    )
    # How the platform names this profile in deliveries shared by several profiles (ADR 4).
    routing_key = models.CharField(max_length=200, blank=True, db_index=True)
    health_problem = models.CharField(max_length=300, blank=True)
    health_changed_at = models.DateTimeField(null=True, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    # Polling platforms (Bluesky, Mastodon, e-mail): where the last poll stopped, and when next.
    poll_cursor = models.TextField(blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.connector})"


class InboundStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be processed")
    PROCESSED = "processed", _("Processed")
    REJECTED = "rejected", _("Rejected")


class InboundEvent(models.Model):
    """The ledger of raw deliveries: stored before anything else, unique per account and key.

    A platform's retry of the same delivery finds its row and is acknowledged as a duplicate;
    a crash after storing leaves a pending row that the worker picks up again.
    """

    account = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="+")
    event_key = models.CharField(max_length=200)
    body = models.BinaryField()
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(
        max_length=12, choices=InboundStatus.choices, default=InboundStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["account", "event_key"], name="inbound_event_once_per_account"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["account", "-received_at"], name="inbound_event_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.event_key}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundDelivery(models.Model):
    """One message on its way to a platform; the idempotency key makes a retry safe."""

    account = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, unique=True)
    message = models.JSONField()
    status = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    external_id = models.CharField(max_length=200, blank=True, db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.status})"
