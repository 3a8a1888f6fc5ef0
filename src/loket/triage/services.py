"""Writes of triage: the corrections agents make, kept as training data per organisation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from loket.triage.models import LabelCorrection


def record_correction(
    *,
    organisation: Any,
    message_id: int,
    text: str,
    label: str,
    predicted: str,
    corrected: str,
    actor: Any,
) -> LabelCorrection:
    return LabelCorrection.objects.create(
        organisation=organisation,
        message_id=message_id,
        text=text,
        label=label,
        predicted=predicted,
        corrected=corrected,
        actor=actor,
    )


def forget_messages(*, organisation: Any, message_ids: Iterable[int]) -> int:
    """Erasure of a contact: their words leave the training data too."""
    deleted, _ = (
        LabelCorrection.objects.for_organisation(organisation)
        .filter(message_id__in=list(message_ids))
        .delete()
    )
    return deleted
