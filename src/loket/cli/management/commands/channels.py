"""`loket channels …`: profiles from the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from loket.channels import selectors, services
from loket.tenancy import selectors as tenancy_selectors


class Command(BaseCommand):
    help = "Manage channel accounts (profiles)."

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create-generic", help="Create a generic webhook account; prints its id and secret."
        )
        create.add_argument("--org", required=True, help="organisation slug")
        create.add_argument("--name", required=True)
        create.add_argument("--team", default="", help="default team name")
        create.add_argument("--callback-url", default="", help="where replies are POSTed")
        create.add_argument("--language", default="nl", choices=["nl", "fr", "en", "de"])
        webform = actions.add_parser(
            "create-webform",
            help="Create a web form profile; prints its id and the address of its form.",
        )
        webform.add_argument("--org", required=True, help="organisation slug")
        webform.add_argument("--name", required=True)
        webform.add_argument("--team", default="", help="default team name")
        webform.add_argument("--language", default="nl", choices=["nl", "fr", "en"])
        webform.add_argument(
            "--email-required", action="store_true", help="citizens must give an e-mail address"
        )
        webform.add_argument(
            "--no-confirmation", action="store_true", help="send no confirmation e-mail"
        )
        webform.add_argument(
            "--embed-origin",
            action="append",
            default=[],
            help="a website that may embed the form, e.g. https://www.voorbeeld.be (repeatable)",
        )
        webform.add_argument(
            "--base-url", default="", help="Loket's public address, to print the full form URL"
        )
        listing = actions.add_parser("list", help="List the accounts of an organisation.")
        listing.add_argument("--org", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = tenancy_selectors.organisation_by_slug(options["org"])
        if organisation is None:
            raise CommandError(f"no organisation with slug {options['org']!r}")
        if options["action"] == "list":
            for account in selectors.accounts_of(organisation):
                self.stdout.write(f"{account.public_id}  {account.connector:<10} {account.name}")
            return
        team = None
        if options["team"]:
            team = tenancy_selectors.teams_of(organisation).filter(name=options["team"]).first()
            if team is None:
                raise CommandError(f"no team {options['team']!r} in {organisation.slug}")
        if options["action"] == "create-webform":
            self._create_webform(organisation, team, options)
            return
        config = {"callback_url": options["callback_url"]} if options["callback_url"] else {}
        try:
            account, secret = services.create_account(
                organisation=organisation,
                connector="generic",
                name=options["name"],
                team=team,
                config=config,
                default_language=options["language"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(json.dumps({"account_id": str(account.public_id), "secret": secret}))

    def _create_webform(self, organisation: Any, team: Any, options: dict[str, Any]) -> None:
        config = {
            "email_required": options["email_required"],
            "send_confirmation": not options["no_confirmation"],
            "embed_origins": options["embed_origin"],
        }
        try:
            # The form needs no webhook secret; the generated one is never used.
            account, _secret = services.create_account(
                organisation=organisation,
                connector="webform",
                name=options["name"],
                team=team,
                config=config,
                default_language=options["language"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        path = reverse("webform", kwargs={"public_id": account.public_id})
        form_url = options["base_url"].rstrip("/") + path
        self.stdout.write(json.dumps({"account_id": str(account.public_id), "form_url": form_url}))
