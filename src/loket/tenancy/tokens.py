"""Personal access tokens for the JSON API: create (shown once), authenticate, list, revoke.

A token looks like `loket_<43 url-safe characters>` (256 random bits). Only its SHA-256 hash
is stored, with the first characters as a prefix to recognise it in a list. Authentication
looks the hash up, so no stored secret is compared character by character; a revoked token,
or one of a deactivated user, no longer authenticates.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from loket.tenancy.models import ApiToken, AuditAction, User
from loket.tenancy.services import record_audit_event

TOKEN_PREFIX = "loket_"  # noqa: S105 - the marker every token starts with, not a secret
PREFIX_LENGTH = 12  # "loket_" and six characters of the random part
MAX_TOKEN_LENGTH = 200
# How stale `last_used_at` may get before a request writes it again: one write per token
# per minute at most, however busy the client.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(*, user: User, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned here once and stored nowhere."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=plain[:PREFIX_LENGTH],
        secret_hash=_digest(plain),
    )
    record_audit_event(
        action=AuditAction.API_TOKEN_CREATED,
        actor=actor or user,
        details={
            "token_id": token.pk,
            "prefix": token.prefix,
            "name": token.name,
            "user": user.get_username(),
        },
    )
    return token, plain


def authenticate(bearer: str) -> User | None:
    """The active user this token belongs to, or None (unknown, malformed or revoked)."""
    if not bearer.startswith(TOKEN_PREFIX) or len(bearer) > MAX_TOKEN_LENGTH:
        return None
    digest = _digest(bearer)
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_by_id(token_id: int) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(pk=token_id).first()


@transaction.atomic
def revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token for good; revoking it again keeps the first moment."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
