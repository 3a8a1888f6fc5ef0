"""What the page shell needs on every page: the organisations of the switcher, the
current organisation and role, the unread notifications, the languages, and whether single
sign-on is on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from loket.inbox import notifications
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
        "shell_unread_notifications": _unread_label(access, user),
    }


@dataclass(frozen=True)
class Unread:
    count: int
    label: str  # "3", or "99+" for a hundred and more


def _unread_label(access: Any, user: Any) -> Callable[[], Unread]:
    """The bell's count, counted only when a page shows the bell, and only once."""

    @cache
    def unread() -> Unread:
        if access is None or user is None or not user.is_authenticated:
            return Unread(0, "")
        count = notifications.unread_count(access.organisation, user)
        capped = count >= notifications.COUNT_CAP
        return Unread(count, f"{notifications.COUNT_CAP - 1}+" if capped else str(count))

    return unread
