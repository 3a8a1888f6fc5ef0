"""The organisation a page works in, taken from the URL and checked against the user's
memberships. Not a member: 404, so a URL does not reveal that an organisation or object
exists. A member without the needed permission: 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from loket.tenancy import selectors
from loket.tenancy.permissions import Permission

if TYPE_CHECKING:
    from loket.tenancy.models import User

View = Callable[..., HttpResponse]


def organisation_page(
    permission: Permission = Permission.VIEW_ORGANISATION,
) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            access = selectors.access_to(signed_in_user(request), org_slug)
            if access is None:
                raise Http404("No such organisation.")
            if not access.can(permission):
                raise PermissionDenied
            request.access = access  # type: ignore[attr-defined]
            if request.session.get("last_organisation") != access.organisation.slug:
                # Only on a change: a write on every page would save the session every time.
                request.session["last_organisation"] = access.organisation.slug
            return view(request, access, *args, **kwargs)

        return wrapper

    return decorate


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request that passed `login_required`."""
    return cast("User", request.user)
