"""Polling against a local server that answers like `GET /api/v1/notifications`."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from loket.channels.connectors.mastodon.connector import MastodonConnector
from loket.channels.connectors.mastodon.parse import OWN_ACCOUNT_KEY, parse
from loket.channels.connectors.mastodon.poll import MAX_PAGES, PAGE_SIZE, id_order
from loket.channels.contracts import AccountContext, PollResult

NOTIFICATIONS = "/api/v1/notifications"


def mention(number: int) -> dict[str, Any]:
    return {
        "id": str(number),
        "type": "mention",
        "created_at": "2026-11-28T09:15:02.118Z",
        "account": {"id": "77", "username": "jef", "acct": "jef", "display_name": "Jef"},
        "status": {
            "id": str(10_000 + number),
            "created_at": "2026-11-28T09:15:00.940Z",
            "in_reply_to_id": None,
            "visibility": "public",
            "content": f"<p>@stadvoorbeeld Vraag {number} over de afvalkalender</p>",
            "mentions": [{"id": "1", "username": "stadvoorbeeld", "acct": "stadvoorbeeld"}],
        },
    }


class FakeMastodon:
    """The notifications endpoint with Mastodon's paging: newest first; `min_id` gives the
    page immediately newer than the cursor."""

    def __init__(self, server: HTTPServer) -> None:
        self.notifications: list[dict[str, Any]] = []
        self.requests: list[Request] = []
        self.answers: list[Response] = []  # forced answers, used first
        self.remaining = 300
        server.expect_request(NOTIFICATIONS, method="GET").respond_with_handler(self.handle)
        self.url = server.url_for("/")

    def handle(self, request: Request) -> Response:
        self.requests.append(request)
        if self.answers:
            return self.answers.pop(0)
        limit = int(request.args.get("limit", "40"))
        items = sorted(self.notifications, key=lambda n: id_order(n["id"]))
        min_id = request.args.get("min_id")
        if min_id:
            page = [n for n in items if id_order(n["id"]) > id_order(min_id)][:limit]
        else:
            page = items[-limit:]
        return Response(
            json.dumps(list(reversed(page))),
            content_type="application/json",
            headers={"X-RateLimit-Remaining": str(self.remaining)},
        )

    def add(self, first: int, last: int) -> None:
        self.notifications += [mention(number) for number in range(first, last + 1)]


@pytest.fixture
def mastodon(httpserver: HTTPServer) -> FakeMastodon:
    return FakeMastodon(httpserver)


def poll(mastodon: FakeMastodon, cursor: str = "", **changes: Any) -> PollResult:
    config = {
        "instance_url": mastodon.url,
        "access_token": "token-of-stad-voorbeeld",
        "acct": "stadvoorbeeld",
        "account_id": "1",
        **changes,
    }
    return MastodonConnector().poll(
        account=AccountContext(public_id="p1", config=config, secret=""), cursor=cursor
    )


def keys(result: PollResult) -> list[str]:
    return [delivery.key for delivery in result.deliveries]


def test_the_first_poll_takes_the_latest_page_and_keeps_its_place(mastodon: FakeMastodon) -> None:
    mastodon.add(1, 50)
    result = poll(mastodon)
    assert keys(result) == [str(n) for n in range(11, 51)]  # oldest first
    assert result.cursor == "50"
    assert result.auth_error == ""
    first = mastodon.requests[0]
    assert first.headers["Authorization"] == "Bearer token-of-stad-voorbeeld"
    assert first.args.getlist("types[]") == ["mention"]
    assert first.args["limit"] == str(PAGE_SIZE)
    assert first.args["include_filtered"] == "true"
    assert "min_id" not in first.args
    assert mastodon.requests[1].args["min_id"] == "50"


def test_each_notification_is_stored_as_sent_with_the_profile_added(
    mastodon: FakeMastodon,
) -> None:
    mastodon.add(1, 1)
    [delivery] = poll(mastodon).deliveries
    stored = json.loads(delivery.body)
    assert stored[OWN_ACCOUNT_KEY] == {"id": "1", "acct": "stadvoorbeeld"}
    assert {key: value for key, value in stored.items() if key != OWN_ACCOUNT_KEY} == mention(1)
    [message] = parse(delivery.body)
    assert message.text == "Vraag 1 over de afvalkalender"


def test_pages_forward_from_the_cursor_until_nothing_is_left(mastodon: FakeMastodon) -> None:
    mastodon.add(1, 100)
    result = poll(mastodon, cursor="5")
    assert keys(result) == [str(n) for n in range(6, 101)]
    assert result.cursor == "100"
    assert [r.args["min_id"] for r in mastodon.requests] == ["5", "45", "85", "100"]
    assert keys(poll(mastodon, cursor=result.cursor)) == []


def test_a_poll_stops_after_a_number_of_pages_and_the_next_one_goes_on(
    mastodon: FakeMastodon,
) -> None:
    total = MAX_PAGES * PAGE_SIZE + 25
    mastodon.add(1, total)
    first = poll(mastodon, cursor="0")
    assert len(first.deliveries) == MAX_PAGES * PAGE_SIZE
    assert len(mastodon.requests) == MAX_PAGES
    second = poll(mastodon, cursor=first.cursor)
    assert keys(first) + keys(second) == [str(n) for n in range(1, total + 1)]


def test_ids_compare_as_numbers(mastodon: FakeMastodon) -> None:
    mastodon.add(998, 1002)
    result = poll(mastodon, cursor="999")
    assert keys(result) == ["1000", "1001", "1002"]
    assert result.cursor == "1002"


def test_little_rate_limit_left_ends_the_poll_early(mastodon: FakeMastodon) -> None:
    mastodon.add(1, 100)
    mastodon.remaining = 12
    result = poll(mastodon, cursor="0")
    assert (len(result.deliveries), result.cursor) == (40, "40")
    assert len(mastodon.requests) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_is_an_auth_error_and_nothing_moves(
    mastodon: FakeMastodon, status: int
) -> None:
    mastodon.add(1, 60)
    mastodon.answers = [
        Response(
            json.dumps([mention(n) for n in range(40, 0, -1)]), content_type="application/json"
        ),
        Response(json.dumps({"error": "The access token is invalid"}), status=status),
    ]
    result = poll(mastodon, cursor="0")
    assert result.deliveries == ()
    assert result.cursor == "0"
    assert f"HTTP {status}" in result.auth_error
    assert "access token" in result.auth_error


@pytest.mark.parametrize(
    "answer",
    [
        Response("Not Found", status=404),
        Response("", status=301, headers={"Location": "https://elders.example/api/v1/x"}),
    ],
)
def test_a_wrong_server_address_is_a_problem_to_fix(
    mastodon: FakeMastodon, answer: Response
) -> None:
    mastodon.answers = [answer]
    result = poll(mastodon, cursor="7")
    assert (result.cursor, result.deliveries) == ("7", ())
    assert "check the server" in result.auth_error
    assert len(mastodon.requests) == 1  # a redirect is not followed with the token


def test_429_keeps_what_was_fetched_and_nothing_is_lost(mastodon: FakeMastodon) -> None:
    mastodon.add(1, 60)
    page = [mention(n) for n in range(40, 0, -1)]
    mastodon.answers = [
        Response(json.dumps(page), content_type="application/json"),
        Response(
            json.dumps({"error": "Too many requests"}),
            status=429,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-11-28T10:05:00Z"},
        ),
    ]
    result = poll(mastodon, cursor="0")
    assert (len(result.deliveries), result.cursor, result.auth_error) == (40, "40", "")
    assert keys(poll(mastodon, cursor=result.cursor)) == [str(n) for n in range(41, 61)]


@pytest.mark.parametrize(
    "answer",
    [
        Response(json.dumps({"error": "Too many requests"}), status=429),
        Response("Bad gateway", status=502),
        Response("<html>maintenance</html>", status=503),
        Response("{not json", status=200, content_type="application/json"),
        Response(json.dumps({"error": "not a list"}), status=200),
    ],
)
def test_passing_trouble_keeps_the_cursor(mastodon: FakeMastodon, answer: Response) -> None:
    mastodon.add(1, 3)
    mastodon.answers = [answer]
    assert poll(mastodon, cursor="1") == PollResult((), "1")


def test_a_timeout_keeps_the_cursor(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1)
        return Response("[]", content_type="application/json")

    httpserver.expect_request(NOTIFICATIONS).respond_with_handler(slow)
    result = MastodonConnector().poll(
        account=AccountContext(
            public_id="p1",
            config={
                "instance_url": httpserver.url_for("/"),
                "access_token": "t",
                "acct": "stadvoorbeeld",
                "timeout_seconds": 0.2,
            },
            secret="",
        ),
        cursor="12",
    )
    assert result == PollResult((), "12")


def test_a_server_that_ignores_the_cursor_does_not_loop(mastodon: FakeMastodon) -> None:
    page = [mention(n) for n in range(3, 0, -1)]
    mastodon.answers = [
        Response(json.dumps(page), content_type="application/json") for _ in range(MAX_PAGES)
    ]
    result = poll(mastodon, cursor="")
    assert (keys(result), result.cursor) == (["1", "2", "3"], "3")
    assert len(mastodon.requests) == 2


def test_notifications_without_a_usable_id_are_skipped(mastodon: FakeMastodon) -> None:
    odd = [mention(2), {**mention(1), "id": "../1"}, {**mention(3), "id": None}, "x", 7]
    mastodon.answers = [Response(json.dumps(odd), content_type="application/json")]
    assert keys(poll(mastodon, cursor="")) == ["2"]


def test_settings_that_do_not_validate_are_a_problem_to_fix() -> None:
    result = MastodonConnector().poll(
        account=AccountContext(public_id="p1", config={"access_token": "t"}, secret=""),
        cursor="3",
    )
    assert result.cursor == "3"
    assert result.auth_error.startswith("the profile's settings: instance_url")
