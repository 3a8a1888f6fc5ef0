"""Personal access tokens: made once, stored only as a hash, revocable; and `loket tokens`."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from loket.tenancy import tokens
from loket.tenancy.models import ApiToken, AuditEvent, User
from tests.api.conftest import bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(cast: None) -> User:
    return User.objects.get(username="anna")


def test_a_token_is_shown_once_and_stored_only_as_its_hash(anna: User) -> None:
    token, plain = tokens.create_token(user=anna, name="CRM koppeling")
    assert plain.startswith("loket_")
    assert len(plain) >= 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert stored.prefix == plain[:12]
    assert stored.name == "CRM koppeling"
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(plain in str(value) for value in row.values())
    assert plain[12:] not in str(row)


def test_tokens_are_unique(anna: User) -> None:
    plains = {tokens.create_token(user=anna)[1] for _ in range(20)}
    assert len(plains) == 20


def test_creating_a_token_is_audited(anna: User) -> None:
    token, plain = tokens.create_token(user=anna, name="rapport")
    audit = AuditEvent.objects.get(action="api_token_created")
    assert audit.actor == anna
    assert audit.details == {
        "token_id": token.pk,
        "prefix": token.prefix,
        "name": "rapport",
        "user": "anna",
    }
    assert plain not in str(audit.details)


def test_authenticate_returns_the_user_and_notes_the_use(anna: User) -> None:
    token, plain = tokens.create_token(user=anna)
    assert tokens.authenticate(plain) == anna
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_unknown_malformed_and_revoked_tokens_do_not_authenticate(anna: User) -> None:
    token, plain = tokens.create_token(user=anna)
    assert tokens.authenticate(plain[:-1] + ("A" if plain[-1] != "A" else "B")) is None
    assert tokens.authenticate("") is None
    assert tokens.authenticate("loket_") is None
    assert tokens.authenticate(plain[6:]) is None  # without the prefix
    assert tokens.authenticate(token.secret_hash) is None  # the stored hash is no token
    assert tokens.authenticate(plain + "x" * 500) is None
    revoked = tokens.revoke(token=token)
    assert revoked.revoked_at is not None
    assert tokens.authenticate(plain) is None
    first = revoked.revoked_at
    assert tokens.revoke(token=token).revoked_at == first


def test_a_deactivated_users_token_stops_working(anna: User) -> None:
    _token, plain = tokens.create_token(user=anna)
    anna.is_active = False
    anna.save()
    assert tokens.authenticate(plain) is None


def test_the_api_accepts_a_token_and_refuses_unknown_and_revoked_ones(anna: User) -> None:
    token, plain = tokens.create_token(user=anna)
    response = bearer_client(plain).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "anna"

    unknown = bearer_client("loket_" + "x" * 43).get("/api/v1/me")
    assert unknown.status_code == 401
    assert unknown["WWW-Authenticate"].startswith("Bearer")
    tokens.revoke(token=token)
    assert bearer_client(plain).get("/api/v1/me").status_code == 401
    assert bearer_client(plain).get("/api/v1/cases?org=stad-voorbeeld").status_code == 401


def test_a_wrong_token_does_not_fall_back_to_the_session(client: Client, anna: User) -> None:
    client.force_login(anna)
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer loket_wrong"})
    assert response.status_code == 401


def test_token_requests_need_no_csrf_token_but_session_requests_do(anna: User) -> None:
    _token, plain = tokens.create_token(user=anna)
    with_token = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {plain}"})
    # A case id that does not exist: a 404 means past authentication and any CSRF check.
    body = {"text": "Hallo", "visibility": "public"}
    response = with_token.post(
        "/api/v1/cases/999999/replies", body, content_type="application/json"
    )
    assert response.status_code == 404  # authenticated: no such case in Stad Voorbeeld
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(anna)
    response = browser.post("/api/v1/cases/999999/replies", body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_last_used_is_written_at_most_once_a_minute(anna: User) -> None:
    token, plain = tokens.create_token(user=anna)
    tokens.authenticate(plain)
    token.refresh_from_db()
    first = token.last_used_at
    tokens.authenticate(plain)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(hours=1))
    tokens.authenticate(plain)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


# `loket tokens …`


def run(*args: str) -> str:
    out = StringIO()
    call_command("tokens", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_a_working_token_on_one_line(anna: User) -> None:
    printed = run("create", "--user", "anna", "--name", "Power BI")
    assert printed.endswith("\n")
    assert printed.count("\n") == 1
    plain = printed.strip()
    assert tokens.authenticate(plain) == anna
    assert ApiToken.objects.get().name == "Power BI"
    response = bearer_client(plain).get("/api/v1/me")
    assert response.json()["username"] == "anna"


def test_the_command_lists_tokens_without_showing_them(anna: User) -> None:
    plain = run("create", "--user", "anna", "--name", "Power BI").strip()
    listing = run("list", "--user", "anna")
    token = ApiToken.objects.get()
    assert str(token.pk) in listing
    assert token.prefix in listing
    assert "Power BI" in listing
    assert "never used" in listing
    assert plain not in listing


def test_the_command_revokes_by_id(anna: User) -> None:
    plain = run("create", "--user", "anna").strip()
    token = ApiToken.objects.get()
    assert "revoked" in run("revoke", "--id", str(token.pk))
    assert tokens.authenticate(plain) is None
    assert "revoked" in run("list", "--user", "anna")
    assert bearer_client(plain).get("/api/v1/me").status_code == 401


def test_the_command_refuses_unknown_users_and_tokens(cast: None) -> None:
    with pytest.raises(CommandError, match="no active user"):
        run("create", "--user", "nobody")
    with pytest.raises(CommandError, match="no token with id"):
        run("revoke", "--id", "12345")
