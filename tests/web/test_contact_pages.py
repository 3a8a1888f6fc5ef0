"""The citizen's page: merge, separate, export and erase, each by the right role only."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from loket.inbox.models import Contact, Message
from loket.tenancy import services as tenancy_services
from loket.tenancy.models import AuditEvent, Organisation, User
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def jef(generic: GenericAccount) -> tuple[Contact, Contact]:
    generic.post(event("e1", thread="p1", author="jef-fb", text="Waar vind ik de afvalkalender?"))
    generic.post(
        event("e2", thread="dm", author="jef-chat", visibility="private", text="Hallo, ik ben Jef")
    )
    process_all()
    return Contact.objects.get(identities__external_id="jef-fb"), Contact.objects.get(
        identities__external_id="jef-chat"
    )


def url(contact: Contact, action: str = "") -> str:
    return f"/o/stad-voorbeeld/contacts/{contact.pk}/{action}"


def test_an_agent_merges_and_separates_contacts(
    jef: tuple[Contact, Contact], signed_in: Callable[[str], Client]
) -> None:
    a, b = jef
    client = signed_in("anna")
    assert client.get(url(a)).status_code == 200
    assert client.post(url(b, "merge/"), {"into": a.pk}).status_code == 302
    b.refresh_from_db()
    assert b.merged_into == a
    assert f"#{b.pk}" in client.get(url(a)).content.decode()  # listed as merged in
    client.post(url(b, "unmerge/"))
    b.refresh_from_db()
    assert b.merged_into is None


def test_merging_into_an_unknown_or_own_contact_is_a_field_error(
    jef: tuple[Contact, Contact], signed_in: Callable[[str], Client]
) -> None:
    a, _ = jef
    client = signed_in("anna")
    assert client.post(url(a, "merge/"), {"into": 999_999}).status_code == 400
    assert client.post(url(a, "merge/"), {"into": a.pk}).status_code == 400
    assert client.post(url(a, "merge/"), {"into": "x"}).status_code == 400


def test_export_needs_the_export_permission(
    jef: tuple[Contact, Contact], signed_in: Callable[[str], Client]
) -> None:
    a, _ = jef
    assert signed_in("anna").get(url(a, "export.json")).status_code == 403
    response = signed_in("bram").get(url(a, "export.json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["messages"][0]["text"] == "Waar vind ik de afvalkalender?"
    assert AuditEvent.objects.filter(action="export", actor__username="bram").exists()


def test_only_an_administrator_erases_and_must_confirm(
    jef: tuple[Contact, Contact], signed_in: Callable[[str], Client]
) -> None:
    a, _ = jef
    assert signed_in("bram").post(url(a, "erase/"), {"confirm": "ERASE"}).status_code == 403
    admin = signed_in("admin")
    assert admin.post(url(a, "erase/"), {"confirm": "ja"}).status_code == 400
    assert Message.objects.get(external_id="e1").text == "Waar vind ik de afvalkalender?"
    assert admin.post(url(a, "erase/"), {"confirm": "erase"}).status_code == 302
    assert Message.objects.get(external_id="e1").text != "Waar vind ik de afvalkalender?"
    assert Message.objects.get(external_id="e2").text == "Hallo, ik ben Jef"  # another contact


def test_a_viewer_sees_nothing_and_another_organisation_gets_404(
    jef: tuple[Contact, Contact], signed_in: Callable[[str], Client]
) -> None:
    a, _ = jef
    viewer = User.objects.get(username="carla")
    tenancy_services.set_membership(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"), user=viewer, role="viewer"
    )
    assert signed_in("carla").get(url(a)).status_code == 403
    other = User.objects.create(username="buiten")
    tenancy_services.set_membership(
        organisation=Organisation.objects.get(slug="rivierdijk"), user=other, role="admin"
    )
    client = Client()
    client.force_login(other)
    assert client.get(url(a)).status_code == 404
    assert client.get(f"/o/rivierdijk/contacts/{a.pk}/").status_code == 404
