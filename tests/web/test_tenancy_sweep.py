"""Every organisation-scoped URL, visited by someone of another organisation, answers 404.

The URLs are read from the URL configuration, so a new page is swept without editing this
test; a page with a new kind of object id makes `object_ids` fail until it is taught.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from loket.channels.models import ChannelAccount
from loket.inbox.models import Case, Contact, Notification, NotificationKind, SavedView
from loket.tenancy.models import Membership, Organisation, Team

pytestmark = pytest.mark.django_db


def organisation_patterns() -> Iterator[tuple[str, list[str]]]:
    """(url name, its parameters other than org_slug) for every page under /o/<slug>/."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif pattern.name:
                yield pattern.name, route

    for name, route in walk(get_resolver().url_patterns, ""):
        if "<slug:org_slug>" in route:
            parameters = [part.split(":")[1].rstrip(">/") for part in route.split("<")[1:]]
            yield name, [p.split(">")[0] for p in parameters if not p.startswith("org_slug")]


def object_ids(organisation: Organisation) -> dict[str, int]:
    return {
        # Case numbers are per organisation; the page answers 404 before looking one up.
        "number": 1,
        "team_id": Team.objects.filter(organisation=organisation).first().pk,  # type: ignore[union-attr]
        "membership_id": Membership.objects.filter(organisation=organisation).first().pk,  # type: ignore[union-attr]
        "contact_id": _a_contact(organisation),
        "view_id": SavedView.objects.get_or_create(
            organisation=organisation, owner=None, name="Dringend", filters={"priority": "urgent"}
        )[0].pk,
        "notification_id": _a_notification(organisation),
        "account_id": ChannelAccount.objects.filter(organisation=organisation)[0].pk,
    }


def _a_contact(organisation: Organisation) -> int:
    contact, _ = Contact.objects.get_or_create(organisation=organisation, display_name="Burger")
    return contact.pk


def _a_notification(organisation: Organisation) -> int:
    """A notification of the organisation's first member, about a case of its own."""
    case, _ = Case.objects.get_or_create(
        organisation=organisation,
        number=999,
        defaults={"channel_account": ChannelAccount.objects.filter(organisation=organisation)[0]},
    )
    member = Membership.objects.filter(organisation=organisation).order_by("pk")[0]
    notification, _ = Notification.objects.get_or_create(
        organisation=organisation,
        recipient=member.user,
        kind=NotificationKind.URGENT_CASE,
        case=case,
        cause="case",
    )
    return notification.pk


def urls_of(organisation: Organisation, ids_from: Organisation | None = None) -> list[str]:
    ids = object_ids(ids_from or organisation)
    urls = []
    for name, parameters in organisation_patterns():
        missing = [p for p in parameters if p not in ids]
        assert not missing, f"teach object_ids about {missing} (url {name})"
        kwargs = {"org_slug": organisation.slug, **{p: ids[p] for p in parameters}}
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def test_the_sweep_covers_the_organisation_pages(cast: None) -> None:
    names = {name for name, _ in organisation_patterns()}
    assert {"organisation-start", "team-detail", "member-detail", "audit-log"} <= names
    assert {"profile-list", "profile-edit", "profile-disconnect", "inbox-moderate"} <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_pages_answer_404(
    signed_in: Callable[[str], Client], method: str
) -> None:
    # carla is analyst at the Flemish government and Opgroeien, not at Stad Voorbeeld.
    client = signed_in("carla")
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    for url in urls_of(stad):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"
        assert b"Stad Voorbeeld" not in response.content


def test_another_organisations_objects_under_ones_own_organisation_answer_404(
    signed_in: Callable[[str], Client],
) -> None:
    # admin of Stad Voorbeeld may see every page of it, but not Rivierdijk's team or member ids.
    client = signed_in("admin")
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    rivierdijk = Organisation.objects.get(slug="rivierdijk")
    own_pages_with_foreign_ids = [
        url for url in urls_of(stad, ids_from=rivierdijk) if url not in urls_of(stad)
    ]
    assert own_pages_with_foreign_ids
    for url in own_pages_with_foreign_ids:
        # POST-only actions answer 405 to a GET before looking anything up: no leak either.
        assert client.get(url).status_code in {404, 405}, url
        posted = client.post(url, {"name": "Gekaapt", "role": "admin"})
        assert posted.status_code in {404, 405}, url  # 405: a read-only page, nothing looked up
    assert not Team.objects.filter(name="Gekaapt").exists()


def test_an_unknown_organisation_looks_the_same_as_a_forbidden_one(
    signed_in: Callable[[str], Client],
) -> None:
    client = signed_in("anna")
    forbidden = client.get("/o/vlaamse-overheid/")
    unknown = client.get("/o/bestaat-niet/")
    assert forbidden.status_code == unknown.status_code == 404

    def normalised(content: bytes, slug: bytes) -> bytes:
        # Only per-response tokens and the page's own address (language form) may differ.
        content = re.sub(rb'(nonce|value)="[A-Za-z0-9_-]{20,}"', b"", content)
        return content.replace(slug, b"SLUG")

    assert normalised(forbidden.content, b"vlaamse-overheid") == normalised(
        unknown.content, b"bestaat-niet"
    )


def test_the_api_answers_404_for_another_organisation(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("anna")
    assert client.get("/api/v1/organisations/vlaamse-overheid").status_code == 404
    mine = client.get("/api/v1/organisations/stad-voorbeeld")
    assert mine.status_code == 200
    assert mine.json()["role"] == "agent"


def test_signed_out_visitors_are_sent_to_the_login_page(cast: None, client: Client) -> None:
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    for url in urls_of(stad):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
