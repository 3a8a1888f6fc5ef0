"""Kernel pieces: secrets at rest, and events delivered after commit."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import transaction
from pytest_django.fixtures import Settings

from loket.config import ConfigurationError, load_config
from loket.kernel import crypto, events


def test_secrets_round_trip_and_are_not_readable(settings: Settings) -> None:
    token = crypto.encrypt("page-access-token")
    assert "page-access-token" not in token
    assert crypto.decrypt(token) == "page-access-token"


def test_keys_rotate_without_losing_old_secrets(settings: Settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.LOKET_ENCRYPTION_KEYS = [old]
    token = crypto.encrypt("s3cret")
    settings.LOKET_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == "s3cret"
    rotated = crypto.reencrypt(token)
    settings.LOKET_ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == "s3cret"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_a_malformed_encryption_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOKET_DEMO", "1")
    monkeypatch.setenv("LOKET_ENCRYPTION_KEYS", "not-a-key")
    with pytest.raises(ConfigurationError, match="LOKET_ENCRYPTION_KEYS"):
        load_config()


@pytest.mark.django_db(transaction=True)
def test_events_are_delivered_only_after_commit() -> None:
    received: list[int] = []
    events.subscribe("test.happened", lambda *, n: received.append(n))
    with transaction.atomic():
        events.publish("test.happened", n=1)
        assert received == []
    assert received == [1]
    try:
        with transaction.atomic():
            events.publish("test.happened", n=2)
            raise RuntimeError
    except RuntimeError:
        pass
    assert received == [1]


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_does_not_break_the_others() -> None:
    received: list[str] = []

    def broken(**_: object) -> None:
        raise ValueError("boom")

    events.subscribe("test.robust", broken)
    events.subscribe("test.robust", lambda **_: received.append("ok"))
    with transaction.atomic():
        events.publish("test.robust")
    assert received == ["ok"]


@pytest.mark.django_db(transaction=True)
def test_in_transaction_handlers_run_at_once_and_their_failure_rolls_back() -> None:
    from loket.tenancy.models import AuditEvent

    def fails(**_: object) -> None:
        raise RuntimeError("enqueue failed")

    def store_and_announce() -> None:
        with transaction.atomic():
            AuditEvent.objects.create(action="export")
            events.publish("test.atomic")

    events.subscribe("test.atomic", fails, in_transaction=True)
    with pytest.raises(RuntimeError):
        store_and_announce()
    assert not AuditEvent.objects.exists()
