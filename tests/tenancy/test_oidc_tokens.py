"""Token checks the OIDC library leaves to us: audience, expiry, and userinfo subject."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from pytest_django.fixtures import Settings as SettingsWrapper

from loket.tenancy.oidc import LoketOIDCBackend


@pytest.fixture
def backend(settings: SettingsWrapper) -> LoketOIDCBackend:
    settings.OIDC_RP_CLIENT_ID = "loket"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    return LoketOIDCBackend()


def returning(payload: dict[str, Any]) -> Any:
    return lambda self, *args, **kwargs: payload


@pytest.mark.parametrize(
    "payload",
    [
        {"sub": "1", "aud": "someone-else", "exp": time.time() + 60},
        {"sub": "1", "aud": ["a", "b"], "exp": time.time() + 60},
        {"sub": "1", "exp": time.time() + 60},
        {"sub": "1", "aud": "loket", "exp": time.time() - 3600},
    ],
)
def test_tokens_for_others_or_expired_are_refused(
    backend: LoketOIDCBackend, monkeypatch: pytest.MonkeyPatch, payload: dict[str, Any]
) -> None:
    monkeypatch.setattr(OIDCAuthenticationBackend, "verify_token", returning(payload))
    with pytest.raises(SuspiciousOperation):
        backend.verify_token("token")


def test_a_token_for_loket_passes(
    backend: LoketOIDCBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = {"sub": "1", "aud": ["loket", "other"], "exp": time.time() + 60}
    monkeypatch.setattr(OIDCAuthenticationBackend, "verify_token", returning(payload))
    assert backend.verify_token("token") == payload


def test_userinfo_about_someone_else_is_refused(
    backend: LoketOIDCBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OIDCAuthenticationBackend, "get_userinfo", returning({"sub": "2"}))
    with pytest.raises(SuspiciousOperation):
        backend.get_userinfo("access", "id", {"sub": "1"})
    monkeypatch.setattr(OIDCAuthenticationBackend, "get_userinfo", returning({"sub": "1"}))
    assert backend.get_userinfo("access", "id", {"sub": "1"}) == {"sub": "1"}
