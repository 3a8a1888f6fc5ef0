"""The JSON API: the signed-in user's organisations, nothing of anyone else's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_me_lists_only_the_users_organisations(signed_in: Callable[[str], Client]) -> None:
    body = signed_in("carla").get("/api/v1/me").json()
    assert body["username"] == "carla"
    assert [(o["slug"], o["role"]) for o in body["organisations"]] == [
        ("opgroeien", "analyst"),
        ("vlaamse-overheid", "analyst"),
    ]
    assert body["organisations"][0]["parent"] == "vlaamse-overheid"


def test_the_api_needs_a_session(client: Client) -> None:
    assert client.get("/api/v1/me").status_code == 401


def test_the_openapi_schema_is_published(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
