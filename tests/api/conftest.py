"""Fixtures of the API tests: clients that carry a token, and cases made by the real intake."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from loket.channels import services as channel_services
from loket.inbox.models import Case
from loket.tenancy import services as tenancy_services
from loket.tenancy import tokens
from loket.tenancy.models import Organisation, User
from tests.conftest import GenericAccount, event, process_all

STAD = "stad-voorbeeld"


def bearer_client(plain: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {plain}"})


@pytest.fixture
def api_as(cast: None) -> Callable[[str], Client]:
    """A client that calls the API with a fresh token of this user (and no session)."""

    def make(username: str) -> Client:
        _token, plain = tokens.create_token(user=User.objects.get(username=username), name="test")
        return bearer_client(plain)

    return make


@pytest.fixture
def member(cast: None) -> Callable[[str, str], str]:
    """A new user with one role in one organisation; returns the user name."""

    def make(role: str, slug: str = STAD) -> str:
        username = f"{role}-{slug}"
        user = tenancy_services.upsert_user(username=username, first_name=role.title())
        tenancy_services.set_membership(
            organisation=Organisation.objects.get(slug=slug), user=user, role=role
        )
        return username

    return make


@pytest.fixture
def stad_cases(generic: GenericAccount) -> list[Case]:
    """Five cases of Stad Voorbeeld, one per thread, oldest first."""
    texts = [
        "Wanneer wordt het grof vuil opgehaald in de Kerkstraat?",
        "De straatlamp aan het station is kapot",
        "Hoe vraag ik een parkeerkaart aan voor bewoners?",
        "Is het zwembad open tijdens de kerstvakantie?",
        "Waar kan ik een nieuwe identiteitskaart aanvragen?",
    ]
    for i, text in enumerate(texts):
        generic.post(event(f"e{i}", thread=f"post-{i}", author=f"citizen-{i}", text=text))
    assert process_all() == len(texts)
    return list(Case.objects.order_by("pk"))


@pytest.fixture
def rivierdijk_case(cast: None) -> Case:
    """One case of another organisation, Gemeente Rivierdijk."""
    organisation = Organisation.objects.get(slug="rivierdijk")
    account, secret = channel_services.create_account(
        organisation=organisation, connector="generic", name="Rivierdijk-chat"
    )
    other = GenericAccount(account=account, secret=secret, client=Client())
    other.post(event("r1", thread="riv-1", text="Wanneer is het recyclagepark open?"))
    assert process_all() == 1
    return Case.objects.get(organisation=organisation)
