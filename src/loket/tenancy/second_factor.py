"""The optional second factor: a time-based one-time code (TOTP) from an authenticator app.

A user enrols by scanning a QR code and confirming one code; from then on the login asks for
a code after the password. Wrong codes are throttled by django-otp (growing delays).
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from loket.tenancy import services
from loket.tenancy.models import AuditAction, User

DEVICE_NAME = "authenticator"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enabled(user: User) -> bool:
    return confirmed_device(user) is not None


@transaction.atomic
def start_enrolment(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed device; any earlier unfinished enrolment is discarded."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_enrolment(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


@transaction.atomic
def confirm_enrolment(*, user: User, token: str) -> bool:
    device = pending_enrolment(user)
    if device is None or not _verify(device, token):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    services.record_audit_event(action=AuditAction.SECOND_FACTOR_ENABLED, actor=user)
    return True


@transaction.atomic
def disable(*, user: User) -> None:
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        services.record_audit_event(action=AuditAction.SECOND_FACTOR_DISABLED, actor=user)


def verify_login_code(*, user: User, token: str, ip_address: str | None) -> TOTPDevice | None:
    """The confirmed device if the code is right; a wrong code is audited."""
    device = confirmed_device(user)
    if device is not None and _verify(device, token):
        return device
    services.record_audit_event(
        action=AuditAction.SECOND_FACTOR_FAILED, actor=user, ip_address=ip_address
    )
    return None


def _verify(device: TOTPDevice, token: str) -> bool:
    token = "".join(token.split())
    if not (token.isdigit() and len(token) == device.digits):
        return False
    allowed, _info = device.verify_is_allowed()
    return bool(allowed and device.verify_token(token))


def qr_code_svg(device: TOTPDevice) -> str:
    """The enrolment URL as an inline SVG: no image library and no external request."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def manual_entry_key(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
