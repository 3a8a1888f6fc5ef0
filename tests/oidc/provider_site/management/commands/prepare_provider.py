"""Prepare the test provider's database: tables, a signing key, Loket's client, people.

Reads a JSON specification (path as the only argument):

    {"client": {"client_id": ..., "client_secret": ..., "redirect_uri": ...},
     "password": ...,
     "users": [{"username": ..., "email": ..., "first_name": ..., "last_name": ...,
                "email_verified": true | false | null}]}

and prints, as JSON, the subject (`sub`) the provider gives each user name and the key id
(`kid`) of its signing key.
"""

import io
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oidc_provider import settings as oidc_settings
from oidc_provider.models import Client, ResponseType, RSAKey

from ...claims import EMAIL_UNVERIFIED_GROUP, EMAIL_VERIFIED_GROUP


class Command(BaseCommand):
    help = "Create the provider's tables, RSA key, OIDC client and users from a JSON spec."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("spec", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        spec = json.loads(options["spec"].read_text(encoding="utf-8"))
        call_command("migrate", verbosity=0, interactive=False)

        key_output = io.StringIO()
        call_command("creatersakey", stdout=key_output)
        # creatersakey reports its own failures on stdout instead of raising.
        key = RSAKey.objects.last()
        if key is None:
            raise CommandError(f"creatersakey made no key: {key_output.getvalue()}")

        with transaction.atomic():
            self._create_client(spec["client"])
            subjects = self._create_users(spec["users"], spec["password"])
        self.stdout.write(json.dumps({"subjects": subjects, "key_id": key.kid}))

    def _create_client(self, wanted: dict[str, str]) -> None:
        client = Client.objects.create(
            name="Loket",
            client_type="confidential",
            client_id=wanted["client_id"],
            client_secret=wanted["client_secret"],
            jwt_alg="RS256",
            require_consent=False,
            reuse_consent=True,
            _redirect_uris=wanted["redirect_uri"],
        )
        client.response_types.add(ResponseType.objects.get(value="code"))

    def _create_users(self, people: list[dict[str, Any]], password: str) -> dict[str, str]:
        verified = Group.objects.create(name=EMAIL_VERIFIED_GROUP)
        unverified = Group.objects.create(name=EMAIL_UNVERIFIED_GROUP)
        make_subject = oidc_settings.get("OIDC_IDTOKEN_SUB_GENERATOR", import_str=True)
        subjects = {}
        for person in people:
            user = get_user_model().objects.create_user(
                person["username"],
                email=person["email"],
                password=password,
                first_name=person["first_name"],
                last_name=person["last_name"],
            )
            if person["email_verified"] is True:
                user.groups.add(verified)
            elif person["email_verified"] is False:
                user.groups.add(unverified)
            subjects[user.get_username()] = str(make_subject(user=user))
        return subjects
