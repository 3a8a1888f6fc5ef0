"""The profile registry: every profile of the organisation and how it is doing (for a central
organisation also those of its child organisations, read-only), and connecting, editing and
disconnecting a profile. For members who may manage profiles (`manage_channels`).

A profile is never deleted: disconnecting switches it off and its conversations stay
readable. The webhook secret is shown once, on the answer to the connecting form, and never
again; nothing of it is kept outside the encrypted column.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from loket.channels import selectors as channel_selectors
from loket.channels import services as channel_services
from loket.tenancy import selectors as tenancy_selectors
from loket.tenancy.permissions import Permission
from loket.tenancy.selectors import OrganisationAccess
from loket.web.access import organisation_page, signed_in_user
from loket.web.forms import attach_errors
from loket.web.profile_forms import (
    ConnectForm,
    EditForm,
    ProfileForm,
    RegistryFilterForm,
    SettingsForm,
)

PAGE_SIZE = 100
# The form ids of connections made in this session: a form sent twice connects once.
CONNECTED_FORMS = "connected_profile_forms"
MAX_REMEMBERED_FORMS = 20


def _teams(access: OrganisationAccess) -> list[tuple[int, str]]:
    return [(team.pk, team.name) for team in tenancy_selectors.teams_of(access.organisation)]


def _team(access: OrganisationAccess, team_id: int | None) -> Any:
    if team_id is None:
        return None
    team = tenancy_selectors.team_of(access.organisation, team_id)
    if team is None:
        raise ValidationError({"team": _("Choose one of the listed teams.")})
    return team


def _account_or_404(access: OrganisationAccess, account_id: int) -> Any:
    account = channel_selectors.account_of(access.organisation, account_id)
    if account is None:
        raise Http404("No such profile.")
    return account


def _registry_url(access: OrganisationAccess, account: Any = None) -> str:
    url = reverse("profile-list", args=[access.organisation.slug])
    return f"{url}#profile-{account.pk}" if account is not None else url


def _attach(form: ProfileForm, settings_form: SettingsForm | None, error: ValidationError) -> None:
    """A service's errors next to their fields: settings on the settings form."""
    if settings_form is None or not hasattr(error, "error_dict"):
        attach_errors(form, error)
        return
    own = {
        key: value
        for key, value in error.error_dict.items()
        if not key.startswith(channel_services.SETTING_ERROR_PREFIX) and key != "config"
    }
    rest = settings_form.attach(error, channel_services.SETTING_ERROR_PREFIX)
    if own:
        attach_errors(form, ValidationError(own))
    for message in rest:
        settings_form.add_error(None, message)


@organisation_page(Permission.MANAGE_CHANNELS)
@require_GET
def profile_list(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    organisation = access.organisation
    # A central organisation oversees its children's profiles; a parent of this page's
    # organisation is never shown, whatever the user may do there.
    children = list(tenancy_selectors.children_of(organisation))
    everyone = [organisation, *children]
    installed = channel_selectors.platforms()
    known = dict(installed)
    platforms = installed + [
        (name, name) for name in channel_selectors.platforms_in_use(everyone) if name not in known
    ]
    form = RegistryFilterForm(
        request.GET or None,
        platforms=platforms,
        purposes=channel_selectors.purposes(),
        organisations=[(o.slug, o.name) for o in everyone] if children else (),
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    shown_children = children
    if chosen.get("organisation"):
        shown_children = [child for child in children if child.slug == chosen["organisation"]]
    rows = channel_selectors.profile_registry(
        organisation,
        children=shown_children,
        platform=chosen.get("platform", ""),
        purpose=chosen.get("purpose", ""),
        health=chosen.get("health", ""),
    )
    if chosen.get("organisation") and chosen["organisation"] != organisation.slug:
        rows = [row for row in rows if not row.own]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    filter_query = urlencode({key: value for key, value in chosen.items() if value})
    context = {
        "form": form,
        "page": page,
        "rows": page.object_list,
        "total": len(rows),
        "with_children": bool(children),
        "filtered": bool(filter_query),
        "filter_query": filter_query,
        "dormant_days": channel_selectors.DORMANT_AFTER.days,
        "failed_days": channel_selectors.FAILED_SENDS_WINDOW.days,
    }
    return render(request, "web/profiles/list.html", context)


@organisation_page(Permission.MANAGE_CHANNELS)
@require_http_methods(["GET", "POST"])
def profile_connect(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    """Step one: choose the platform. Step two (`?platform=…`): the profile and the platform's
    settings. On success the answer shows the webhook address and secret, once."""
    platforms = channel_selectors.platforms()
    platform = request.POST.get("platform") or request.GET.get("platform", "")
    labels = dict(platforms)
    if platform not in labels:
        return render(request, "web/profiles/choose_platform.html", {"platforms": platforms})
    data = request.POST if request.method == "POST" else None
    purposes = channel_selectors.purposes()
    form = ConnectForm(
        data,
        teams=_teams(access),
        purposes=purposes,
        initial={"form_id": uuid.uuid4(), "purpose": purposes[0][0]},
    )
    settings_form = SettingsForm(data, fields=channel_selectors.setting_fields(platform))
    if data is not None:
        already = _connected_before(request, data.get("form_id", ""))
        if already is not None:
            messages.info(request, _("This profile was connected already."))
            return redirect("profile-edit", org_slug=access.organisation.slug, account_id=already)
        forms_valid = form.is_valid() & settings_form.is_valid()  # both, for all errors
        if forms_valid:
            try:
                account, secret = channel_services.connect_profile(
                    organisation=access.organisation,
                    actor=signed_in_user(request),
                    connector=platform,
                    name=form.cleaned_data["name"],
                    handle=form.cleaned_data["handle"],
                    purpose=form.cleaned_data["purpose"],
                    team=_team(access, form.cleaned_data["team"]),
                    default_language=form.cleaned_data["default_language"],
                    config=settings_form.values(),
                    secret=form.cleaned_data["webhook_secret"],
                )
            except ValidationError as error:
                _attach(form, settings_form, error)
            else:
                _remember_connected(request, str(form.cleaned_data["form_id"]), account.pk)
                return _connected(request, access, account, secret)
    context = {
        "form": form,
        "settings_form": settings_form,
        "platform": platform,
        "platform_label": labels[platform],
    }
    response = render(request, "web/profiles/connect.html", context)
    add_never_cache_headers(response)  # the form may hold a secret the browser should forget
    return response


def _connected_before(request: HttpRequest, form_id: str) -> int | None:
    remembered: dict[str, int] = request.session.get(CONNECTED_FORMS, {})
    return remembered.get(form_id)


def _remember_connected(request: HttpRequest, form_id: str, account_id: int) -> None:
    remembered: dict[str, int] = dict(request.session.get(CONNECTED_FORMS, {}))
    remembered[form_id] = account_id
    request.session[CONNECTED_FORMS] = dict(list(remembered.items())[-MAX_REMEMBERED_FORMS:])


def _connected(
    request: HttpRequest, access: OrganisationAccess, account: Any, secret: str
) -> HttpResponse:
    """The one page that shows the secret: answered to the form itself, never stored in the
    session or a URL, and not cached."""
    hook = reverse("webhook", args=[account.connector, str(account.public_id)])
    context = {
        "account": account,
        "platform_label": channel_selectors.platform_label(account.connector),
        "polls": channel_selectors.platform_polls(account.connector),
        "webhook_url": request.build_absolute_uri(hook),
        "secret": secret,
        "form_url": _form_url(request, account),
    }
    response = render(request, "web/profiles/connected.html", context)
    add_never_cache_headers(response)
    return response


@organisation_page(Permission.MANAGE_CHANNELS)
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, access: OrganisationAccess, account_id: int) -> HttpResponse:
    account = _account_or_404(access, account_id)
    available = account.connector in dict(channel_selectors.platforms())
    data = request.POST if request.method == "POST" else None
    form = EditForm(
        data,
        teams=_teams(access),
        purposes=channel_selectors.purposes(),
        initial={
            "name": account.name,
            "handle": account.handle,
            "purpose": account.purpose,
            "team": account.team_id,
            "default_language": account.default_language,
            "is_active": account.is_active,
        },
    )
    # A platform that is no longer installed: its settings can be neither shown nor checked.
    settings_form = (
        SettingsForm(
            data,
            fields=channel_selectors.setting_fields(account.connector),
            stored=channel_selectors.stored_settings(account),
        )
        if available
        else None
    )
    if data is not None:
        forms_valid = form.is_valid() & (settings_form is None or settings_form.is_valid())
        if forms_valid:
            try:
                channel_services.update_profile(
                    account=account,
                    actor=signed_in_user(request),
                    name=form.cleaned_data["name"],
                    handle=form.cleaned_data["handle"],
                    purpose=form.cleaned_data["purpose"],
                    team=_team(access, form.cleaned_data["team"]),
                    default_language=form.cleaned_data["default_language"],
                    is_active=form.cleaned_data["is_active"],
                    config=settings_form.values() if settings_form is not None else None,
                )
            except ValidationError as error:
                _attach(form, settings_form, error)
            else:
                messages.success(request, _("Profile saved."))
                return redirect(_registry_url(access, account))
    hook = reverse("webhook", args=[account.connector, str(account.public_id)])
    context = {
        "account": account,
        "form": form,
        "settings_form": settings_form,
        "platform_label": channel_selectors.platform_label(account.connector),
        "available": available,
        "webhook_url": request.build_absolute_uri(hook),
        "form_url": _form_url(request, account),
    }
    response = render(request, "web/profiles/edit.html", context)
    add_never_cache_headers(response)
    return response


@organisation_page(Permission.MANAGE_CHANNELS)
@require_http_methods(["GET", "POST"])
def profile_disconnect(
    request: HttpRequest, access: OrganisationAccess, account_id: int
) -> HttpResponse:
    """Asks first; disconnecting switches the profile off, it never deletes anything."""
    account = _account_or_404(access, account_id)
    if request.method == "POST":
        channel_services.disconnect_profile(account=account, actor=signed_in_user(request))
        messages.success(
            request,
            _("“%(name)s” is disconnected. Its conversations stay readable.")
            % {"name": account.name},
        )
        return redirect(_registry_url(access, account))
    return render(request, "web/profiles/disconnect.html", {"account": account})


def _form_url(request: HttpRequest, account: Any) -> str:
    """A web form profile is reached through its public form, not a webhook."""
    if account.connector != "webform":
        return ""
    return request.build_absolute_uri(reverse("webform", args=[account.public_id]))
