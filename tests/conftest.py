from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from loket.cli import demo_cast
from loket.tenancy.models import User


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
