"""Signing in: the form, throttling, the second factor, and the audit trail it leaves."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from loket.tenancy import second_factor
from loket.tenancy.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str, **extra: str) -> object:
    return client.post("/login/", {"username": username, "password": password, **extra})


def forgive_failures(device: TOTPDevice) -> None:
    """django-otp delays the next try after a wrong code; tests don't wait for it."""
    device.refresh_from_db()
    device.throttle_reset()


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_anna_signs_in_and_lands_in_stad_voorbeeld(cast: None, client: Client) -> None:
    response = sign_in(client, "anna", "demo")
    assert response.status_code == 302  # type: ignore[attr-defined]
    start = client.get("/", follow=True)
    assert start.redirect_chain[-1][0] == "/o/stad-voorbeeld/"
    switcher_options = re.findall(r'<option value="([a-z-]+)"', start.content.decode())
    assert "stad-voorbeeld" in switcher_options
    assert set(switcher_options) <= {"stad-voorbeeld", "nl", "fr", "en"}
    assert AuditEvent.objects.filter(action="login", actor__username="anna").count() == 1


def test_a_wrong_password_is_a_form_error_and_is_audited(cast: None, client: Client) -> None:
    response = sign_in(client, "anna", "wrong")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.details == {"username": "anna"}


def test_brute_force_is_throttled_even_for_the_right_password(cast: None, client: Client) -> None:
    for _attempt in range(5):
        sign_in(client, "bram", "guess")
    locked = sign_in(client, "bram", "demo")
    assert locked.status_code == 429 or locked.status_code == 403  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="locked_out").exists()
    # Another person from the same address is not locked out by bram's attempts.
    assert sign_in(Client(), "anna", "demo").status_code == 302  # type: ignore[attr-defined]


def test_an_open_redirect_after_login_is_refused(cast: None, client: Client) -> None:
    response = sign_in(client, "anna", "demo", next="https://evil.example/")
    assert response["Location"] == "/"  # type: ignore[index]


@pytest.fixture
def bram_with_second_factor(cast: None) -> TOTPDevice:
    bram = User.objects.get(username="bram")
    device = second_factor.start_enrolment(user=bram)
    assert second_factor.confirm_enrolment(user=bram, token=code_for(device))
    device.refresh_from_db()
    device.last_t = -1  # the enrolment code may be reused in this test's time step
    device.save()
    return device


def test_the_second_factor_is_asked_after_the_password(
    bram_with_second_factor: TOTPDevice, client: Client
) -> None:
    response = sign_in(client, "bram", "demo", next="/o/stad-voorbeeld/teams/")
    assert response["Location"] == "/login/code/"  # type: ignore[index]
    assert "_auth_user_id" not in client.session  # not signed in yet

    wrong = client.post("/login/code/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="second_factor_failed").exists()

    forgive_failures(bram_with_second_factor)
    right = client.post("/login/code/", {"code": code_for(bram_with_second_factor)})
    assert right["Location"] == "/o/stad-voorbeeld/teams/"
    assert client.session["_auth_user_id"] == str(bram_with_second_factor.user_id)


@pytest.mark.parametrize("junk", ["", "12", "abcdef", "1234567890", "٣٣٣٣٣٣", "' OR 1=1 --"])
def test_junk_codes_are_refused_without_error(
    bram_with_second_factor: TOTPDevice, client: Client, junk: str
) -> None:
    sign_in(client, "bram", "demo")
    response = client.post("/login/code/", {"code": junk})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_code_step_without_a_password_step_goes_back_to_login(client: Client) -> None:
    response = client.get("/login/code/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_enrolment_needs_a_correct_code(cast: None, client: Client) -> None:
    anna = User.objects.get(username="anna")
    client.force_login(anna)
    client.post("/account/security/", {"action": "start"})
    page = client.get("/account/security/").content.decode()
    assert "<svg" in page  # the QR code, inline
    client.post("/account/security/", {"action": "confirm", "code": "123456"})
    assert not second_factor.is_enabled(anna)
    device = second_factor.pending_enrolment(anna)
    assert device is not None
    forgive_failures(device)
    client.post("/account/security/", {"action": "confirm", "code": code_for(device)})
    assert second_factor.is_enabled(anna)
    assert AuditEvent.objects.filter(action="second_factor_enabled", actor=anna).exists()
    client.post("/account/security/", {"action": "disable"})
    assert not second_factor.is_enabled(anna)


def test_the_admin_uses_loket_login(cast: None, client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"], follow=True)
    assert login.redirect_chain[-1][0].startswith("/login/?next=")
    client.force_login(User.objects.get(username="anna"))
    assert client.get("/admin/", follow=True).status_code == 403


def test_sign_out_is_a_post_and_is_audited(cast: None, client: Client) -> None:
    client.force_login(User.objects.get(username="anna"))
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="logout").exists()
