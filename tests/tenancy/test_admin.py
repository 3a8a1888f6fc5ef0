"""The Django admin is for platform administrators; the audit log there is read-only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from loket.tenancy.models import AuditEvent, Organisation

pytestmark = pytest.mark.django_db


def test_a_platform_administrator_manages_organisations(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("admin")
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    for url in (
        "/admin/",
        "/admin/tenancy/organisation/",
        f"/admin/tenancy/organisation/{stad.pk}/change/",
        "/admin/tenancy/user/",
        "/admin/tenancy/team/",
        "/admin/tenancy/auditevent/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_audit_log_cannot_be_written_in_the_admin(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("admin")
    assert client.get("/admin/tenancy/auditevent/add/").status_code == 403
    event = AuditEvent.objects.create(action="export", actor_username="admin")
    assert (
        client.post(f"/admin/tenancy/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_members_of_organisations_are_not_let_into_the_admin(
    signed_in: Callable[[str], Client],
) -> None:
    response = signed_in("bram").get("/admin/tenancy/organisation/")
    assert response.status_code in {302, 403}
    assert b"Stad Voorbeeld" not in response.content
