"""Forms of the profile registry: its filters, connecting and editing a profile, and the
platform's own settings, built from the connector's settings model (see
`channels.selectors.setting_fields`). The forms check shape only; the channels services and
the platform's settings model own the rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loket.channels.selectors import ProfileHealth, SettingField
from loket.web.forms import LANGUAGE_CHOICES

HEALTH_CHOICES = [
    ("", _("Any health")),
    (ProfileHealth.OK.value, _("Working")),
    (ProfileHealth.PROBLEM.value, _("Has a problem")),
    (ProfileHealth.DORMANT.value, _("Dormant: no messages for 14 days")),
]


def _set_choices(form: forms.Form, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    cast("forms.ChoiceField", form.fields[name]).choices = list(choices)


class RegistryFilterForm(forms.Form):
    """The registry's filters (a GET form). Unknown values are errors and filter nothing."""

    platform = forms.ChoiceField(label=_("Platform"), required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), required=False)
    health = forms.ChoiceField(label=_("Health"), required=False, choices=HEALTH_CHOICES)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(
        self,
        *args: Any,
        platforms: Iterable[tuple[str, str]],
        purposes: Iterable[tuple[str, str]],
        organisations: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "platform", [("", _("All platforms")), *platforms])
        _set_choices(self, "purpose", [("", _("All purposes")), *purposes])
        organisations = list(organisations)
        if organisations:
            _set_choices(self, "organisation", [("", _("All organisations")), *organisations])
        else:
            del self.fields["organisation"]


class ProfileForm(forms.Form):
    """What Loket itself knows of a profile."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("How colleagues recognise it in the inbox, e.g. “Facebook Stad Voorbeeld”."),
    )
    handle = forms.CharField(
        label=_("Handle"),
        max_length=200,
        required=False,
        help_text=_("How citizens know it on the platform, e.g. @stadvoorbeeld."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"))
    team = forms.TypedChoiceField(
        label=_("Team"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("New cases from this profile go to this team."),
    )
    default_language = forms.ChoiceField(
        label=_("Default language"), choices=LANGUAGE_CHOICES, initial="nl"
    )

    def __init__(
        self,
        *args: Any,
        teams: Iterable[tuple[int, str]],
        purposes: Iterable[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "team", [("", _("No team")), *teams])
        _set_choices(self, "purpose", purposes)


class ConnectForm(ProfileForm):
    webhook_secret = forms.CharField(
        label=_("Webhook secret"),
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Only where the platform dictates the secret (Meta's app secret, X's consumer "
            "secret). Leave empty and Loket generates one."
        ),
    )
    # One connection per filled-in form: sending the same form twice connects once.
    form_id = forms.UUIDField(widget=forms.HiddenInput)


class EditForm(ProfileForm):
    is_active = forms.BooleanField(
        label=pgettext_lazy("profile", "Active"),
        required=False,
        help_text=_("Off: the profile is disconnected; its conversations stay readable."),
    )


class SettingsForm(forms.Form):
    """The platform's own settings, one field per field of its settings model.

    Secret settings are password fields that never show what is stored: on an existing
    profile, left empty they keep their value. Whether a setting is required is the settings
    model's to say, so nothing is required here and its answer is shown next to the field.
    """

    prefix = "config"

    def __init__(
        self,
        *args: Any,
        fields: Iterable[SettingField],
        stored: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.setting_fields = list(fields)
        for setting in self.setting_fields:
            self.fields[setting.name] = _form_field(setting, stored)

    def values(self) -> dict[str, Any]:
        """The cleaned values, for the channels services: "" or None where left empty."""
        return dict(self.cleaned_data)

    def attach(self, error: ValidationError, prefix: str) -> list[str]:
        """Put a service's errors on "<prefix><setting>" next to their setting; returns the
        messages that belong to no setting."""
        rest: list[str] = []
        for key, errors in getattr(error, "error_dict", {}).items():
            name = key.removeprefix(prefix) if key.startswith(prefix) else None
            for item in errors:
                if name in self.fields:
                    self.add_error(name, item)
                else:
                    rest.extend(item.messages)
        return rest


def _form_field(setting: SettingField, stored: Mapping[str, Any] | None) -> forms.Field:
    label = setting.name.replace("_", " ").capitalize()
    help_text = setting.description
    initial = stored.get(setting.name, setting.default) if stored is not None else setting.default
    if setting.kind == "secret":
        if stored is not None:
            state = _("Stored; leave empty to keep it.") if initial else _("Not set.")
            help_text = f"{help_text} {state}".strip()
        return forms.CharField(
            label=label,
            required=False,
            help_text=help_text,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        )
    field: forms.Field
    if setting.kind == "checkbox":
        field = forms.BooleanField(label=label, required=False, initial=bool(initial))
    elif setting.kind == "integer":
        field = forms.IntegerField(label=label, required=False, initial=initial)
    elif setting.kind == "number":
        field = forms.FloatField(label=label, required=False, initial=initial)
    elif setting.kind == "choice":
        field = forms.ChoiceField(
            label=label,
            required=False,
            initial=initial,
            choices=[("", "—"), *((choice, choice) for choice in setting.choices)],
        )
    elif setting.kind == "list":
        field = ListField(label=label, required=False, initial=initial)
        help_text = f"{help_text} {_('One per line.')}".strip()
    else:
        field = forms.CharField(label=label, required=False, initial=initial, max_length=2000)
    field.help_text = help_text
    return field


class ListField(forms.CharField):
    """A list setting as lines of text."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        lines = [line.strip() for line in str(text).splitlines() if line.strip()]
        return lines or ""  # nothing: the platform's default
