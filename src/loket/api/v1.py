"""Version 1 of the JSON API. Authentication: the browser session (with CSRF) for now."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import SessionAuth

from loket.tenancy import selectors
from loket.tenancy.selectors import OrganisationAccess

if TYPE_CHECKING:
    from loket.tenancy.models import User

api = NinjaAPI(
    title="Loket API",
    version="1",
    urls_namespace="api-v1",
    auth=SessionAuth(csrf=True),
    docs_url="/docs",
)


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


@api.get("/me", response=MeOut, summary="The signed-in user and their organisations")
def me(request: HttpRequest) -> MeOut:
    user = cast("User", request.user)
    return MeOut(
        username=user.get_username(),
        name=user.get_full_name(),
        organisations=[_described(access) for access in selectors.accesses_of(user)],
    )


@api.get(
    "/organisations/{slug}", response=OrganisationOut, summary="One of the user's organisations"
)
def organisation(request: HttpRequest, slug: str) -> OrganisationOut:
    access = selectors.access_to(cast("User", request.user), slug)
    if access is None:
        raise HttpError(404, "Not found")
    return _described(access)
