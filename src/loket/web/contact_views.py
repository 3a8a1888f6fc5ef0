"""A citizen's page: their identities and cases; merge and un-merge; and their rights —
export of everything Loket holds about them, and erasure."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from loket.inbox import contacts, selectors
from loket.tenancy.permissions import Permission
from loket.tenancy.selectors import OrganisationAccess
from loket.web.access import organisation_page, signed_in_user


class MergeContactForm(forms.Form):
    into = forms.IntegerField(
        label=gettext_lazy("Same person as contact number"), min_value=1, max_value=2**62
    )


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label=gettext_lazy("Type ERASE to confirm"),
        max_length=10,
    )

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"]
        # The word to type is translated ("WISSEN"); the English one always works too.
        if value.strip().upper() not in {"ERASE", _("ERASE").upper()}:
            raise ValidationError(_("Type ERASE to confirm."))
        return value


def _contact(access: OrganisationAccess, contact_id: int) -> contacts.Contact:
    contact = selectors.contact_of(access.organisation, contact_id)
    if contact is None:
        raise Http404("No such contact.")
    return contact


def _page(
    request: HttpRequest,
    access: OrganisationAccess,
    contact: contacts.Contact,
    *,
    merge_form: MergeContactForm | None = None,
    erase_form: EraseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "contact": contact,
        "lives_on_in": contacts.effective(contact),
        "merged_in": [c for c in contacts.family(contact) if c.pk != contact.pk],
        "cases": selectors.cases_of_contact(contact),
        "merge_form": merge_form or MergeContactForm(),
        "erase_form": erase_form or EraseForm(),
        "may_handle": access.can(Permission.HANDLE_CASES),
        "may_export": access.can(Permission.EXPORT_DATA),
        "may_erase": access.can(Permission.EDIT_ORGANISATION),
    }
    return render(request, "web/contact.html", context, status=status)


@organisation_page(Permission.VIEW_CASES)
@require_GET
def contact_detail(
    request: HttpRequest, access: OrganisationAccess, contact_id: int
) -> HttpResponse:
    return _page(request, access, _contact(access, contact_id))


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def contact_merge(
    request: HttpRequest, access: OrganisationAccess, contact_id: int
) -> HttpResponse:
    contact = _contact(access, contact_id)
    form = MergeContactForm(request.POST)
    if form.is_valid():
        target = selectors.contact_of(access.organisation, form.cleaned_data["into"])
        if target is None:
            form.add_error("into", _("There is no contact with this number here."))
        else:
            try:
                contacts.merge(source=contact, target=target, actor=signed_in_user(request))
            except ValidationError as error:
                form.add_error("into", " ".join(error.messages))
            else:
                messages.success(request, _("The contacts are merged."))
                return redirect(
                    "contact-detail", org_slug=access.organisation.slug, contact_id=contact.pk
                )
    return _page(request, access, contact, merge_form=form, status=400)


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def contact_unmerge(
    request: HttpRequest, access: OrganisationAccess, contact_id: int
) -> HttpResponse:
    contact = _contact(access, contact_id)
    try:
        contacts.unmerge(contact=contact, actor=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contacts are separate again."))
    return redirect("contact-detail", org_slug=access.organisation.slug, contact_id=contact.pk)


@organisation_page(Permission.VIEW_CASES)
@require_GET
def contact_export(
    request: HttpRequest, access: OrganisationAccess, contact_id: int
) -> HttpResponse:
    if not access.can(Permission.EXPORT_DATA):
        raise PermissionDenied
    contact = _contact(access, contact_id)
    data = contacts.export(contact=contact, actor=signed_in_user(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


@organisation_page(Permission.EDIT_ORGANISATION)
@require_POST
def contact_erase(
    request: HttpRequest, access: OrganisationAccess, contact_id: int
) -> HttpResponse:
    contact = _contact(access, contact_id)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _page(request, access, contact, erase_form=form, status=400)
    erased = contacts.erase(contact=contact, actor=signed_in_user(request))
    messages.success(
        request, _("Erased: %(count)d messages no longer hold this person.") % {"count": erased}
    )
    return redirect("contact-detail", org_slug=access.organisation.slug, contact_id=contact.pk)
