"""Reads of triage."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from loket.triage.models import LabelCorrection


def corrections_of(organisation: Any) -> QuerySet[LabelCorrection]:
    return LabelCorrection.objects.for_organisation(organisation)
