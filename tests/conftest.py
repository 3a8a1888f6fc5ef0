from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from loket.channels import services as channel_services
from loket.channels.connectors.generic.signing import sign
from loket.channels.models import ChannelAccount
from loket.cli import demo_cast
from loket.tenancy.models import Organisation, Team, User


@pytest.fixture
def cast(db: None) -> None:
    """The demo cast: the same organisations, teams and people as `make demo`."""
    demo_cast.seed()


@pytest.fixture
def signed_in(client: Client, cast: None) -> Callable[[str], Client]:
    """Sign a demo person in on the test client, bypassing the login form."""

    def sign_in(username: str) -> Client:
        client.force_login(User.objects.get(username=username))
        return client

    return sign_in


@dataclass
class GenericAccount:
    """A generic webhook account of Stad Voorbeeld, and a way to post signed events to it."""

    account: ChannelAccount
    secret: str
    client: Client

    @property
    def url(self) -> str:
        return f"/hooks/generic/{self.account.public_id}"

    def post(self, payload: dict[str, Any] | bytes, *, secret: str | None = None) -> Any:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return self.client.post(
            self.url,
            data=body,
            content_type="application/json",
            headers={"X-Loket-Signature": sign(body, self.secret if secret is None else secret)},
        )


def event(
    event_id: str,
    *,
    thread: str = "post-1",
    author: str = "citizen-1",
    text: str = "Wanneer wordt het grof vuil opgehaald?",
    visibility: str = "public",
    at: str = "2026-11-28T09:00:00+01:00",
    in_reply_to: str | None = None,
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "thread_id": thread,
        "visibility": visibility,
        "author": {"id": author, "name": author.title()},
        "text": text,
        "created_at": at,
        "in_reply_to": in_reply_to,
    }


@pytest.fixture
def generic(cast: None) -> GenericAccount:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    team = Team.objects.get(organisation=organisation, name="Klantencontactcenter")
    account, secret = channel_services.create_account(
        organisation=organisation, connector="generic", name="Website-chat", team=team
    )
    return GenericAccount(account=account, secret=secret, client=Client())


@pytest.fixture(autouse=True)
def _forget_cached_accounts() -> None:
    """Each test starts without what the webhook remembers from an earlier test: cached
    accounts, and a drain task it saw waiting."""
    from loket.channels import webhooks
    from loket.inbox import tasks

    webhooks._accounts.clear()
    tasks._memo.reset()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Cached inbox counts of one test never show up in another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def process_all() -> int:
    """Turn every pending delivery into messages and cases, as the worker would."""
    from loket.channels.models import InboundEvent
    from loket.inbox import intake

    pending = InboundEvent.objects.filter(status="pending").order_by("pk")
    return sum(intake.process_event(pk) for pk in pending.values_list("pk", flat=True))
