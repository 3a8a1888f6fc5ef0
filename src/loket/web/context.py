"""What the page shell needs on every page: the organisations of the switcher, the
current organisation and role, the languages, and whether single sign-on is on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from loket.tenancy import selectors


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    access = getattr(request, "access", None)
    organisations = (
        list(selectors.organisations_of(user)) if user is not None and user.is_authenticated else []
    )
    return {
        "shell_organisations": organisations,
        "access": access,
        "current_organisation": access.organisation if access else None,
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_login_label": settings.OIDC_LOGIN_LABEL or _("Sign in with single sign-on"),
        "demo_mode": settings.DEMO_MODE,
    }
