"""Saving the inbox's current filters as a named view, and removing one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.inbox import selectors, services
from loket.tenancy.permissions import Permission
from loket.tenancy.selectors import OrganisationAccess
from loket.web.access import organisation_page, signed_in_user


def _inbox(access: OrganisationAccess, query: dict[str, str]) -> HttpResponse:
    url = reverse("inbox", kwargs={"org_slug": access.organisation.slug})
    return redirect(f"{url}?{urlencode(query)}" if query else url)


@organisation_page(Permission.VIEW_CASES)
@require_POST
def save_view(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    filters = selectors.CaseFilter.from_mapping(request.POST).as_query()
    shared = request.POST.get("shared") == "1"
    if shared and not access.can(Permission.ASSIGN_CASES):
        shared = False  # only coordinators share views with the whole organisation
    try:
        view = services.save_view(
            organisation=access.organisation,
            owner=signed_in_user(request),
            name=request.POST.get("name", ""),
            filters=filters,
            shared=shared,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _inbox(access, filters)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return _inbox(access, filters)


@organisation_page(Permission.VIEW_CASES)
@require_POST
def delete_view(request: HttpRequest, access: OrganisationAccess, view_id: int) -> HttpResponse:
    user = signed_in_user(request)
    view = selectors.saved_view_of(access.organisation, user, view_id)
    if view is None:
        raise Http404("No such view.")
    try:
        services.delete_view(
            view=view, actor=user, may_manage_shared=access.can(Permission.ASSIGN_CASES)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("View removed."))
    return _inbox(access, {})
