"""One Meta app, many pages: a delivery posted to one profile's URL reaches every profile it
names, in whichever organisation, and never a profile of another app."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from loket.channels import services
from loket.channels.connectors.meta_common.testing import deliver
from loket.channels.models import ChannelAccount, InboundEvent
from loket.inbox import intake
from loket.inbox.models import Case
from loket.tenancy.models import Organisation

pytestmark = pytest.mark.django_db

APP_SECRET = "3f6c0e9a1b7d4e2f8a5c6b9d0e1f2a3b"
PAGE_VOORBEELD = "104857392016482"
PAGE_ANDERDORP = "209384756102938"


def _comment_entry(page_id: str, comment: str, text: str) -> dict[str, Any]:
    post_id = f"{page_id}_771203948561230"
    return {
        "id": page_id,
        "time": 1795860003,
        "changes": [
            {
                "field": "feed",
                "value": {
                    "item": "comment",
                    "verb": "add",
                    "from": {"id": "7391028475610293", "name": "Els Peeters"},
                    "post_id": post_id,
                    "comment_id": f"771203948561230_{comment}",
                    "parent_id": post_id,
                    "message": text,
                    "created_time": 1795860000,
                },
            }
        ],
    }


def _page(slug: str, page_id: str, app_secret: str = APP_SECRET) -> ChannelAccount:
    account, _ = services.create_account(
        organisation=Organisation.objects.get(slug=slug),
        connector="facebook",
        name=f"Facebook {slug}",
        config={
            "page_id": page_id,
            "page_access_token": "EAAG-token",
            "verify_token": "verify-token-1",
        },
        secret=app_secret,
    )
    return account


@pytest.fixture
def two_pages(cast: None) -> tuple[ChannelAccount, ChannelAccount]:
    other = Organisation.objects.exclude(slug="stad-voorbeeld").filter(parent__isnull=False)
    return _page("stad-voorbeeld", PAGE_VOORBEELD), _page(other.first().slug, PAGE_ANDERDORP)


def test_a_delivery_for_two_pages_reaches_both_profiles(
    two_pages: tuple[ChannelAccount, ChannelAccount],
) -> None:
    voorbeeld, anderdorp = two_pages
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                _comment_entry(PAGE_VOORBEELD, "1", "Wanneer is het containerpark open?"),
                _comment_entry(PAGE_ANDERDORP, "2", "Waar haal ik een parkeerkaart?"),
            ],
        }
    ).encode()
    answer = deliver(Client(), voorbeeld, body, app_secret=APP_SECRET)
    assert (answer.status_code, answer.json()) == (200, {"status": "accepted"})
    stored = {event.account_id: event for event in InboundEvent.objects.all()}
    assert set(stored) == {voorbeeld.pk, anderdorp.pk}
    assert intake.process_pending(seconds=10) == (2, True)
    cases = {case.organisation_id: case.subject for case in Case.objects.all()}
    assert cases == {
        voorbeeld.organisation_id: "Wanneer is het containerpark open?",
        anderdorp.organisation_id: "Waar haal ik een parkeerkaart?",
    }
    # The same delivery again: each part is a duplicate for its own profile.
    again = deliver(Client(), voorbeeld, body, app_secret=APP_SECRET)
    assert again.json() == {"status": "duplicate"}
    assert InboundEvent.objects.count() == 2


def test_a_delivery_for_its_own_page_is_stored_byte_for_byte(
    two_pages: tuple[ChannelAccount, ChannelAccount],
) -> None:
    voorbeeld, _ = two_pages
    body = json.dumps({"object": "page", "entry": [_comment_entry(PAGE_VOORBEELD, "1", "Hallo?")]})
    deliver(Client(), voorbeeld, body.encode(), app_secret=APP_SECRET)
    assert bytes(InboundEvent.objects.get().body) == body.encode()


def test_a_page_of_another_app_never_receives_a_part(cast: None) -> None:
    """Knowing a page id is not enough: the profile must share the app (its secret)."""
    ours = _page("stad-voorbeeld", PAGE_VOORBEELD, app_secret="another-apps-secret")
    attacker_org = Organisation.objects.exclude(slug="stad-voorbeeld").first()
    attackers = _page(attacker_org.slug, "555000111222333", app_secret="attacker-secret")
    body = json.dumps(
        {"object": "page", "entry": [_comment_entry(PAGE_VOORBEELD, "9", "Ingeschoven bericht")]}
    ).encode()
    answer = deliver(Client(), attackers, body, app_secret="attacker-secret")
    assert (answer.status_code, answer.json()) == (200, {"status": "ignored"})
    assert not InboundEvent.objects.filter(account=ours).exists()
    assert not InboundEvent.objects.exists()


def test_whatsapp_changes_are_routed_by_phone_number(cast: None) -> None:
    def number(slug: str, phone_number_id: str) -> ChannelAccount:
        account, _ = services.create_account(
            organisation=Organisation.objects.get(slug=slug),
            connector="whatsapp",
            name=f"WhatsApp {slug}",
            config={
                "phone_number_id": phone_number_id,
                "access_token": "t",
                "verify_token": "verify-token-1",
            },
            secret=APP_SECRET,
        )
        return account

    other = Organisation.objects.exclude(slug="stad-voorbeeld").filter(parent__isnull=False)
    first, second = number("stad-voorbeeld", "106540352242922"), number(other.first().slug, "2048")

    def change(phone_number_id: str, message_id: str) -> dict[str, Any]:
        return {
            "field": "messages",
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {
                    "display_phone_number": "3250000000",
                    "phone_number_id": phone_number_id,
                },
                "contacts": [{"profile": {"name": "Maria"}, "wa_id": "32470000000"}],
                "messages": [
                    {
                        "from": "32470000000",
                        "id": message_id,
                        "timestamp": "1795860000",
                        "type": "text",
                        "text": {"body": "Is het zwembad open op zaterdag?"},
                    }
                ],
            },
        }

    entry = {
        "id": "WABA-1",
        "changes": [change("106540352242922", "wamid.A"), change("2048", "wamid.B")],
    }
    body = json.dumps({"object": "whatsapp_business_account", "entry": [copy.deepcopy(entry)]})
    answer = deliver(Client(), first, body.encode(), app_secret=APP_SECRET)
    assert answer.json() == {"status": "accepted"}
    assert dict(InboundEvent.objects.values_list("account_id", "event_key")) == {
        first.pk: "wamid.A",
        second.pk: "wamid.B",
    }
