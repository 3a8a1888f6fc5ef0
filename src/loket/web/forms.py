"""Forms of the pages. They parse and check input shape; services own the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from loket.tenancy.permissions import Role

LANGUAGE_CHOICES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
]


class LoginForm(AuthenticationForm):
    """Django's login form without autofocus, so the first Tab reaches the skip link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class OrganisationDetailsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kbo_number = forms.CharField(
        label=_("KBO number"),
        max_length=20,
        required=False,
        help_text=_("The enterprise number, e.g. 0207.446.772."),
    )
    nis_code = forms.CharField(
        validators=[RegexValidator(r"^\d{5}$", _("A NIS code has five digits."))],
        label=_("NIS code"),
        max_length=5,
        required=False,
        help_text=_("Five digits, for municipalities and provinces."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages this organisation answers citizens in."),
    )
    population = forms.IntegerField(
        label=_("Population"), required=False, min_value=0, max_value=20_000_000
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = cast("forms.ChoiceField", self.fields["team"])
        team_field.choices = [("", _("No team")), *teams]


class AddMemberForm(MembershipForm):
    username = forms.CharField(
        label=_("User name or e-mail address"),
        max_length=254,
        help_text=_("The person must already have an account (or have signed in once)."),
    )

    field_order = ("username", "role", "team")


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class OrganisationSwitchForm(forms.Form):
    organisation = forms.SlugField(label=_("Organisation"))


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation errors next to the fields they concern."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for text in error.messages:
            form.add_error(None, text)
