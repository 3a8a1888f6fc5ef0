"""OpenID Connect login routes, always mounted but answering 404 unless OIDC is configured.

Mounted unconditionally so that enabling OIDC is a settings change only (tests switch it on
per test); the provider's own multi-factor policy applies to these logins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from mozilla_django_oidc import views

logger = logging.getLogger(__name__)


class CallbackView(views.OIDCAuthenticationCallbackView):
    """The provider's answer. Whatever goes wrong ends on the login page, never in a 500."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation as error:  # unknown or replayed state, token for others
            logger.warning("single sign-on refused: %s", error)
        except requests.RequestException as error:  # provider refused the code, unreachable
            logger.warning("single sign-on provider call failed: %s", error)
        else:
            return response
        return self.login_failure()


def _only_when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        return view(request, *args, **kwargs)

    return guarded


urlpatterns = [
    path(
        "authenticate/",
        _only_when_enabled(views.OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "callback/",
        _only_when_enabled(CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
