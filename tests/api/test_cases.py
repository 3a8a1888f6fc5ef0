"""Reading cases and messages through the API: filters, pages, organisation scope, roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, get_args
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from loket.api.schemas import StatusFilter
from loket.inbox.models import Case, CaseStatus, Message
from loket.tenancy.models import User
from tests.api.conftest import STAD

pytestmark = pytest.mark.django_db

ApiAs = Callable[[str], Client]


def all_pages(client: Client, url: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Every item, following `next` links; and the links followed."""
    items: list[dict[str, Any]] = []
    links: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        items.extend(body["items"])
        url = body["next"]
        if url:
            links.append(url)
    return items, links


def test_an_agent_lists_the_open_cases_of_her_organisation(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    body = api_as("anna").get("/api/v1/cases").json()
    assert body["next"] is None
    assert {item["id"] for item in body["items"]} == {case.pk for case in stad_cases}
    newest_first = sorted(stad_cases, key=lambda c: (c.last_activity_at, c.pk), reverse=True)
    assert [item["id"] for item in body["items"]] == [case.pk for case in newest_first]
    first = next(item for item in body["items"] if item["id"] == stad_cases[0].pk)
    assert first["number"] == stad_cases[0].number
    assert first["status"] == "new"
    assert first["channel"]["connector"] == "generic"
    assert first["channel"]["name"] == "Website-chat"
    assert first["team"]["name"] == "Klantencontactcenter"
    assert first["assignee"] is None
    conversation = stad_cases[0].conversations.get()
    assert first["conversations"] == [
        {"id": conversation.pk, "kind": "public_thread", "title": conversation.title}
    ]


def test_filters_work_as_in_the_inbox(api_as: ApiAs, stad_cases: list[Case]) -> None:
    client = api_as("anna")
    anna = User.objects.get(username="anna")
    closed, assigned, urgent = stad_cases[0], stad_cases[1], stad_cases[2]
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED, closing_reason="resolved")
    Case.objects.filter(pk=assigned.pk).update(assignee=anna)
    Case.objects.filter(pk=urgent.pk).update(priority="urgent", topic="afval")

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/v1/cases?{query}")
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    everyone = {case.pk for case in stad_cases}
    assert ids("") == everyone - {closed.pk}
    assert ids("status=all") == everyone
    assert ids("status=closed") == {closed.pk}
    assert ids("assignee=me") == {assigned.pk}
    assert ids("assignee=anna") == {assigned.pk}
    assert ids(f"assignee={anna.pk}") == {assigned.pk}
    assert ids("assignee=none") == everyone - {closed.pk, assigned.pk}
    assert ids("priority=urgent") == {urgent.pk}
    assert ids("topic=afval&priority=urgent") == {urgent.pk}
    assert ids("topic=afval&priority=low") == set()
    assert ids("query=straatlamp") == {stad_cases[1].pk}
    assert ids("language=nl&status=all") == {c.pk for c in stad_cases if c.language == "nl"}
    assert ids(f"channel={stad_cases[0].channel_account_id}") == everyone - {closed.pk}
    assert ids(f"channel={stad_cases[0].channel_account_id + 1000}") == set()
    assert ids(f"team={stad_cases[0].team_id}&status=all") == everyone
    message_type = stad_cases[3].message_type
    assert ids(f"message_type={message_type}&status=all") == {
        c.pk for c in stad_cases if c.message_type == message_type
    }
    Case.objects.filter(pk=stad_cases[4].pk).update(
        first_response_due=timezone.now() - timedelta(hours=1), first_responded_at=None
    )
    Case.objects.exclude(pk=stad_cases[4].pk).update(
        first_response_due=timezone.now() + timedelta(hours=1)
    )
    assert ids("overdue=true") == {stad_cases[4].pk}


def test_malformed_filters_are_refused_with_a_message(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    client = api_as("anna")
    for query in ("status=gesloten", "channel=abc", "team=-1", "overdue=maybe"):
        response = client.get(f"/api/v1/cases?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"][0]["loc"][-1] == query.split("=")[0]
    response = client.get("/api/v1/cases?assignee=nobody")
    assert response.status_code == 400
    assert "nobody" in response.json()["detail"]


def test_the_status_filter_knows_every_status_of_the_inbox() -> None:
    assert set(get_args(StatusFilter)) == {"active", "all", *CaseStatus.values}


def test_pages_cover_every_case_once_and_end_with_null(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    client = api_as("anna")
    # Equal activity times too: the id breaks the tie, so nothing is skipped or repeated.
    Case.objects.filter(pk__in=[c.pk for c in stad_cases[1:4]]).update(
        last_activity_at=stad_cases[0].last_activity_at
    )
    for limit in (1, 2, 3, 5, 500):
        items, links = all_pages(client, f"/api/v1/cases?status=all&limit={limit}")
        ids = [item["id"] for item in items]
        assert len(ids) == len(set(ids)), limit
        assert set(ids) == {case.pk for case in stad_cases}, limit
        assert len(links) == (len(stad_cases) - 1) // limit
        expected = sorted(stad_cases, key=lambda c: (c.last_activity_at, c.pk), reverse=True)
        assert ids == [c.pk for c in expected]


def test_the_next_link_is_absolute_and_keeps_every_filter(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    client = api_as("admin")  # in several organisations: org= is part of the query
    body = client.get(f"/api/v1/cases?org={STAD}&limit=2&status=all&language=nl&query=de").json()
    link = urlsplit(body["next"])
    assert link.scheme == "http"
    assert link.netloc == "testserver"
    assert link.path == "/api/v1/cases"
    query = parse_qs(link.query)
    assert query["org"] == [STAD]
    assert query["limit"] == ["2"]
    assert query["status"] == ["all"]
    assert query["language"] == ["nl"]
    assert query["query"] == ["de"]
    assert len(query["cursor"]) == 1
    following = client.get(body["next"]).json()
    assert {i["id"] for i in following["items"]}.isdisjoint({i["id"] for i in body["items"]})


@pytest.mark.parametrize("limit", ["0", "-1", "501", "100000", "abc"])
def test_limit_must_be_between_1_and_500(api_as: ApiAs, stad_cases: list[Case], limit: str) -> None:
    response = api_as("anna").get(f"/api/v1/cases?limit={limit}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_500_is_a_valid_limit(api_as: ApiAs, stad_cases: list[Case]) -> None:
    assert api_as("anna").get("/api/v1/cases?limit=500").status_code == 200


BAD_CURSORS = [
    "nonsense",
    "bm9uc2Vuc2U",  # base64 of "nonsense"
    "WzEsIDJd",  # [1, 2]
    "WyIyMDI2LTExLTI4VDA5OjAwOjAwKzAwOjAwIiwgIngiXQ",  # id "x"
    "WyIyMDI2LTExLTI4VDA5OjAwOjAwKzAwOjAwIiwgMWUzMF0",  # id 1e30
]
NAIVE_TIME_CURSOR = "WyIyMDI2LTExLTI4VDA5OjAwOjAwIiwgMV0"  # ["2026-11-28T09:00:00", 1]
YEAR_ONE_CURSOR = "WyIwMDAxLTAxLTAxVDAwOjAwOjAwKzA1OjAwIiwgMV0"  # 0001-01-01T00:00+05:00


@pytest.mark.parametrize(
    "cursor",
    [
        # Well-formed, with extreme values: a page (maybe empty), never an error.
        "WyIyMDI2LTExLTI4VDA5OjAwOjAwKzAwOjAwIiwgMTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMF0",
        "WyIyMDI2LTExLTI4VDA5OjAwOjAwKzAwOjAwIiwgLTEwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDBd",
        "WyI5OTk5LTEyLTMxVDIzOjU5OjU5KzAwOjAwIiwgMV0",
    ],
)
def test_extreme_cursors_answer_200_or_400(
    api_as: ApiAs, stad_cases: list[Case], cursor: str
) -> None:
    client = api_as("anna")
    for url in ("/api/v1/cases", f"/api/v1/conversations/{_conversation(stad_cases[0])}/messages"):
        assert client.get(f"{url}?cursor={cursor}").status_code in {200, 400}


@pytest.mark.parametrize(
    "cursor",
    [
        *BAD_CURSORS,
        NAIVE_TIME_CURSOR,
    ],
)
def test_a_bad_case_cursor_is_a_400_with_a_message(
    api_as: ApiAs, stad_cases: list[Case], cursor: str
) -> None:
    response = api_as("anna").get(f"/api/v1/cases?cursor={cursor}")
    assert response.status_code == 400, response.content
    assert "cursor" in response.json()["detail"].lower()


def test_a_case_cursor_with_a_time_out_of_range_is_no_crash(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    response = api_as("anna").get(f"/api/v1/cases?cursor={YEAR_ONE_CURSOR}")
    assert response.status_code in {200, 400}


@pytest.mark.parametrize("cursor", [*BAD_CURSORS, NAIVE_TIME_CURSOR, YEAR_ONE_CURSOR])
def test_a_bad_message_cursor_is_a_400_with_a_message(
    api_as: ApiAs, stad_cases: list[Case], cursor: str
) -> None:
    url = f"/api/v1/conversations/{_conversation(stad_cases[0])}/messages?cursor={cursor}"
    response = api_as("anna").get(url)
    assert response.status_code == 400, response.content
    assert "cursor" in response.json()["detail"].lower()


def _conversation(case: Case) -> int:
    return case.conversations.get().pk


def test_the_case_detail_lists_its_conversations(api_as: ApiAs, stad_cases: list[Case]) -> None:
    case = stad_cases[0]
    response = api_as("anna").get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == case.pk
    assert body["number"] == case.number
    assert body["subject"] == case.subject
    conversation = case.conversations.get()
    assert body["conversations"] == [
        {"id": conversation.pk, "kind": conversation.kind, "title": conversation.title}
    ]
    for key in (
        "closing_reason",
        "priority",
        "message_type",
        "topic",
        "language",
        "sentiment",
        "tags",
        "created_at",
        "last_activity_at",
        "first_response_due",
        "first_responded_at",
    ):
        assert key in body


def test_a_case_spanning_two_conversations_lists_both(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    case, other = stad_cases[0], stad_cases[1]
    both = sorted([_conversation(case), _conversation(other)])
    Message.objects.filter(case=other).update(case=case)
    case.conversations.add(*other.conversations.all())
    body = api_as("anna").get(f"/api/v1/cases/{case.pk}").json()
    assert [c["id"] for c in body["conversations"]] == both


def test_messages_of_a_conversation_carry_id_and_text(
    api_as: ApiAs, stad_cases: list[Case]
) -> None:
    message = Message.objects.get(case=stad_cases[0])
    response = api_as("anna").get(f"/api/v1/conversations/{message.conversation_id}/messages")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    [item] = body["items"]
    assert item["id"] == message.pk
    assert item["text"] == "Wanneer wordt het grof vuil opgehaald in de Kerkstraat?"
    assert item["conversation"] == message.conversation_id
    assert item["direction"] == "inbound"
    assert item["visibility"] == "public"
    assert item["author_name"] == "Citizen-0"
    assert item["delivery_status"] is None
    assert item["sent_at"].startswith("2026-11-28T08:00:00")


def test_messages_page_oldest_first_without_gaps(
    api_as: ApiAs, generic: Any, stad_cases: list[Case]
) -> None:
    from tests.conftest import event, process_all

    for i in range(1, 7):
        generic.post(
            event(
                f"dm-{i}",
                thread="dm-7",
                visibility="private",
                author="jef",
                text=f"Bericht {i} over mijn aanvraag",
                at=f"2026-11-28T10:0{i}:00+01:00",
            )
        )
    process_all()
    conversation = Message.objects.get(external_id="dm-1").conversation_id
    items, links = all_pages(
        api_as("anna"), f"/api/v1/conversations/{conversation}/messages?limit=4"
    )
    assert [item["text"] for item in items] == [
        f"Bericht {i} over mijn aanvraag" for i in range(1, 7)
    ]
    assert len(links) == 1


# Organisations and roles


def test_another_organisations_case_is_not_found(
    api_as: ApiAs, member: Callable[..., str], stad_cases: list[Case], rivierdijk_case: Case
) -> None:
    outsider = api_as(member("agent", "rivierdijk"))
    case = stad_cases[0]
    assert outsider.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert (
        outsider.post(
            f"/api/v1/cases/{case.pk}/replies",
            {"text": "Hallo", "visibility": "public"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert outsider.get(f"/api/v1/conversations/{_conversation(case)}/messages").status_code == 404
    assert outsider.get(f"/api/v1/cases?org={STAD}").status_code == 404
    # Their own list shows only their own case.
    assert [i["id"] for i in outsider.get("/api/v1/cases?status=all").json()["items"]] == [
        rivierdijk_case.pk
    ]
    # Stad Voorbeeld's agent never sees Rivierdijk's case, by list or by id.
    anna = api_as("anna")
    items, _links = all_pages(anna, "/api/v1/cases?status=all&limit=1")
    assert rivierdijk_case.pk not in {item["id"] for item in items}
    assert anna.get(f"/api/v1/cases/{rivierdijk_case.pk}").status_code == 404
    assert anna.get(f"/api/v1/cases/{rivierdijk_case.pk}?org=rivierdijk").status_code == 404


def test_a_member_of_several_organisations_chooses_one(
    api_as: ApiAs, stad_cases: list[Case], rivierdijk_case: Case
) -> None:
    admin = api_as("admin")
    response = admin.get("/api/v1/cases")
    assert response.status_code == 400
    assert "org=" in response.json()["detail"]
    assert "stad-voorbeeld" in response.json()["detail"]
    ids = {i["id"] for i in admin.get(f"/api/v1/cases?org={STAD}").json()["items"]}
    assert ids == {case.pk for case in stad_cases}
    ids = {i["id"] for i in admin.get("/api/v1/cases?org=rivierdijk").json()["items"]}
    assert ids == {rivierdijk_case.pk}
    assert admin.get(f"/api/v1/cases/{rivierdijk_case.pk}?org=rivierdijk").status_code == 200
    assert admin.get(f"/api/v1/cases/{rivierdijk_case.pk}?org={STAD}").status_code == 404
    assert admin.get("/api/v1/cases?org=does-not-exist").status_code == 404


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_roles_without_case_access_get_403(
    api_as: ApiAs, member: Callable[..., str], stad_cases: list[Case], role: str
) -> None:
    client = api_as(member(role))
    case = stad_cases[0]
    for url in (
        "/api/v1/cases",
        f"/api/v1/cases/{case.pk}",
        f"/api/v1/conversations/{_conversation(case)}/messages",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "view_cases" in response.json()["detail"]


def test_the_session_still_works_for_reading(
    signed_in: Callable[[str], Client], stad_cases: list[Case]
) -> None:
    response = signed_in("anna").get("/api/v1/cases")
    assert response.status_code == 200
    assert len(response.json()["items"]) == len(stad_cases)


def test_reading_needs_authentication(client: Client, stad_cases: list[Case]) -> None:
    for url in ("/api/v1/cases", f"/api/v1/cases/{stad_cases[0].pk}"):
        assert client.get(url).status_code == 401
