"""The caller and the organisation a request works in, with the permission it needs.

An organisation the caller is not a member of is not found (404), as in the pages; a member
whose role lacks the permission gets 403. Objects are then looked up inside that organisation
only, so another organisation's id is simply not found either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest
from ninja.errors import HttpError

from loket.tenancy import selectors
from loket.tenancy.permissions import Permission
from loket.tenancy.selectors import OrganisationAccess

if TYPE_CHECKING:
    from loket.tenancy.models import User


def caller(request: HttpRequest) -> User:
    """The user the token or the session authenticated (`request.user` is empty for tokens)."""
    return cast("User", request.auth)  # type: ignore[attr-defined]


def organisation_access(
    request: HttpRequest, org: str | None, permission: Permission
) -> OrganisationAccess:
    user = caller(request)
    if org:
        access = selectors.access_to(user, org)
        if access is None:
            raise HttpError(404, "Organisation not found.")
    else:
        accesses = selectors.accesses_of(user)
        if not accesses:
            raise HttpError(404, "You are not a member of any organisation.")
        if len(accesses) > 1:
            slugs = ", ".join(a.organisation.slug for a in accesses)
            raise HttpError(
                400, f"You belong to several organisations: choose one with ?org= ({slugs})."
            )
        access = accesses[0]
    if not access.can(permission):
        raise HttpError(
            403,
            f"Your role in {access.organisation.slug} ({access.role.value}) "
            f"does not allow this: it needs {permission.value}.",
        )
    return access
