"""The generic webhook as a sender meets it: every bad call gets a clear answer, never a 500."""

from __future__ import annotations

import json
from types import SimpleNamespace

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


def test_an_event_is_stored_together_with_its_processing_task(generic: GenericAccount) -> None:
    from django_tasks_db.models import DBTaskResult

    generic.post(event("e1"))
    task = DBTaskResult.objects.get()
    assert task.task_path == "loket.inbox.tasks.process_inbound_event"
    assert task.args_kwargs["args"] == [InboundEvent.objects.get().pk]


def test_a_database_failure_is_503_and_stores_nothing(
    generic: GenericAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError

    from loket.inbox import tasks

    def broken(*_: object) -> None:
        raise DatabaseError("queue table gone")

    monkeypatch.setattr(tasks, "process_inbound_event", SimpleNamespace(enqueue=broken))
    response = generic.post(event("e1"))
    assert response.status_code == 503
    assert InboundEvent.objects.count() == 0
