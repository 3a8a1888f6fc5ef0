"""`loket tokens …`: personal access tokens for the JSON API.

loket tokens create --user NAME [--name LABEL]   prints the new token, once
loket tokens list --user NAME
loket tokens revoke --id N
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from loket.tenancy import selectors, tokens

if TYPE_CHECKING:
    from loket.tenancy.models import ApiToken


class Command(BaseCommand):
    help = "Manage API tokens: create (prints the token once), list, revoke."

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create", help="Create a token for a user; prints it (it is not shown again)."
        )
        create.add_argument("--user", required=True, help="user name or e-mail address")
        create.add_argument("--name", default="", help="a label, e.g. the integration's name")
        listing = actions.add_parser("list", help="List a user's tokens (never the tokens).")
        listing.add_argument("--user", required=True, help="user name or e-mail address")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id (see `list`).")
        revoke.add_argument("--id", required=True, type=int, dest="token_id")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            token = tokens.token_by_id(options["token_id"])
            if token is None:
                raise CommandError(f"no token with id {options['token_id']}")
            token = tokens.revoke(token=token)
            self.stdout.write(f"revoked token {token.pk} ({token.prefix}…) of {token.user}")
            return
        user = selectors.user_by_username_or_email(options["user"])
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        if action == "create":
            _token, plain = tokens.create_token(user=user, name=options["name"])
            self.stdout.write(plain)
            return
        for token in tokens.tokens_of(user):
            self.stdout.write(
                f"{token.pk:>5}  {token.prefix}…  created {_when(token.created_at)}"
                f"  {_state(token)}  {token.name}".rstrip()
            )


def _when(moment: datetime) -> str:
    return f"{localtime(moment):%Y-%m-%d %H:%M}"


def _state(token: ApiToken) -> str:
    if token.revoked_at:
        return f"revoked {_when(token.revoked_at)}"
    if token.last_used_at:
        return f"last used {_when(token.last_used_at)}"
    return "never used"
