"""The demo cast: organisations, teams, people and channel accounts for `make demo` and tests.

Seeding is idempotent: running it again brings everything back to these values without
duplicating anything. The municipalities and their numbers are fictional.

Every demo municipality and the Flemish government get a few generic webhook accounts that
stand in for their Facebook pages, Instagram and website chat; `loket demo simulate` posts
citizen messages to them. Their secrets are only stored encrypted; the simulator reads them
back with `channels.services.account_secret`, which is fine for a demo. Each municipality also
has a real web form profile: its public contact form at `/form/<public_id>/` (fixed ids, see
WEBFORMS).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from loket.channels import selectors as channel_selectors
from loket.channels import services as channel_services
from loket.channels.contracts import Visibility
from loket.tenancy import selectors, services

DEMO_PASSWORD = "demo"  # noqa: S105 - demo mode only, refused elsewhere


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    parent: str | None
    teams: tuple[str, ...]
    kbo_number: str = ""
    nis_code: str = ""
    languages: tuple[str, ...] = ("nl",)
    population: int | None = None
    place: str = ""  # how citizens name it in a message: "Voorbeeld", "Vlaanderen"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str, str | None], ...]  # (organisation, role, team)
    platform_admin: bool = False


@dataclass(frozen=True)
class DemoChannel:
    """A generic webhook account playing the part of one of an organisation's profiles."""

    organisation: str
    name: str
    team: str | None
    # What citizens do there: comment under posts (public), write privately, or both.
    visibilities: tuple[Visibility, ...] = (Visibility.PUBLIC, Visibility.PRIVATE)
    default_language: str = "nl"


ORGANISATIONS = (
    DemoOrganisation(
        "vlaamse-overheid",
        "Vlaamse overheid",
        "flemish_entity",
        None,
        ("Contactcenter 1700", "Webcare Vlaanderen.be"),
        languages=("nl", "fr", "en"),
        place="Vlaanderen",
    ),
    DemoOrganisation(
        "wegen-en-verkeer",
        "Agentschap Wegen en Verkeer",
        "flemish_entity",
        "vlaamse-overheid",
        ("Klantenbeheer",),
        languages=("nl", "fr", "en"),
    ),
    DemoOrganisation(
        "opgroeien",
        "Agentschap Opgroeien",
        "flemish_entity",
        "vlaamse-overheid",
        ("Klantenbeheer", "Groeipakket"),
        languages=("nl", "fr", "en"),
    ),
    DemoOrganisation(
        "stad-voorbeeld",
        "Stad Voorbeeld",
        "municipality",
        "vlaamse-overheid",
        ("Communicatie", "Klantencontactcenter", "Openbaar domein"),
        kbo_number="0245678927",
        nis_code="99001",
        languages=("nl", "fr", "en"),
        population=82_000,
        place="Voorbeeld",
    ),
    DemoOrganisation(
        "rivierdijk",
        "Gemeente Rivierdijk",
        "municipality",
        "vlaamse-overheid",
        ("Communicatie en onthaal",),
        kbo_number="0256789088",
        nis_code="99002",
        population=24_500,
        place="Rivierdijk",
    ),
    DemoOrganisation(
        "heidebeek",
        "Gemeente Heidebeek",
        "municipality",
        "vlaamse-overheid",
        ("Onthaal",),
        kbo_number="0267890145",
        nis_code="99003",
        population=8_700,
        place="Heidebeek",
    ),
)

_PRIVATE_ONLY = (Visibility.PRIVATE,)
CHANNELS = (
    DemoChannel(
        "vlaamse-overheid", "Facebook-pagina Vlaanderen.be (demo)", "Webcare Vlaanderen.be"
    ),
    DemoChannel("vlaamse-overheid", "X @vlaanderen (demo)", "Webcare Vlaanderen.be"),
    DemoChannel(
        "vlaamse-overheid", "Chat Contactcenter 1700 (demo)", "Contactcenter 1700", _PRIVATE_ONLY
    ),
    DemoChannel("stad-voorbeeld", "Facebook-pagina Stad Voorbeeld (demo)", "Communicatie"),
    DemoChannel("stad-voorbeeld", "Instagram Stad Voorbeeld (demo)", "Communicatie"),
    DemoChannel(
        "stad-voorbeeld",
        "Website-chat Stad Voorbeeld (demo)",
        "Klantencontactcenter",
        _PRIVATE_ONLY,
    ),
    DemoChannel(
        "rivierdijk", "Facebook-pagina Gemeente Rivierdijk (demo)", "Communicatie en onthaal"
    ),
    DemoChannel(
        "rivierdijk", "Website-chat Rivierdijk (demo)", "Communicatie en onthaal", _PRIVATE_ONLY
    ),
    DemoChannel("heidebeek", "Facebook-pagina Gemeente Heidebeek (demo)", "Onthaal"),
    DemoChannel("heidebeek", "Contactformulier Heidebeek (demo)", "Onthaal", _PRIVATE_ONLY),
)


@dataclass(frozen=True)
class DemoWebform:
    """A municipality's public contact form (the webform channel), at a fixed address."""

    organisation: str
    name: str
    team: str
    public_id: uuid.UUID


def _demo_form_id(slug: str) -> uuid.UUID:
    # Fixed per organisation, so that the demo's form addresses can be written down.
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://loket.invalid/demo/webform/{slug}")


WEBFORMS = (
    DemoWebform(
        "stad-voorbeeld",
        "Webformulier Stad Voorbeeld (demo)",
        "Klantencontactcenter",
        _demo_form_id("stad-voorbeeld"),
    ),
    DemoWebform(
        "rivierdijk",
        "Webformulier Rivierdijk (demo)",
        "Communicatie en onthaal",
        _demo_form_id("rivierdijk"),
    ),
    DemoWebform(
        "heidebeek", "Webformulier Heidebeek (demo)", "Onthaal", _demo_form_id("heidebeek")
    ),
)
WEBFORM_SETTINGS = {
    "intro_nl": "Stel hier uw vraag aan de gemeente. We antwoorden binnen twee werkdagen.",
    "intro_fr": "Posez ici votre question à la commune. Nous répondons en deux jours ouvrables.",
    "intro_en": "Ask the municipality your question here. We answer within two working days.",
    # The demo runs without a mail server: a confirmation would only fail in the worker.
    "send_confirmation": False,
}

PEOPLE = (
    DemoPerson(
        "admin",
        "Ada",
        "Beheer",
        tuple((organisation.slug, "admin", None) for organisation in ORGANISATIONS),
        platform_admin=True,
    ),
    DemoPerson("anna", "Anna", "Peeters", (("stad-voorbeeld", "agent", "Klantencontactcenter"),)),
    DemoPerson("bram", "Bram", "Janssens", (("stad-voorbeeld", "coordinator", "Communicatie"),)),
    DemoPerson(
        "carla",
        "Carla",
        "Maes",
        (("vlaamse-overheid", "analyst", None), ("opgroeien", "analyst", None)),
    ),
)


def demo_logins() -> list[tuple[str, str]]:
    """(user name, what they are) for the start-up banner and the README."""
    described = []
    for person in PEOPLE:
        roles = ", ".join(f"{role} @ {slug}" for slug, role, _team in person.memberships[:2])
        if person.platform_admin:
            roles = "platform admin, admin of every demo organisation"
        described.append((person.username, roles))
    return described


@transaction.atomic
def seed() -> None:
    if not settings.DEMO_MODE:
        raise RuntimeError("The demo cast is only seeded in demo mode (LOKET_DEMO=1).")
    for item in ORGANISATIONS:
        parent = selectors.organisation_by_slug(item.parent) if item.parent else None
        organisation = services.upsert_organisation(
            slug=item.slug,
            name=item.name,
            kind=item.kind,
            parent=parent,
            kbo_number=item.kbo_number,
            nis_code=item.nis_code,
            languages=item.languages,
            population=item.population,
        )
        existing = {team.name for team in selectors.teams_of(organisation)}
        for team_name in item.teams:
            if team_name not in existing:
                services.save_team(organisation=organisation, name=team_name)
    for person in PEOPLE:
        user = services.upsert_user(
            username=person.username,
            password=DEMO_PASSWORD,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@demo.loket.invalid",
            platform_admin=person.platform_admin,
        )
        for slug, role, team_name_or_none in person.memberships:
            member_of = selectors.organisation_by_slug(slug)
            if member_of is None:
                raise RuntimeError(f"demo cast names an unknown organisation {slug!r}")
            team = (
                selectors.teams_of(member_of).filter(name=team_name_or_none).first()
                if team_name_or_none
                else None
            )
            services.set_membership(organisation=member_of, user=user, role=role, team=team)
    _seed_channels()


def _seed_channels() -> None:
    """Create the demo channel accounts that are missing; an existing name is left alone."""
    for channel in CHANNELS:
        organisation = selectors.organisation_by_slug(channel.organisation)
        if organisation is None:
            raise RuntimeError(
                f"demo channel names an unknown organisation {channel.organisation!r}"
            )
        if channel_selectors.accounts_of(organisation).filter(name=channel.name).exists():
            continue
        team = (
            selectors.teams_of(organisation).filter(name=channel.team).first()
            if channel.team
            else None
        )
        channel_services.create_account(
            organisation=organisation,
            connector="generic",
            name=channel.name,
            team=team,
            default_language=channel.default_language,
        )
    _seed_webforms()


def _seed_webforms() -> None:
    """One public contact form per demo municipality, at /form/<public_id>/."""
    for webform in WEBFORMS:
        organisation = selectors.organisation_by_slug(webform.organisation)
        if organisation is None:
            raise RuntimeError(
                f"demo web form names an unknown organisation {webform.organisation!r}"
            )
        if channel_selectors.accounts_of(organisation).filter(name=webform.name).exists():
            continue
        account, _secret = channel_services.create_account(
            organisation=organisation,
            connector="webform",
            name=webform.name,
            team=selectors.teams_of(organisation).filter(name=webform.team).first(),
            config=WEBFORM_SETTINGS,
        )
        account.public_id = webform.public_id
        account.save(update_fields=["public_id"])
