"""Notifications: what one person should hear about a case, shown under the bell in the page
header of the organisation.

Who hears what:
- a case that the intake opens as urgent, or raises to urgent: the people who may assign it
  (coordinators and administrators) and the members of the case's team;
- a mention in a note: the colleague mentioned, never the author;
- an assignment: the new assignee, unless they took the case themselves;
- a profile that becomes unhealthy (an expired token, sending that fails): the members who
  may manage profiles; its recovery is not announced.

Only members who may read cases are notified of cases. Every notification names its cause, and the
same cause never notifies the same person twice (a unique constraint): a stage or service
that runs again after a crash changes nothing. Loket sends no e-mail about them (yet).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from loket.channels import selectors as channel_selectors
from loket.channels.services import SENDING_FAILS
from loket.inbox.models import Case, CaseEvent, Notification, NotificationKind
from loket.tenancy import selectors as tenancy_selectors
from loket.tenancy.permissions import ROLE_PERMISSIONS, Permission

# A case is announced as urgent once: later urgent messages on it do not ring again.
URGENT_CAUSE = "case"
# The bell shows "99+" beyond this; counting further would only cost time.
COUNT_CAP = 100


def _roles_that(permission: Permission) -> list[str]:
    return [role.value for role, granted in ROLE_PERMISSIONS.items() if permission in granted]


def _notify(
    *, case: Case, kind: NotificationKind, cause: str, recipients: Iterable[int], actor: Any = None
) -> None:
    actor_id = getattr(actor, "pk", None)
    rows = [
        Notification(
            organisation_id=case.organisation_id,
            recipient_id=recipient,
            kind=kind,
            case=case,
            actor_id=actor_id,
            cause=cause,
        )
        for recipient in dict.fromkeys(recipients)
        if recipient != actor_id
    ]
    # Already notified for this cause: the row exists, and nothing else happens.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def _may_read_cases(user: Any, case: Case) -> bool:
    access = tenancy_selectors.access_to(user, case.organisation.slug)
    return access is not None and access.can(Permission.VIEW_CASES)


# ---------------------------------------------------------------------------------------
# Writes.


def urgent_case(*, case: Case) -> None:
    """Called by the intake when a case is urgent: it jumps the queue."""
    readers = _roles_that(Permission.VIEW_CASES)
    concerned = Q(role__in=_roles_that(Permission.ASSIGN_CASES))
    if case.team_id is not None:
        concerned |= Q(team_id=case.team_id)
    recipients = (
        tenancy_selectors.memberships_of(case.organisation)
        .filter(concerned, role__in=readers, user__is_active=True)
        .values_list("user_id", flat=True)
    )
    _notify(case=case, kind=NotificationKind.URGENT_CASE, cause=URGENT_CAUSE, recipients=recipients)


def mentioned(*, case: Case, note: CaseEvent, people: Iterable[Any], actor: Any) -> None:
    """The colleagues @mentioned in a note."""
    _notify(
        case=case,
        kind=NotificationKind.MENTIONED,
        cause=f"event:{note.pk}",
        recipients=[person.pk for person in people if _may_read_cases(person, case)],
        actor=actor,
    )


def assigned(*, case: Case, assignment: CaseEvent, assignee: Any, actor: Any) -> None:
    """The person a case was just given to, by someone else."""
    if not _may_read_cases(assignee, case):
        return
    _notify(
        case=case,
        kind=NotificationKind.ASSIGNED,
        cause=f"event:{assignment.pk}",
        recipients=[assignee.pk],
        actor=actor,
    )


def profile_health_changed(*, account_id: int, problem: str) -> None:
    """Subscribed to channels' ACCOUNT_HEALTH_CHANGED (after the commit): a profile that has
    a problem is told to the members who may manage profiles.

    The same problem of the same profile notifies once a day at most, however often it comes
    and goes (a token that flaps, sending that fails with ever new errors): the cause is
    the problem and the day.
    """
    if not problem:
        return
    account = channel_selectors.account_by_id(account_id)
    if account is None or not account.is_active or not account.health_problem:
        return  # disconnected meanwhile, or healthy again before anyone was told
    day = timezone.localdate(account.health_changed_at or timezone.now())
    cause = f"health:{_problem_key(problem)}:{day.isoformat()}"
    recipients = (
        tenancy_selectors.memberships_of(account.organisation)
        .filter(role__in=_roles_that(Permission.MANAGE_CHANNELS), user__is_active=True)
        .values_list("user_id", flat=True)
    )
    rows = [
        Notification(
            organisation_id=account.organisation_id,
            recipient_id=recipient,
            kind=NotificationKind.PROFILE_UNHEALTHY,
            channel_account_id=account.pk,
            cause=cause,
            detail=problem[:300],
        )
        for recipient in dict.fromkeys(recipients)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def _problem_key(problem: str) -> str:
    # Failing sends name each error; to the administrator they are one problem.
    key = SENDING_FAILS if problem.startswith(SENDING_FAILS) else problem
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(*, organisation: Any, user: Any) -> int:
    return _unread(organisation, user).update(read_at=timezone.now())


# ---------------------------------------------------------------------------------------
# Reads.


def _unread(organisation: Any, user: Any) -> QuerySet[Notification]:
    return Notification.objects.for_organisation(organisation).filter(
        recipient=user, read_at__isnull=True
    )


def unread_count(organisation: Any, user: Any) -> int:
    """For the bell: one query on the index of unread notifications, capped at COUNT_CAP."""
    return _unread(organisation, user).order_by()[:COUNT_CAP].count()


def notifications_of(organisation: Any, user: Any) -> QuerySet[Notification]:
    """A person's notifications in one organisation, newest first."""
    return (
        Notification.objects.for_organisation(organisation)
        .filter(recipient=user)
        .select_related("case", "actor", "channel_account")
        .order_by("-created_at", "-id")
    )


def latest(organisation: Any, user: Any, limit: int = 10) -> list[Notification]:
    return list(notifications_of(organisation, user)[:limit])


def notification_of(organisation: Any, user: Any, notification_id: int) -> Notification | None:
    """One of the person's own notifications; someone else's is not found."""
    return notifications_of(organisation, user).filter(pk=notification_id).first()
