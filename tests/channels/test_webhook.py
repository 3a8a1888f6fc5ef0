"""The generic webhook as a sender meets it: every bad call gets a clear answer, never a 500."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from loket.channels.models import InboundEvent
from tests.conftest import GenericAccount, event

pytestmark = pytest.mark.django_db


def test_a_signed_event_is_accepted_and_stored(generic: GenericAccount) -> None:
    response = generic.post(event("e1"))
    assert response.status_code == 200
    assert response.json() == {"status": "accepted"}
    stored = InboundEvent.objects.get()
    assert stored.event_key == "e1"
    assert stored.status == "pending"


def test_the_same_event_twice_is_a_duplicate(generic: GenericAccount) -> None:
    generic.post(event("e1"))
    again = generic.post(event("e1"))
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    assert InboundEvent.objects.count() == 1


@pytest.mark.parametrize("secret", ["wrong", ""])
def test_a_bad_signature_is_401_and_stores_nothing(generic: GenericAccount, secret: str) -> None:
    response = generic.post(event("e1"), secret=secret)
    assert response.status_code == 401
    assert InboundEvent.objects.count() == 0


def test_a_missing_signature_is_401(generic: GenericAccount) -> None:
    response = generic.client.post(
        generic.url, data=json.dumps(event("e1")), content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"{not json", "not valid JSON"),
        (json.dumps({**event("e1"), "visibility": "loud"}).encode(), "visibility"),
        (json.dumps({k: v for k, v in event("e1").items() if k != "text"}).encode(), "text"),
    ],
)
def test_a_malformed_body_is_400_saying_what(
    generic: GenericAccount, body: bytes, says: str
) -> None:
    response = generic.post(body)
    assert response.status_code == 400
    assert says in response.json()["error"]
    assert InboundEvent.objects.count() == 0


def test_over_64_kib_is_413(generic: GenericAccount) -> None:
    big = json.dumps({**event("e1"), "text": "x" * 70_000}).encode()
    response = generic.post(big)
    assert response.status_code == 413
    assert InboundEvent.objects.count() == 0


def test_unknown_accounts_and_channels_are_404(generic: GenericAccount) -> None:
    body = json.dumps(event("e1")).encode()
    for url in (
        "/hooks/generic/00000000-0000-0000-0000-000000000000",
        "/hooks/generic/not-a-uuid",
        f"/hooks/facebook-2/{generic.account.public_id}",
    ):
        assert (
            generic.client.post(url, data=body, content_type="application/json").status_code == 404
        )


def test_only_post_is_allowed(generic: GenericAccount) -> None:
    assert generic.client.get(generic.url).status_code == 405


def test_an_inactive_account_receives_nothing(generic: GenericAccount) -> None:
    generic.account.is_active = False
    generic.account.save()
    assert generic.post(event("e1")).status_code == 404


def test_a_stored_event_wakes_one_drain_task_however_many_follow(
    generic: GenericAccount, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            generic.post(event(f"e{n}"))
    task = DBTaskResult.objects.get()  # the first wakes it; the others find it waiting
    assert task.task_path == "loket.inbox.tasks.drain_inbound_events"
    assert task.status == "READY"
    assert InboundEvent.objects.filter(status="pending").count() == 5


def test_a_database_failure_is_503_and_stores_nothing(
    generic: GenericAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError

    from loket.channels import services

    def broken(**_: object) -> None:
        raise DatabaseError("ledger table gone")

    monkeypatch.setattr(services, "_store_event", broken)
    response = generic.post(event("e1"))
    assert response.status_code == 503
    assert InboundEvent.objects.count() == 0


def test_a_lost_wake_up_keeps_the_event_and_the_recovery_sweep_finds_it(
    generic: GenericAccount,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from datetime import timedelta

    from django.db import DatabaseError
    from django_tasks_db.models import DBTaskResult

    from loket.channels import services
    from loket.inbox import tasks

    def broken() -> None:
        raise DatabaseError("queue table gone")

    monkeypatch.setattr(tasks, "drain_inbound_events", SimpleNamespace(enqueue=broken))
    with django_capture_on_commit_callbacks(execute=True):
        response = generic.post(event("e1"))
    assert response.json() == {"status": "accepted"}  # stored: the sender must not resend
    assert InboundEvent.objects.filter(status="pending").count() == 1
    assert not DBTaskResult.objects.exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_stale_events(older_than=timedelta(minutes=2)) == 0
        assert services.announce_stale_events(older_than=timedelta(0)) == 1
    assert DBTaskResult.objects.get().task_path == "loket.inbox.tasks.drain_inbound_events"
