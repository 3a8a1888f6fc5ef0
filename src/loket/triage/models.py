"""Tables of triage. Private to this app."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from loket.kernel.models import TenantOwnedModel


class LabelCorrection(TenantOwnedModel):
    """An agent said triage was wrong: the organisation's own training signal."""

    # The inbox message it is about (an id, not a key: triage sits below the inbox).
    message_id = models.BigIntegerField(db_index=True)
    text = models.TextField()
    label = models.CharField(max_length=20)
    predicted = models.CharField(max_length=80, blank=True)
    corrected = models.CharField(max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-at"]

    def __str__(self) -> str:
        return f"{self.label}: {self.predicted} → {self.corrected}"
