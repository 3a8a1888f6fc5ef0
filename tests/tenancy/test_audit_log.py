"""The audit log only grows."""

from __future__ import annotations

import pytest

from loket.tenancy import services
from loket.tenancy.models import AuditEvent, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_changed_or_deleted() -> None:
    event = services.record_audit_event(action="export", username="someone")
    event.action = "login"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="login")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "export"


def test_an_entry_outlives_the_account_it_names() -> None:
    user = services.upsert_user(username="weg")
    services.record_audit_event(action="login", actor=user)
    user.delete()
    event = AuditEvent.objects.get()
    assert event.actor is None
    assert event.actor_username == "weg"
