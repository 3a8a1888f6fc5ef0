"""The profile registry as administrators meet it: the list with its health and filters (also
a central organisation's view of its children), connecting a profile with the platform's own
settings, editing and disconnecting it — each audited, nothing ever deleted."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr

from loket.channels import registry
from loket.channels import services as channel_services
from loket.channels.contracts import (
    AccountContext,
    Author,
    Capabilities,
    ConversationKind,
    DeliveryReceipt,
    DeliveryStatus,
    InboundMessage,
    OutboundMessage,
    PayloadError,
    PollResult,
    Visibility,
)
from loket.channels.models import ChannelAccount, InboundEvent, OutboundDelivery
from loket.inbox.models import Case
from loket.tenancy.models import AuditEvent, Organisation, Team
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db

STAD = "/o/stad-voorbeeld/profiles/"
VLAANDEREN = "/o/vlaamse-overheid/profiles/"


class FakeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page_id: str = Field(min_length=3, description="The page's numeric id.")
    access_token: SecretStr
    api_base: HttpUrl = HttpUrl("https://graph.example.invalid/v1")
    timeout_seconds: int = Field(10, gt=0, le=60)
    send_read_receipts: bool = True
    notes: str | None = None


class FakePlatform:
    """A platform that polls, with settings of every kind and a secret token."""

    name = "fakebook"
    label = "Fakebook"
    capabilities = Capabilities()
    config_model = FakeSettings
    poll_interval_seconds = 60

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return headers.get("X-Secret") == secret

    def parse(self, body: bytes) -> list[InboundMessage]:
        try:
            item = json.loads(body)
            return [
                InboundMessage(
                    external_id=item["id"],
                    thread_id="post-1",
                    kind=ConversationKind.PUBLIC_THREAD,
                    visibility=Visibility.PUBLIC,
                    author=Author("citizen-1", "Citizen"),
                    text=item["text"],
                    created_at=timezone.now(),
                )
            ]
        except (ValueError, KeyError, TypeError) as error:
            raise PayloadError(f"not a fakebook item: {error}") from error

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        return DeliveryReceipt(DeliveryStatus.SENT, external_id="sent-1")

    def poll(self, *, account: AccountContext, cursor: str) -> PollResult:
        return PollResult((), cursor)


@pytest.fixture(autouse=True)
def english(client: Client) -> None:
    """The UI in English, so that the assertions read the msgids (Dutch is the default)."""
    client.cookies["loket_language"] = "en"


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> FakePlatform:
    fake = FakePlatform()
    monkeypatch.setitem(registry.connectors(), fake.name, fake)
    return fake


def organisation(slug: str = "stad-voorbeeld") -> Organisation:
    return Organisation.objects.get(slug=slug)


def team(name: str, slug: str = "stad-voorbeeld") -> Team:
    return Team.objects.get(organisation__slug=slug, name=name)


def fakebook(name: str = "Fakebook Stad Voorbeeld", **settings: Any) -> ChannelAccount:
    config = {"page_id": "1234567", "access_token": "EAAB-token-1", **settings}
    account, _secret = channel_services.create_account(
        organisation=organisation(), connector="fakebook", name=name, config=config
    )
    return account


def row_of(page: str, account: ChannelAccount) -> str:
    start = page.index(f'id="profile-{account.pk}"')
    return page[start : page.index("</tr>", start)]


def listed(response: Any) -> list[str]:
    return [row.account.name for row in response.context["rows"]]


def age(account: ChannelAccount, days: int) -> None:
    ChannelAccount.objects.filter(pk=account.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def failed_delivery(account: ChannelAccount, key: str, days_ago: int = 0) -> None:
    delivery = OutboundDelivery.objects.create(
        account=account, idempotency_key=key, message={}, status="failed"
    )
    OutboundDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


# ---------------------------------------------------------------------------------------
# The list


def test_the_registry_shows_each_profile_with_its_health(
    signed_in: Callable[[str], Client], generic: GenericAccount, platform: FakePlatform
) -> None:
    generic.post(event("e1"))  # the website chat had a message just now
    dormant = ChannelAccount.objects.get(name="Instagram Stad Voorbeeld (demo)")
    age(dormant, 20)
    failing = ChannelAccount.objects.get(name="Facebook-pagina Stad Voorbeeld (demo)")
    failed_delivery(failing, "f1")
    failed_delivery(failing, "f2", days_ago=10)  # too long ago to count
    expiring = fakebook()
    ChannelAccount.objects.filter(pk=expiring.pk).update(
        token_expires_at=timezone.now() + timedelta(days=5),
        last_polled_at=timezone.now(),
        handle="@stadvoorbeeld",
        purpose="crisis",
    )
    broken = fakebook("Fakebook kapot")
    channel_services.set_health(account=broken, problem="access token expired")
    vanished = ChannelAccount.objects.create(
        organisation=organisation(), connector="myspace", name="MySpace Stad Voorbeeld"
    )
    switched_off = fakebook("Fakebook oud")
    ChannelAccount.objects.filter(pk=switched_off.pk).update(is_active=False)

    response = signed_in("admin").get(STAD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Working" in row_of(page, generic.account)
    assert "Dormant: no messages for 14 days" in row_of(page, dormant)
    assert "1 failed send in 7 days" in row_of(page, failing)
    expiring_row = row_of(page, expiring)
    assert "Token expires on" in expiring_row
    assert "@stadvoorbeeld" in expiring_row
    assert "Crisis communication" in expiring_row
    assert "Fakebook" in expiring_row
    assert "not yet" not in expiring_row  # polled, and the time is shown
    assert "access token expired" in row_of(page, broken)
    assert "not yet" in row_of(page, broken)  # a polling platform, never polled
    vanished_row = row_of(page, vanished)
    assert "myspace" in vanished_row
    assert "not available" in vanished_row
    assert "Disconnected" in row_of(page, switched_off)
    assert "Klantencontactcenter" in row_of(page, generic.account)
    assert "organisation" not in page.split("<thead>")[1].split("</thead>")[0].lower()


DORMANT = "Instagram Stad Voorbeeld (demo)"
OTHERS = "the others"  # every other profile of Stad Voorbeeld: working, from the demo cast


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("health=problem", {"Fakebook kapot", "MySpace Stad Voorbeeld"}),
        ("health=dormant", {DORMANT}),
        ("health=ok", {OTHERS}),
        ("platform=fakebook", {"Fakebook kapot"}),
        ("platform=myspace", {"MySpace Stad Voorbeeld"}),
        ("purpose=crisis&health=problem", {"Fakebook kapot"}),
        ("purpose=participation", set()),
    ],
)
def test_the_filters(
    signed_in: Callable[[str], Client], platform: FakePlatform, query: str, expected: set[str]
) -> None:
    others = set(
        ChannelAccount.objects.filter(organisation=organisation())
        .exclude(name=DORMANT)
        .values_list("name", flat=True)
    )
    if OTHERS in expected:
        expected = others
    age(ChannelAccount.objects.get(name=DORMANT), 30)
    broken = fakebook("Fakebook kapot")
    ChannelAccount.objects.filter(pk=broken.pk).update(
        health_problem="sending fails: 401", purpose="crisis"
    )
    ChannelAccount.objects.create(
        organisation=organisation(), connector="myspace", name="MySpace Stad Voorbeeld"
    )
    response = signed_in("admin").get(f"{STAD}?{query}")
    assert set(listed(response)) == expected
    if not expected:
        assert "No profile matches these filters." in response.content.decode()


def test_an_unknown_filter_value_filters_nothing(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("admin").get(f"{STAD}?health=<b>weird</b>")
    assert response.status_code == 200
    assert (
        len(listed(response)) == ChannelAccount.objects.filter(organisation=organisation()).count()
    )
    assert "<b>weird</b>" not in response.content.decode()


def test_the_registry_costs_the_same_queries_for_three_or_thirty_profiles(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    client = signed_in("admin")
    client.get(STAD)  # warm up: session, caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(STAD).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for number in range(30):
        account, _secret = channel_services.create_account(
            organisation=organisation(), connector="generic", name=f"Profiel {number}"
        )
        InboundEvent.objects.create(account=account, event_key=f"k{number}", body=b"{}")
        failed_delivery(account, f"d{number}")
    assert ChannelAccount.objects.filter(organisation=organisation()).count() > 30
    assert queries() == few


def test_a_central_organisation_sees_its_childrens_profiles_read_only(
    signed_in: Callable[[str], Client],
) -> None:
    response = signed_in("admin").get(VLAANDEREN)
    page = response.content.decode()
    names = listed(response)
    own = ChannelAccount.objects.filter(organisation=organisation("vlaamse-overheid")).count()
    everyone = ChannelAccount.objects.filter(
        organisation__slug__in=[
            "vlaamse-overheid",
            "wegen-en-verkeer",
            "opgroeien",
            "stad-voorbeeld",
            "rivierdijk",
            "heidebeek",
        ]
    ).count()
    assert len(names) == everyone > own
    # Its own first, by name, then the children's by organisation.
    assert names[:own] == sorted(names[:own])
    assert [row.own for row in response.context["rows"]] == [True] * own + [False] * (
        everyone - own
    )
    assert "Facebook-pagina Gemeente Heidebeek (demo)" in names
    assert ">Organisation</th>" in page
    child = ChannelAccount.objects.get(name="Website-chat Rivierdijk (demo)")
    child_row = row_of(page, child)
    assert "Gemeente Rivierdijk" in child_row
    assert "<a " not in child_row  # read-only: no link to edit it
    assert f"/o/vlaamse-overheid/profiles/{child.pk}/" not in page
    # The children's profiles are not the parent's to edit.
    assert signed_in("admin").get(f"{VLAANDEREN}{child.pk}/").status_code == 404


def test_the_organisation_filter_of_a_central_organisation(
    signed_in: Callable[[str], Client],
) -> None:
    client = signed_in("admin")
    only_child = listed(client.get(f"{VLAANDEREN}?organisation=heidebeek"))
    assert set(only_child) == set(
        ChannelAccount.objects.filter(organisation__slug="heidebeek").values_list("name", flat=True)
    )
    assert "Facebook-pagina Gemeente Heidebeek (demo)" in only_child
    own = listed(client.get(f"{VLAANDEREN}?organisation=vlaamse-overheid"))
    assert set(own) == set(
        ChannelAccount.objects.filter(organisation__slug="vlaamse-overheid").values_list(
            "name", flat=True
        )
    )


def test_a_child_organisation_sees_only_its_own_profiles(
    signed_in: Callable[[str], Client],
) -> None:
    page = signed_in("admin").get(STAD).content.decode()
    assert "Vlaanderen.be" not in page
    assert "Website-chat Rivierdijk" not in page
    assert ">Organisation</th>" not in page


def test_a_central_analyst_does_not_see_the_registry(signed_in: Callable[[str], Client]) -> None:
    # carla is analyst at the Flemish government: a member, without manage_channels.
    assert signed_in("carla").get(VLAANDEREN).status_code == 403


@pytest.mark.parametrize("username", ["anna", "bram"])
def test_members_without_the_permission_get_403(
    signed_in: Callable[[str], Client], username: str
) -> None:
    client = signed_in(username)
    account = ChannelAccount.objects.filter(organisation=organisation()).first()
    assert account is not None
    for url in (STAD, f"{STAD}new/", f"{STAD}{account.pk}/", f"{STAD}{account.pk}/disconnect/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{STAD}{account.pk}/disconnect/").status_code == 403
    assert ChannelAccount.objects.get(pk=account.pk).is_active


def test_non_members_get_404(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("carla")
    account = ChannelAccount.objects.filter(organisation=organisation()).first()
    assert account is not None
    for url in (STAD, f"{STAD}new/", f"{STAD}{account.pk}/", f"{STAD}{account.pk}/disconnect/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Gekaapt"}).status_code in {404, 405}, url
    assert not ChannelAccount.objects.filter(name="Gekaapt").exists()


def test_the_navigation_shows_profiles_to_administrators_only(
    signed_in: Callable[[str], Client],
) -> None:
    assert f'href="{STAD}"' in signed_in("admin").get("/o/stad-voorbeeld/").content.decode()
    assert f'href="{STAD}"' not in signed_in("bram").get("/o/stad-voorbeeld/").content.decode()


def test_the_registry_in_dutch(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("admin")
    client.cookies["loket_language"] = "nl"
    age(ChannelAccount.objects.get(name="Instagram Stad Voorbeeld (demo)"), 30)
    page = client.get(STAD).content.decode()
    assert "Profielregister" in page
    assert ">Profielen</a>" in page
    assert "Profiel koppelen" in page
    assert "Slapend" in page


# ---------------------------------------------------------------------------------------
# Connecting


def connect_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "platform": "fakebook",
        "form_id": str(uuid.uuid4()),
        "name": "Fakebook Stad Voorbeeld",
        "handle": "@stadvoorbeeld",
        "purpose": "service",
        "team": str(team("Communicatie").pk),
        "default_language": "nl",
        "webhook_secret": "",
        "config-page_id": "1234567",
        "config-access_token": "EAAB-secret-token",
        "config-api_base": "",
        "config-timeout_seconds": "20",
        "config-send_read_receipts": "on",
        "config-notes": "",
    }
    data.update(overrides)
    return data


def test_connecting_starts_with_choosing_the_platform(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    page = signed_in("admin").get(f"{STAD}new/").content.decode()
    assert '<option value="fakebook">Fakebook</option>' in page
    assert '<option value="generic">' in page


def test_the_form_shows_the_platforms_settings(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    response = signed_in("admin").get(f"{STAD}new/?platform=fakebook")
    page = response.content.decode()
    assert 'name="config-page_id"' in page
    assert re.search(r'<input type="password" name="config-access_token"[^>]*>', page)
    assert 'type="number" name="config-timeout_seconds" value="10"' in page
    assert 'type="checkbox" name="config-send_read_receipts"' in page
    assert 'value="https://graph.example.invalid/v1"' in page
    assert "The page&#x27;s numeric id." in page
    assert 'name="webhook_secret"' in page
    assert "no-store" in response["Cache-Control"]


def test_connecting_a_profile_shows_its_webhook_and_secret_once(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    client = signed_in("admin")
    form = connect_form()
    response = client.post(f"{STAD}new/?platform=fakebook", form)
    assert response.status_code == 200
    account = ChannelAccount.objects.get(connector="fakebook")
    secret = channel_services.account_secret(account)
    page = response.content.decode()
    url = f"http://testserver/hooks/fakebook/{account.public_id}"
    assert url in page
    assert secret in page
    assert "no-store" in response["Cache-Control"]
    assert (account.name, account.handle, account.purpose) == (
        "Fakebook Stad Voorbeeld",
        "@stadvoorbeeld",
        "service",
    )
    assert account.team == team("Communicatie")
    settings = channel_services.account_config(account)
    assert settings["access_token"] == "EAAB-secret-token"
    assert settings["timeout_seconds"] == 20
    assert settings["api_base"] == "https://graph.example.invalid/v1"
    assert "EAAB-secret-token" not in json.dumps(account.config)
    audit = AuditEvent.objects.get(action="profile_connected")
    assert audit.details == {"profile": account.pk, "name": account.name, "platform": "fakebook"}
    assert audit.actor is not None
    assert audit.actor.username == "admin"
    # The secret is nowhere else: not on the profile's page, not in the session.
    edit = client.get(f"{STAD}{account.pk}/").content.decode()
    assert url in edit
    assert secret not in edit
    assert secret not in json.dumps(dict(client.session.items()))
    # The profile works: its webhook takes a delivery signed with that secret.
    hook = Client().post(
        f"/hooks/fakebook/{account.public_id}",
        data=b'{"id": "c1", "text": "Hallo?"}',
        content_type="application/json",
        headers={"X-Secret": secret},
    )
    assert hook.status_code == 200


def test_sending_the_form_twice_connects_once(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    client = signed_in("admin")
    form = connect_form()
    client.post(f"{STAD}new/?platform=fakebook", form)
    again = client.post(f"{STAD}new/?platform=fakebook", form)
    account = ChannelAccount.objects.get(connector="fakebook")
    assert again.status_code == 302
    assert again["Location"] == f"{STAD}{account.pk}/"
    assert AuditEvent.objects.filter(action="profile_connected").count() == 1


def test_the_platform_may_dictate_the_webhook_secret(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    client = signed_in("admin")
    response = client.post(
        f"{STAD}new/?platform=fakebook", connect_form(webhook_secret="meta-app-secret")
    )
    account = ChannelAccount.objects.get(connector="fakebook")
    assert channel_services.account_secret(account) == "meta-app-secret"
    assert "meta-app-secret" in response.content.decode()


def test_bad_settings_are_explained_next_to_their_fields(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    client = signed_in("admin")
    response = client.post(
        f"{STAD}new/?platform=fakebook",
        connect_form(
            **{
                "config-page_id": "12",
                "config-access_token": "",
                "config-api_base": "graph dot example",
                "config-timeout_seconds": "0",
            }
        ),
    )
    assert response.status_code == 200
    assert not ChannelAccount.objects.filter(connector="fakebook").exists()
    settings_form = response.context["settings_form"]
    assert settings_form.errors == {
        "page_id": ["Too short: at least 3 characters."],
        "access_token": ["This setting is required."],
        "api_base": ["Enter a complete web address, starting with https://."],
        "timeout_seconds": ["Must be more than 0."],
    }
    assert 'id="id_config-timeout_seconds_error"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="profile_connected").exists()
    # A typed secret is never sent back, also when the form has to be filled in again.
    again = client.post(
        f"{STAD}new/?platform=fakebook",
        connect_form(webhook_secret="meta-app-secret", **{"config-timeout_seconds": "0"}),
    )
    assert "EAAB-secret-token" not in again.content.decode()
    assert "meta-app-secret" not in again.content.decode()


def test_a_name_and_a_known_platform_are_required(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    client = signed_in("admin")
    response = client.post(f"{STAD}new/?platform=fakebook", connect_form(name="  "))
    assert "name" in response.context["form"].errors
    unknown = client.post(f"{STAD}new/", connect_form(platform="myspace"))
    assert unknown.templates[0].name == "web/profiles/choose_platform.html"
    assert not ChannelAccount.objects.filter(name="Fakebook Stad Voorbeeld").exists()


def test_another_organisations_team_is_refused(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    foreign = team("Communicatie en onthaal", "rivierdijk")
    response = signed_in("admin").post(
        f"{STAD}new/?platform=fakebook", connect_form(team=str(foreign.pk))
    )
    assert "team" in response.context["form"].errors
    assert not ChannelAccount.objects.filter(connector="fakebook").exists()


# ---------------------------------------------------------------------------------------
# Editing and disconnecting


def edit_form(account: ChannelAccount, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": account.name,
        "handle": account.handle,
        "purpose": account.purpose,
        "team": "",
        "default_language": account.default_language,
        "is_active": "on",
        "config-page_id": "1234567",
        "config-access_token": "",
        "config-api_base": "https://graph.example.invalid/v1",
        "config-timeout_seconds": "10",
        "config-send_read_receipts": "on",
        "config-notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_editing_keeps_a_secret_left_empty_and_audits_without_values(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    account = fakebook(notes="oude notitie")
    client = signed_in("admin")
    page = client.get(f"{STAD}{account.pk}/").content.decode()
    assert "EAAB-token-1" not in page
    assert "Stored; leave empty to keep it." in page
    assert 'value="oude notitie"' in page
    response = client.post(
        f"{STAD}{account.pk}/",
        edit_form(
            account,
            name="Fakebook Stad",
            purpose="information",
            team=str(team("Communicatie").pk),
            **{"config-timeout_seconds": "30", "config-send_read_receipts": None},
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{STAD}#profile-{account.pk}"
    account.refresh_from_db()
    assert (account.name, account.purpose, account.team) == (
        "Fakebook Stad",
        "information",
        team("Communicatie"),
    )
    settings = channel_services.account_config(account)
    assert settings["access_token"] == "EAAB-token-1"
    assert settings["timeout_seconds"] == 30
    assert settings["send_read_receipts"] is False
    assert settings["notes"] is None  # emptied: back to the default
    audit = AuditEvent.objects.get(action="profile_changed")
    assert audit.details["changed"]["name"] == ["Fakebook Stad Voorbeeld", "Fakebook Stad"]
    assert audit.details["changed"]["settings"] == [
        "notes",
        "send_read_receipts",
        "timeout_seconds",
    ]
    account.refresh_from_db()
    client.post(
        f"{STAD}{account.pk}/",
        edit_form(
            account,
            team=str(team("Communicatie").pk),
            **{
                "config-access_token": "EAAB-token-2",
                "config-timeout_seconds": "30",
                "config-send_read_receipts": None,
            },
        ),
    )
    account.refresh_from_db()
    assert channel_services.account_config(account)["access_token"] == "EAAB-token-2"
    second = AuditEvent.objects.filter(action="profile_changed").order_by("pk").last()
    assert second is not None
    assert second.details["changed"] == {"settings": ["access_token"]}
    everything = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    assert "EAAB" not in everything


def test_saving_without_changes_is_not_audited(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    account = fakebook()
    signed_in("admin").post(f"{STAD}{account.pk}/", edit_form(account))
    assert not AuditEvent.objects.filter(action__startswith="profile_").exists()


def test_a_bad_setting_on_edit_changes_nothing(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    account = fakebook()
    response = signed_in("admin").post(
        f"{STAD}{account.pk}/",
        edit_form(account, name="Nieuw", **{"config-timeout_seconds": "600"}),
    )
    assert response.status_code == 200
    assert response.context["settings_form"].errors == {"timeout_seconds": ["Must be at most 60."]}
    account.refresh_from_db()
    assert account.name == "Fakebook Stad Voorbeeld"


def test_disconnecting_asks_first_and_keeps_everything_readable(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    generic.post(event("e1"))
    process_all()
    case = Case.objects.get()
    client = signed_in("admin")
    url = f"{STAD}{generic.account.pk}/disconnect/"
    assert "Disconnect profile" in client.get(url).content.decode()
    assert ChannelAccount.objects.get(pk=generic.account.pk).is_active
    response = client.post(url)
    assert response.status_code == 302
    account = ChannelAccount.objects.get(pk=generic.account.pk)
    assert not account.is_active
    assert AuditEvent.objects.get(action="profile_disconnected").details == {
        "profile": account.pk,
        "name": account.name,
    }
    from loket.channels import webhooks

    webhooks._accounts.clear()  # the webhook's cache would notice within 30 seconds
    assert generic.post(event("e2")).status_code == 404
    # Its conversations stay: the case and its message are there and readable.
    page = client.get(f"/o/stad-voorbeeld/inbox/{case.number}/").content.decode()
    assert "Wanneer wordt het grof vuil opgehaald?" in page
    assert "Disconnected" in row_of(client.get(STAD).content.decode(), account)


def test_a_disconnected_profile_is_switched_on_again_by_editing(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    account = generic.account
    channel_services.disconnect_profile(account=account, actor=None)
    client = signed_in("admin")
    response = client.post(
        f"{STAD}{account.pk}/",
        {
            "name": account.name,
            "handle": "",
            "purpose": "service",
            "team": str(team("Klantencontactcenter").pk),
            "default_language": "nl",
            "is_active": "on",
            "config-callback_url": "",
            "config-timeout_seconds": "10",
        },
    )
    assert response.status_code == 302
    assert ChannelAccount.objects.get(pk=account.pk).is_active
    assert AuditEvent.objects.filter(action="profile_reconnected").count() == 1


def test_a_profile_of_a_removed_platform_can_still_be_renamed(
    signed_in: Callable[[str], Client],
) -> None:
    account = ChannelAccount.objects.create(
        organisation=organisation(),
        connector="myspace",
        name="MySpace",
        config={"token": {"$sealed": "x"}},
    )
    client = signed_in("admin")
    page = client.get(f"{STAD}{account.pk}/").content.decode()
    assert "not available" in page
    assert "config-" not in page
    response = client.post(
        f"{STAD}{account.pk}/",
        {
            "name": "MySpace (archief)",
            "purpose": "service",
            "default_language": "nl",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "MySpace (archief)"
    assert account.config == {"token": {"$sealed": "x"}}


def test_profile_names_are_shown_inert(
    signed_in: Callable[[str], Client], platform: FakePlatform
) -> None:
    evil = "<script>alert(1)</script>"
    client = signed_in("admin")
    connected = client.post(
        f"{STAD}new/?platform=fakebook", connect_form(name=evil, handle=evil)
    ).content.decode()
    account = ChannelAccount.objects.get(connector="fakebook")
    pages = [
        connected,
        client.get(STAD).content.decode(),
        client.get(f"{STAD}{account.pk}/").content.decode(),
        client.get(f"{STAD}{account.pk}/disconnect/").content.decode(),
        client.post(f"{STAD}{account.pk}/disconnect/", follow=True).content.decode(),
    ]
    for page in pages:
        assert evil not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_web_form_profile_shows_the_address_of_its_form(
    signed_in: Callable[[str], Client],
) -> None:
    account, _ = channel_services.create_account(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        connector="webform",
        name="Contactformulier",
    )
    page = signed_in("admin").get(f"{STAD}{account.pk}/").content.decode()
    assert f"http://testserver/form/{account.public_id}/" in page
    assert "/hooks/webform/" not in page
