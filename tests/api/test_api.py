"""The JSON API: the signed-in user's organisations, nothing of anyone else's; its schema."""

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


def test_me_and_organisations_work_with_a_token(api_as: Callable[[str], Client]) -> None:
    client = api_as("carla")
    assert client.get("/api/v1/me").json()["username"] == "carla"
    assert client.get("/api/v1/organisations/opgroeien").json()["role"] == "analyst"
    assert client.get("/api/v1/organisations/stad-voorbeeld").status_code == 404
    assert client.get("/api/v1/organisations/%00").status_code in {404, 422}


def test_the_api_needs_a_session_or_a_token(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="loket"'
    assert "Bearer" in response.json()["detail"]
    assert client.get("/api/v1/me", headers={"Authorization": "Basic YTpi"}).status_code == 401


def test_the_openapi_schema_is_published(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {
        ("/api/v1/me", "get"),
        ("/api/v1/organisations/{slug}", "get"),
        ("/api/v1/cases", "get"),
        ("/api/v1/cases/{id}", "get"),
        ("/api/v1/conversations/{id}/messages", "get"),
        ("/api/v1/cases/{id}/replies", "post"),
    } <= {(path, method) for path, item in schema["paths"].items() for method in item}
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["BrowserSession"]["in"] == "cookie"
    listing = schema["paths"]["/api/v1/cases"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"org", "limit", "cursor", "status", "assignee", "overdue", "query"} <= names
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")["schema"]
    assert (limit["minimum"], limit["maximum"]) == (1, 500)
    reply = schema["paths"]["/api/v1/cases/{id}/replies"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(reply["responses"])
