"""Pages inside one organisation: start page, teams, members, details, audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from loket.tenancy import selectors, services
from loket.tenancy.permissions import Permission, Role
from loket.tenancy.selectors import OrganisationAccess
from loket.web.access import organisation_page, signed_in_user
from loket.web.forms import (
    AddMemberForm,
    MembershipForm,
    OrganisationDetailsForm,
    OrganisationSwitchForm,
    TeamForm,
    attach_errors,
)

# What each role sees first; the start page is the role's own desk.
START_PAGE_BY_ROLE = {
    Role.AGENT: "web/start/agent.html",
    Role.COORDINATOR: "web/start/coordinator.html",
    Role.ANALYST: "web/start/analyst.html",
    Role.ADMIN: "web/start/admin.html",
    Role.VIEWER: "web/start/viewer.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Go to the last organisation worked in, else the first; without any, say so."""
    user = signed_in_user(request)
    organisations = list(selectors.organisations_of(user))
    last = request.session.get("last_organisation")
    for organisation in organisations:
        if organisation.slug == last:
            return redirect("organisation-start", org_slug=organisation.slug)
    if organisations:
        return redirect("organisation-start", org_slug=organisations[0].slug)
    return render(request, "web/no_organisation.html")


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    form = OrganisationSwitchForm(request.POST)
    if form.is_valid():
        access = selectors.access_to(signed_in_user(request), form.cleaned_data["organisation"])
        if access is not None:
            return redirect("organisation-start", org_slug=access.organisation.slug)
    raise Http404("No such organisation.")


@organisation_page()
def organisation_start(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    organisation = access.organisation
    context = {
        "team_count": selectors.teams_of(organisation).count(),
        "member_count": selectors.memberships_of(organisation).count(),
        "children": selectors.children_of(organisation),
    }
    return render(request, START_PAGE_BY_ROLE[access.role], context)


@organisation_page()
def team_list(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    teams = selectors.teams_of(access.organisation)
    return render(request, "web/teams.html", {"teams": teams})


@organisation_page(Permission.MANAGE_TEAMS)
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.save_team(organisation=access.organisation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
            return redirect("team-list", org_slug=access.organisation.slug)
    return render(request, "web/team_form.html", {"form": form, "team": None})


@organisation_page()
@require_http_methods(["GET", "POST"])
def team_detail(request: HttpRequest, access: OrganisationAccess, team_id: int) -> HttpResponse:
    team = selectors.team_of(access.organisation, team_id)
    if team is None:
        raise Http404("No such team.")
    may_edit = access.can(Permission.MANAGE_TEAMS)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    initial = {"name": team.name, "description": team.description}
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_team(organisation=access.organisation, team=team, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Team saved."))
            return redirect("team-detail", org_slug=access.organisation.slug, team_id=team.pk)
    members = selectors.memberships_of(access.organisation).filter(team=team)
    return render(
        request,
        "web/team_form.html",
        {"form": form, "team": team, "members": members, "may_edit": may_edit},
    )


def _team_choices(access: OrganisationAccess) -> list[tuple[int, str]]:
    return [(team.pk, team.name) for team in selectors.teams_of(access.organisation)]


@organisation_page()
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    may_manage = access.can(Permission.MANAGE_MEMBERS)
    form = AddMemberForm(request.POST or None, teams=_team_choices(access))
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            user = selectors.user_by_username_or_email(form.cleaned_data["username"])
            if user is None:
                form.add_error(
                    "username", _("There is no account with this user name or e-mail address.")
                )
            elif selectors.access_to(user, access.organisation.slug) is not None:
                form.add_error("username", _("This person is already a member."))
            else:
                try:
                    services.set_membership(
                        organisation=access.organisation,
                        user=user,
                        role=form.cleaned_data["role"],
                        team=_team(access, form.cleaned_data["team"]),
                        actor=signed_in_user(request),
                    )
                except ValidationError as error:
                    attach_errors(form, error)
                else:
                    messages.success(
                        request, _("%(user)s is now a member.") % {"user": user.get_username()}
                    )
                    return redirect("member-list", org_slug=access.organisation.slug)
    members = selectors.memberships_of(access.organisation)
    return render(
        request, "web/members.html", {"members": members, "form": form, "may_manage": may_manage}
    )


@organisation_page(Permission.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def member_detail(
    request: HttpRequest, access: OrganisationAccess, membership_id: int
) -> HttpResponse:
    membership = selectors.membership_of(access.organisation, membership_id)
    if membership is None:
        raise Http404("No such member.")
    actor = signed_in_user(request)
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            services.revoke_membership(membership=membership, actor=actor)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(
                "member-detail", org_slug=access.organisation.slug, membership_id=membership.pk
            )
        messages.success(request, _("Membership removed."))
        return redirect("member-list", org_slug=access.organisation.slug)
    initial = {"role": membership.role, "team": membership.team_id or ""}
    form = MembershipForm(request.POST or None, initial=initial, teams=_team_choices(access))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_membership(
                organisation=access.organisation,
                user=membership.user,
                role=form.cleaned_data["role"],
                team=_team(access, form.cleaned_data["team"]),
                actor=actor,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Membership saved."))
            return redirect("member-list", org_slug=access.organisation.slug)
    return render(request, "web/member_form.html", {"form": form, "membership": membership})


def _team(access: OrganisationAccess, team_id: int | None) -> Any:
    if team_id is None:
        return None
    team = selectors.team_of(access.organisation, team_id)
    if team is None:
        raise ValidationError({"team": _("Choose one of the listed teams.")})
    return team


@organisation_page(Permission.EDIT_ORGANISATION)
@require_http_methods(["GET", "POST"])
def organisation_details(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    organisation = access.organisation
    initial = {
        "name": organisation.name,
        "kbo_number": organisation.kbo_number,
        "nis_code": organisation.nis_code,
        "languages": organisation.languages,
        "population": organisation.population,
    }
    form = OrganisationDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation_details(
                organisation=organisation, actor=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Organisation details saved."))
            return redirect("organisation-details", org_slug=organisation.slug)
    return render(request, "web/organisation_details.html", {"form": form})


@organisation_page(Permission.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    events = Paginator(selectors.audit_events_of(access.organisation), 50)
    page = events.get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"page": page})
