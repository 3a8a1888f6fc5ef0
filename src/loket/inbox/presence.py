"""Presence on a case: "Bram is replying". Refreshed by the case page while it is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from loket.inbox.models import Case, CasePresence, PresenceActivity

# A page that stopped refreshing (closed tab, lost network) no longer counts after this.
FRESH = timedelta(seconds=30)


@dataclass(frozen=True)
class Present:
    name: str
    activity: str


def touch(*, case: Case, user: Any, activity: str = PresenceActivity.VIEWING) -> None:
    if activity not in PresenceActivity.values:
        activity = PresenceActivity.VIEWING
    CasePresence.objects.update_or_create(
        case=case, user=user, defaults={"activity": activity, "seen_at": timezone.now()}
    )


def leave(*, case: Case, user: Any) -> None:
    CasePresence.objects.filter(case=case, user=user).delete()


def others_on(case: Case, user: Any) -> list[Present]:
    fresh = timezone.now() - FRESH
    rows = (
        CasePresence.objects.filter(case=case, seen_at__gte=fresh)
        .exclude(user=user)
        .select_related("user")
        .order_by("activity", "user__first_name")  # "replying" before "viewing"
    )
    return [
        Present(name=row.user.get_full_name() or row.user.get_username(), activity=row.activity)
        for row in rows
    ]
