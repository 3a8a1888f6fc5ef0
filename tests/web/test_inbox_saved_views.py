"""Saving the inbox filters as a view: one's own, or shared by a coordinator."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from loket.inbox.models import SavedView

pytestmark = pytest.mark.django_db
INBOX = "/o/stad-voorbeeld/inbox/"


def test_an_agent_saves_a_view_of_her_own(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("anna")
    response = client.post(f"{INBOX}views/", {"name": "Mijn Franse", "language": "fr", "junk": "x"})
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?language=fr"
    view = SavedView.objects.get()
    assert (view.name, view.filters, view.owner.username) == (
        "Mijn Franse",
        {"language": "fr"},
        "anna",
    )
    assert "Mijn Franse" in client.get(INBOX).content.decode()
    assert "Mijn Franse" not in signed_in("bram").get(INBOX).content.decode()


def test_only_a_coordinator_shares_a_view(signed_in: Callable[[str], Client]) -> None:
    signed_in("anna").post(
        f"{INBOX}views/", {"name": "Gedeeld?", "priority": "urgent", "shared": "1"}
    )
    assert SavedView.objects.get(name="Gedeeld?").owner is not None
    signed_in("bram").post(
        f"{INBOX}views/", {"name": "Dringend", "priority": "urgent", "shared": "1"}
    )
    assert SavedView.objects.get(name="Dringend").owner is None
    assert "Dringend" in signed_in("anna").get(INBOX).content.decode()


def test_a_view_needs_a_name_and_filters(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("anna")
    client.post(f"{INBOX}views/", {"name": "", "language": "fr"})
    client.post(f"{INBOX}views/", {"name": "Alles"})
    assert not SavedView.objects.exists()


def test_removing_views(signed_in: Callable[[str], Client]) -> None:
    signed_in("bram").post(
        f"{INBOX}views/", {"name": "Dringend", "priority": "urgent", "shared": "1"}
    )
    signed_in("bram").post(f"{INBOX}views/", {"name": "Van bram", "language": "en"})
    shared = SavedView.objects.get(name="Dringend")
    own = SavedView.objects.get(name="Van bram")
    anna = signed_in("anna")
    anna.post(f"{INBOX}views/{shared.pk}/delete/")
    assert SavedView.objects.filter(pk=shared.pk).exists()  # an agent cannot remove a shared view
    assert anna.post(f"{INBOX}views/{own.pk}/delete/").status_code == 404  # not hers to see
    signed_in("bram").post(f"{INBOX}views/{shared.pk}/delete/")
    assert not SavedView.objects.filter(pk=shared.pk).exists()
