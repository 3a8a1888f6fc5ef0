"""Untrusted query strings: whatever a client sends as filters, the API answers, never 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loket.inbox.models import Case

pytestmark = pytest.mark.django_db

FILTERS = [
    "status",
    "channel",
    "team",
    "assignee",
    "message_type",
    "topic",
    "language",
    "priority",
    "sentiment",
    "overdue",
    "query",
]
PARAMETERS = [*FILTERS, "org", "limit", "cursor"]

# Values that mean something, so the property also walks the paths that filter.
MEANINGFUL = st.sampled_from(
    [
        "active",
        "all",
        "closed",
        "new",
        "me",
        "none",
        "anna",
        "1",
        "0",
        "-1",
        "true",
        "false",
        "nl",
        "question",
        "urgent",
        "stad-voorbeeld",
        "rivierdijk",
        "500",
        "501",
        "9223372036854775807",
        "9223372036854775808",
        "1e3",
        "²",
        "١٢",
        " 1 ",
        "%00",
        "WyIyMDI2LTExLTI4VDA5OjAwOjAwKzAwOjAwIiwgMV0",
    ]
)
VALUES = st.one_of(MEANINGFUL, st.text(max_size=120), st.integers().map(str))
QUERIES = st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=6)
KNOWN = {200, 400, 404, 422}


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=QUERIES)
def test_any_filter_values_get_an_answer_not_a_crash(
    api_as: Callable[[str], Client], stad_cases: list[Case], query: dict[str, str]
) -> None:
    response = api_as("anna").get("/api/v1/cases", query)
    assert response.status_code in KNOWN, (query, response.content)
    body = response.json()
    if response.status_code == 200:
        assert set(body) == {"items", "next"}
        assert {item["id"] for item in body["items"]} <= {case.pk for case in stad_cases}
    else:
        assert body["detail"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.dictionaries(st.sampled_from(["org", "limit", "cursor"]), VALUES, max_size=3))
def test_any_paging_values_on_messages_get_an_answer(
    api_as: Callable[[str], Client], stad_cases: list[Case], query: dict[str, str]
) -> None:
    conversation = stad_cases[0].conversations.get().pk
    response = api_as("anna").get(f"/api/v1/conversations/{conversation}/messages", query)
    assert response.status_code in KNOWN, (query, response.content)
