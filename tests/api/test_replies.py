"""Replying through the API: an outbound message with its delivery; closed cases need reopen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from loket.channels.models import OutboundDelivery
from loket.inbox.models import Case, CaseStatus, Message
from loket.tenancy.models import User
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db

ApiAs = Callable[[str], Client]


def post_reply(client: Client, case: Case, **body: Any) -> Any:
    return client.post(
        f"/api/v1/cases/{case.pk}/replies",
        {"visibility": "public", **body},
        content_type="application/json",
    )


def outbound() -> Any:
    return Message.objects.filter(direction="outbound")


def test_a_reply_creates_an_outbound_message_and_its_delivery(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    case = stad_cases[0]
    response = post_reply(api_as("anna"), case, text="Het grof vuil wordt maandag opgehaald.")
    assert response.status_code == 201, response.content
    [item] = response.json()
    message = outbound().get()
    assert item["id"] == message.pk
    assert item["text"] == "Het grof vuil wordt maandag opgehaald."
    assert item["direction"] == "outbound"
    assert item["visibility"] == "public"
    assert item["author_name"] == "Anna Peeters"
    assert item["conversation"] == case.conversations.get().pk
    assert item["delivery_status"] in {"queued", "sending", "sent"}
    assert message.case == case
    assert message.author_user is not None
    assert message.author_user.username == "anna"
    delivery = OutboundDelivery.objects.get()
    assert message.delivery == delivery
    assert delivery.message["text"] == "Het grof vuil wordt maandag opgehaald."
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert case.first_responded_at is not None
    # The reply now shows in the conversation, with its delivery status.
    items = (
        api_as("anna")
        .get(f"/api/v1/conversations/{case.conversations.get().pk}/messages")
        .json()["items"]
    )
    assert [i["direction"] for i in items] == ["inbound", "outbound"]
    assert items[1]["delivery_status"] == delivery.status


def test_a_closed_case_answers_409_and_nothing_is_sent(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    case = stad_cases[0]
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closing_reason="resolved")
    response = post_reply(api_as("anna"), case, text="Nog een aanvulling.")
    assert response.status_code == 409
    assert '"reopen": true' in response.json()["detail"]
    assert not outbound().exists()
    assert not OutboundDelivery.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_with_reopen_a_closed_case_is_answered(api_as: ApiAs, stad_cases: list[Case]) -> None:
    case = stad_cases[0]
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closing_reason="resolved")
    response = post_reply(api_as("anna"), case, text="Nog een aanvulling.", reopen=True)
    assert response.status_code == 201, response.content
    assert outbound().count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert case.closing_reason == ""


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"text": "   "}, 400, "text"),
        ({"text": "x" * 5001}, 400, "text"),
        ({"text": "Hallo", "visibility": "secret"}, 422, None),
        ({"visibility": "public"}, 422, None),
        ({"text": "Hallo", "to_message": "abc"}, 422, None),
    ],
)
def test_bad_replies_are_refused_with_a_message(
    api_as: ApiAs, stad_cases: list[Case], body: dict[str, Any], status: int, field: str | None
) -> None:
    response = post_reply(api_as("anna"), stad_cases[0], **body)
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert detail
    if field:
        assert field in response.json()["errors"]
        # In English, whatever the language of the pages.
        assert any(word in detail for word in ("empty", "long"))
    assert not outbound().exists()


def test_visibility_is_required(api_as: ApiAs, stad_cases: list[Case]) -> None:
    response = api_as("anna").post(
        f"/api/v1/cases/{stad_cases[0].pk}/replies",
        {"text": "Hallo"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not outbound().exists()


def test_a_reply_to_one_message_of_a_grouped_case(api_as: ApiAs, generic: GenericAccount) -> None:
    generic.post(
        event("e1", author="a", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?")
    )
    generic.post(
        event("e2", author="b", text="Wanneer wordt grof vuil opgehaald in de Kerkstraat??")
    )
    process_all()
    case = Case.objects.get()
    second = Message.objects.get(external_id="e2")
    response = post_reply(api_as("anna"), case, text="Maandag.", to_message=second.pk)
    assert response.status_code == 201, response.content
    assert outbound().get().in_reply_to_external_id == "e2"

    response = post_reply(api_as("anna"), case, text="Maandag, voor iedereen.", to_all=True)
    assert response.status_code == 201
    assert len(response.json()) == 2
    assert outbound().count() == 3


def test_to_message_must_be_a_message_of_the_case(
    api_as: ApiAs, stad_cases: list[Case], rivierdijk_case: Case
) -> None:
    client = api_as("anna")
    for foreign in (
        Message.objects.get(case=stad_cases[1]),
        Message.objects.get(case=rivierdijk_case),
    ):
        response = post_reply(client, stad_cases[0], text="Hallo", to_message=foreign.pk)
        assert response.status_code == 400
        assert "to_message" in response.json()["detail"]
    assert not outbound().exists()


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_roles_that_do_not_handle_cases_cannot_reply(
    api_as: ApiAs, member: Callable[..., str], stad_cases: list[Case], role: str
) -> None:
    response = post_reply(api_as(member(role)), stad_cases[0], text="Hallo")
    assert response.status_code == 403
    assert "handle_cases" in response.json()["detail"]
    assert not outbound().exists()


def test_a_session_reply_needs_the_csrf_token(stad_cases: list[Case]) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.get(username="anna"))
    refused = post_reply(browser, stad_cases[0], text="Hallo")
    assert refused.status_code == 403
    assert not outbound().exists()
    token = "a" * 32  # what the page's form or meta tag would carry
    browser.cookies["csrftoken"] = token
    accepted = browser.post(
        f"/api/v1/cases/{stad_cases[0].pk}/replies",
        {"text": "Hallo", "visibility": "public"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201, accepted.content
