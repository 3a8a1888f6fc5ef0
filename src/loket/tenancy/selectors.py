"""Reads of tenancy for other modules and the pages.

Every lookup by URL goes through the user's memberships, so an organisation or object the
user has no part in is simply not found (the page answers 404, never 403: no existence leak).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from loket.tenancy.models import AuditEvent, Membership, Organisation, Team, User
from loket.tenancy.permissions import ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True)
class OrganisationAccess:
    """What one user may do in one organisation: the context every page is rendered in."""

    organisation: Organisation
    role: Role
    team: Team | None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[self.role]


def organisations_of(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=user.memberships.values("organisation_id"))


def access_to(user: User, slug: str) -> OrganisationAccess | None:
    """The user's access to the organisation with this slug, or None if not a member."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("organisation", "team")
        .filter(user=user, organisation__slug=slug)
        .first()
    )
    if membership is None:
        return None
    return OrganisationAccess(
        organisation=membership.organisation, role=Role(membership.role), team=membership.team
    )


def accesses_of(user: User) -> list[OrganisationAccess]:
    memberships = Membership.objects.filter(user=user).select_related(
        "organisation__parent", "team"
    )
    return sorted(
        (
            OrganisationAccess(organisation=m.organisation, role=Role(m.role), team=m.team)
            for m in memberships
        ),
        key=lambda access: access.organisation.name,
    )


def teams_of(organisation: Organisation) -> QuerySet[Team]:
    return Team.objects.for_organisation(organisation).annotate(member_count=Count("memberships"))


def team_of(organisation: Organisation, team_id: int) -> Team | None:
    return Team.objects.for_organisation(organisation).filter(pk=team_id).first()


def memberships_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.for_organisation(organisation)
        .select_related("user", "team")
        .order_by("user__username")
    )


def membership_of(organisation: Organisation, membership_id: int) -> Membership | None:
    return memberships_of(organisation).filter(pk=membership_id).first()


def user_by_username_or_email(identifier: str) -> User | None:
    identifier = identifier.strip()
    by_name = User.objects.filter(username__iexact=identifier, is_active=True).first()
    if by_name is not None or "@" not in identifier:
        return by_name
    by_email = User.objects.filter(email__iexact=identifier, is_active=True)
    return by_email.first() if by_email.count() == 1 else None


def children_of(organisation: Organisation) -> QuerySet[Organisation]:
    """Names of the child organisations only: a parent never reads its children's cases."""
    return Organisation.objects.filter(parent=organisation).only("name", "slug", "kind")


def organisation_by_slug(slug: str) -> Organisation | None:
    """For the command line and seeding only; pages use `access_to`."""
    return Organisation.objects.filter(slug=slug).first()


def audit_events_of(organisation: Organisation) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organisation=organisation).select_related("actor")


def audit_events_of_user(user: User) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor=user)


def active_user(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()
