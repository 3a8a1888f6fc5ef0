"""The organisation pages as their users meet them: what they show, what they refuse."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from loket.tenancy.models import AuditEvent, Membership, Organisation, Team

pytestmark = pytest.mark.django_db


def test_each_role_gets_its_own_start_page(signed_in: Callable[[str], Client]) -> None:
    agent_page = signed_in("anna").get("/o/stad-voorbeeld/").content.decode()
    assert 'id="desk-heading"' in agent_page
    coordinator = signed_in("bram").get("/o/stad-voorbeeld/")
    analyst = signed_in("carla").get("/o/vlaamse-overheid/")
    templates = {coordinator.templates[0].name, analyst.templates[0].name}
    assert templates == {"web/start/coordinator.html", "web/start/analyst.html"}


def test_navigation_shows_only_what_the_role_may_use(signed_in: Callable[[str], Client]) -> None:
    agent_page = signed_in("anna").get("/o/stad-voorbeeld/").content.decode()
    assert "/o/stad-voorbeeld/audit/" not in agent_page
    assert "/o/stad-voorbeeld/details/" not in agent_page
    admin_page = signed_in("admin").get("/o/stad-voorbeeld/").content.decode()
    assert "/o/stad-voorbeeld/audit/" in admin_page


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("anna", "/o/stad-voorbeeld/details/"),
        ("anna", "/o/stad-voorbeeld/audit/"),
        ("anna", "/o/stad-voorbeeld/teams/new/"),
        ("bram", "/o/stad-voorbeeld/details/"),
    ],
)
def test_a_member_without_the_permission_gets_403(
    signed_in: Callable[[str], Client], username: str, url: str
) -> None:
    assert signed_in(username).get(url).status_code == 403


def test_an_agent_cannot_add_members_or_edit_teams_by_posting(
    signed_in: Callable[[str], Client],
) -> None:
    client = signed_in("anna")
    team = Team.objects.get(organisation__slug="stad-voorbeeld", name="Communicatie")
    before = Membership.objects.count()
    assert (
        client.post(
            "/o/stad-voorbeeld/members/", {"username": "carla", "role": "admin"}
        ).status_code
        == 403
    )
    assert client.post(f"/o/stad-voorbeeld/teams/{team.pk}/", {"name": "X"}).status_code == 403
    assert Membership.objects.count() == before
    assert Team.objects.get(pk=team.pk).name == "Communicatie"


def test_a_coordinator_creates_a_team(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("bram")
    response = client.post(
        "/o/stad-voorbeeld/teams/new/", {"name": "Jeugd", "description": "Jeugddienst"}
    )
    assert response.status_code == 302
    assert Team.objects.filter(organisation__slug="stad-voorbeeld", name="Jeugd").exists()


def test_a_duplicate_team_name_is_a_field_error(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("bram").post("/o/stad-voorbeeld/teams/new/", {"name": "communicatie"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_invalid_organisation_details_show_field_errors_and_change_nothing(
    signed_in: Callable[[str], Client],
) -> None:
    response = signed_in("admin").post(
        "/o/stad-voorbeeld/details/",
        {
            "name": "Stad Voorbeeld",
            "kbo_number": "0123.456.789",
            "nis_code": "12",
            "population": "-5",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"nis_code", "languages", "population"} <= set(errors)
    assert 'aria-invalid="true"' in response.content.decode()
    fixed = signed_in("admin").post(
        "/o/stad-voorbeeld/details/",
        {
            "name": "Stad Voorbeeld",
            "kbo_number": "0123.456.789",
            "nis_code": "99001",
            "languages": ["nl"],
        },
    )
    assert "kbo_number" in fixed.context["form"].errors
    assert Organisation.objects.get(slug="stad-voorbeeld").kbo_number == "0245678927"


def test_an_admin_adds_a_member_and_changes_the_role(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("admin")
    added = client.post(
        "/o/stad-voorbeeld/members/", {"username": "CARLA", "role": "viewer", "team": ""}
    )
    assert added.status_code == 302
    membership = Membership.objects.get(organisation__slug="stad-voorbeeld", user__username="carla")
    assert membership.role == "viewer"
    client.post(f"/o/stad-voorbeeld/members/{membership.pk}/", {"role": "analyst", "team": ""})
    membership.refresh_from_db()
    assert membership.role == "analyst"
    change = AuditEvent.objects.get(action="role_changed")
    assert change.actor_username == "admin"
    assert change.details == {"user": "carla", "from": "viewer", "to": "analyst"}


def test_adding_an_unknown_person_is_a_field_error(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("admin").post(
        "/o/stad-voorbeeld/members/", {"username": "niemand", "role": "agent"}
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_a_team_id_from_another_organisation_is_refused(signed_in: Callable[[str], Client]) -> None:
    foreign = Team.objects.filter(organisation__slug="rivierdijk").first()
    assert foreign is not None
    response = signed_in("admin").post(
        "/o/stad-voorbeeld/members/",
        {"username": "carla", "role": "agent", "team": str(foreign.pk)},
    )
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert not Membership.objects.filter(
        organisation__slug="stad-voorbeeld", user__username="carla"
    ).exists()


def test_citizen_like_text_is_escaped_in_pages(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("bram")
    client.post("/o/stad-voorbeeld/teams/new/", {"name": "<script>alert(1)</script>"})
    page = client.get("/o/stad-voorbeeld/teams/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_switching_organisation_goes_to_its_start_page(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("carla")
    response = client.post("/switch/", {"organisation": "opgroeien"})
    assert response["Location"] == "/o/opgroeien/"
    assert client.post("/switch/", {"organisation": "stad-voorbeeld"}).status_code == 404
    assert client.post("/switch/", {"organisation": "../../etc"}).status_code == 404


def test_the_home_page_remembers_the_last_organisation(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("carla")
    client.get("/o/opgroeien/")
    assert client.get("/")["Location"] == "/o/opgroeien/"


def test_the_language_choice_sticks_and_dutch_is_the_default(
    signed_in: Callable[[str], Client],
) -> None:
    client = signed_in("anna")
    assert (
        client.get("/o/stad-voorbeeld/", HTTP_ACCEPT_LANGUAGE="en").headers["Content-Language"]
        == "nl"
    )
    client.post("/language/", {"language": "fr", "next": "/o/stad-voorbeeld/"})
    page = client.get("/o/stad-voorbeeld/")
    assert page.headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in page.content.decode()
    client.post("/language/", {"language": "xx"})
    assert client.get("/o/stad-voorbeeld/").headers["Content-Language"] == "fr"


def test_pages_carry_security_headers(signed_in: Callable[[str], Client]) -> None:
    response = signed_in("anna").get("/o/stad-voorbeeld/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_languages_are_offered_in_their_own_names(signed_in: Callable[[str], Client]) -> None:
    client = signed_in("anna")
    for chosen in ("nl", "fr", "en"):
        client.post("/language/", {"language": chosen})
        page = client.get("/o/stad-voorbeeld/").content.decode()
        assert ">Nederlands<" in page
        assert ">Français<" in page
        assert ">English<" in page
