"""OpenID Connect login (the Flemish government's ACM/IDM, or any OIDC provider).

Accounts are matched on the provider's stable subject (`sub`), not on e-mail: an e-mail
address at the provider must not open an existing local account. The one exception links a
local account once, when the provider vouches for the e-mail (`email_verified`) and exactly
one account without a linked subject has it. A new person gets an account without any
membership: an administrator of an organisation grants the role.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from loket.tenancy import services
from loket.tenancy.models import AuditAction, User

CLOCK_SKEW_SECONDS = 60


class LoketOIDCBackend(OIDCAuthenticationBackend):
    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The signature and nonce (checked by the library), plus audience and expiry."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.get_settings("OIDC_RP_CLIENT_ID") not in audiences:
            raise SuspiciousOperation("OIDC token is not meant for this client")
        expires = payload.get("exp")
        if expires is not None and float(expires) < time.time() - CLOCK_SKEW_SECONDS:
            raise SuspiciousOperation("OIDC token has expired")
        return payload

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The userinfo must describe the person the ID token is about (OIDC Core 5.3.2)."""
        userinfo: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("OIDC userinfo subject differs from the ID token's")
        return userinfo

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        subject = str(claims["sub"])
        linked = User.objects.filter(oidc_subject=subject)
        if linked.exists():
            return linked
        email = claims.get("email")
        if email and claims.get("email_verified") is True:
            candidates = User.objects.filter(email__iexact=email, oidc_subject__isnull=True)
            if candidates.count() == 1:
                return candidates
        return User.objects.none()

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User:
        user = User.objects.create_user(
            self._free_username(claims),
            email=claims.get("email") or "",
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            oidc_subject=str(claims["sub"]),
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        if user.oidc_subject is None:
            user.oidc_subject = str(claims["sub"])
            user.save(update_fields=["oidc_subject"])
            services.record_audit_event(
                action=AuditAction.OIDC_ACCOUNT_LINKED,
                actor=user,
                details={"subject": user.oidc_subject},
            )
        return user

    def _free_username(self, claims: dict[str, Any]) -> str:
        wanted = str(
            claims.get("preferred_username")
            or (claims.get("email") or "").split("@")[0]
            or claims["sub"]
        )
        base = "".join(ch for ch in wanted if ch.isalnum() or ch in "@.+-_")[:140] or "user"
        candidate, counter = base, 1
        while User.objects.filter(username__iexact=candidate).exists():
            counter += 1
            candidate = f"{base}{counter}"
        return candidate
