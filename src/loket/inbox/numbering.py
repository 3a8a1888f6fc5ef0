"""Case numbers: 1, 2, 3… per organisation, without gaps from concurrent intake."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from loket.inbox.models import CaseCounter


def next_case_number(organisation: Any) -> int:
    """Must run inside a transaction; the counter row is locked until it commits."""
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    CaseCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    return counter.last_number
