"""Version 1 of the JSON API, with its OpenAPI schema at /api/v1/openapi.json.

Authentication: a personal access token (`Authorization: Bearer loket_…`, made with
`loket tokens create --user NAME`) or the browser's signed-in session with its CSRF token.
Everything is scoped to one of the caller's organisations (`?org=<slug>` when there are more).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, HttpError

from loket.api import cases
from loket.api.access import caller
from loket.api.auth import AUTH
from loket.api.schemas import ErrorOut, InputErrorOut
from loket.inbox.selectors import BadCursor
from loket.tenancy import selectors

if TYPE_CHECKING:
    from loket.tenancy.selectors import OrganisationAccess

api = NinjaAPI(
    title="Loket API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api-v1",
    auth=AUTH,
    docs_url="/docs",
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Authentication required: send Authorization: Bearer <token>."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="loket"'
    return response


@api.exception_handler(BadCursor)
def bad_cursor(request: HttpRequest, exc: BadCursor) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Bad cursor: use the `next` link of the page before, unchanged."},
        status=400,
    )


api.add_router("/", cases.router)


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    role: str
    parent: str | None


class MeOut(Schema):
    username: str
    name: str
    organisations: list[OrganisationOut]


def _described(access: OrganisationAccess) -> OrganisationOut:
    organisation = access.organisation
    return OrganisationOut(
        slug=organisation.slug,
        name=organisation.name,
        kind=organisation.kind,
        role=access.role.value,
        parent=organisation.parent.slug if organisation.parent else None,
    )


@api.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    summary="The signed-in user and their organisations",
    tags=["me"],
)
def me(request: HttpRequest) -> MeOut:
    user = caller(request)
    return MeOut(
        username=user.get_username(),
        name=user.get_full_name(),
        organisations=[_described(access) for access in selectors.accesses_of(user)],
    )


@api.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, 401: ErrorOut, 404: ErrorOut, 422: InputErrorOut},
    summary="One of the user's organisations",
    tags=["me"],
)
def organisation(
    request: HttpRequest, slug: str = Path(..., max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
) -> OrganisationOut:
    access = selectors.access_to(caller(request), slug)
    if access is None:
        raise HttpError(404, "Not found")
    return _described(access)
