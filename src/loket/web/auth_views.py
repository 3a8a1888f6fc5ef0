"""Login (password, then the second factor if enrolled), logout, the account's security page."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from loket.tenancy import second_factor, selectors
from loket.web.access import signed_in_user
from loket.web.forms import LoginForm, SecondFactorCodeForm

PENDING_USER = "loket_pending_second_factor_user"
PENDING_SINCE = "loket_pending_second_factor_since"
PENDING_NEXT = "loket_pending_second_factor_next"
PENDING_BACKEND = "loket_pending_second_factor_backend"
PENDING_SECONDS = 5 * 60


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Step one: user name and password. With a second factor, step two comes first."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not second_factor.is_enabled(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_SINCE] = time.time()
        self.request.session[PENDING_BACKEND] = user.backend
        self.request.session[PENDING_NEXT] = self.get_redirect_url()
        return redirect("login-code")


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator app, within five minutes of step one."""
    user_id = request.session.get(PENDING_USER)
    started = float(request.session.get(PENDING_SINCE, 0))
    if user_id is None or time.time() - started > PENDING_SECONDS:
        _forget_pending(request)
        messages.error(request, _("Please sign in again."))
        return redirect("login")
    user = selectors.active_user(user_id)
    if user is None:
        _forget_pending(request)
        return redirect("login")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify_login_code(
            user=user, token=form.cleaned_data["code"], ip_address=request.META.get("REMOTE_ADDR")
        )
        if device is not None:
            user.backend = request.session[PENDING_BACKEND]
            destination = _safe_next(request, request.session.get(PENDING_NEXT))
            _forget_pending(request)
            auth_login(request, user)
            otp_login(request, device)
            return HttpResponseRedirect(destination)
        form.add_error("code", _("This code is not right, or has expired. Try the current one."))
    return render(request, "registration/login_code.html", {"form": form}, status=200)


def _forget_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_SINCE, PENDING_NEXT, PENDING_BACKEND):
        request.session.pop(key, None)


class LogoutView(auth_views.LogoutView):
    pass


@login_required
@require_http_methods(["GET", "POST"])
def account_security(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    action = request.POST.get("action") if request.method == "POST" else None
    form = SecondFactorCodeForm(request.POST if action == "confirm" else None)
    if action == "start":
        second_factor.start_enrolment(user=user)
        return redirect("account-security")
    if action == "disable":
        second_factor.disable(user=user)
        messages.success(request, _("The second factor is switched off."))
        return redirect("account-security")
    if action == "confirm" and form.is_valid():
        if second_factor.confirm_enrolment(user=user, token=form.cleaned_data["code"]):
            messages.success(request, _("The second factor is on. Sign-ins now ask for a code."))
            return redirect("account-security")
        form.add_error(
            "code", _("This code is not right. Check the time on your phone and try again.")
        )
    pending = second_factor.pending_enrolment(user)
    context = {
        "enabled": second_factor.is_enabled(user),
        "pending": pending,
        "qr_svg": second_factor.qr_code_svg(pending) if pending else "",
        "secret": second_factor.manual_entry_key(pending) if pending else "",
        "form": form,
        "recent_events": selectors.audit_events_of_user(user)[:10],
    }
    return render(request, "web/account_security.html", context)


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    destination = _safe_next(request, request.GET.get("next") or reverse("admin:index"))
    if request.user.is_authenticated:
        # Signed in, but not staff: the admin is not for them.
        return render(request, "web/not_for_you.html", status=403)
    return redirect(f"{reverse('login')}?{urlencode({'next': destination})}")
