"""Audit entries for logins, failed logins and lock-outs.

These events are raised by Django's auth machinery and django-axes, from every login path
(our login page, OpenID Connect, the admin). Listening to them is the one place that sees all
paths; the receivers only translate the event into an audit entry, nothing else.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from loket.tenancy import services
from loket.tenancy.models import AuditAction, User


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    services.record_audit_event(action=AuditAction.LOGIN, actor=user, ip_address=_address(request))


def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        services.record_audit_event(
            action=AuditAction.LOGOUT, actor=user, ip_address=_address(request)
        )


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))
    services.record_audit_event(
        action=AuditAction.LOGIN_FAILED,
        username=username,
        ip_address=_address(request),
        details={"username": username[:150]},
    )


def _locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str = "",
    ip_address: str = "",
    **kwargs: Any,
) -> None:
    services.record_audit_event(
        action=AuditAction.LOCKED_OUT,
        username=username or "",
        ip_address=ip_address or _address(request),
        details={"username": (username or "")[:150]},
    )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="loket-audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="loket-audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="loket-audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="loket-audit-locked-out")
