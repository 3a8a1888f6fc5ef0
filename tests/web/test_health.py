"""/healthz tells a monitor whether the database answers and the queue moves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.cli.sample_tasks import add

pytestmark = pytest.mark.django_db


def test_healthy(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["queue"] == {
        "ok": True,
        "backend": "django_tasks_db.backend.DatabaseBackend",
        "waiting": 0,
        "oldest_waiting_seconds": 0.0,
    }


def test_a_queue_nobody_works_on_is_unhealthy(client: Client) -> None:
    result = add.enqueue(1, 2)
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"]["waiting"] == 1
    assert response.json()["queue"]["ok"] is False


def test_a_database_failure_is_503_not_500(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.utils import CursorWrapper

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


def test_healthz_needs_no_login_and_shows_no_tenant_data(cast: None, client: Client) -> None:
    body = client.get("/healthz").content.decode()
    assert "stad-voorbeeld" not in body
