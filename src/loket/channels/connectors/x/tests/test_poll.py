"""Polling mentions and DMs against a local server that answers like X's documented endpoints."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from loket.channels.connectors.x.connector import XConnector
from loket.channels.connectors.x.parse import parse
from loket.channels.connectors.x.poll import Cursor
from loket.channels.connectors.x.tests.helpers import (
    CONSUMER_SECRET,
    OAUTH1,
    PROFILE_ID,
    fixture_json,
    oauth1_signature_is_valid,
)
from loket.channels.contracts import AccountContext, ConversationKind, PollResult

MENTIONS = f"/2/users/{PROFILE_ID}/mentions"
DM_EVENTS = "/2/dm_events"
NEWEST_MENTION = "2126678748165050983"
NEWEST_DM = "2126677489873850984"


def poll(httpserver: HTTPServer, cursor: str = "", **config: Any) -> PollResult:
    settings = {
        "user_id": PROFILE_ID,
        "mode": "polling",
        "api_base_url": httpserver.url_for("/").rstrip("/"),
        "user_access_token": "user-context-bearer-token",
        "timeout_seconds": 2,
        **config,
    }
    account = AccountContext(public_id="p1", config=settings, secret=CONSUMER_SECRET)
    return XConnector().poll(account=account, cursor=cursor)


def cursor(mentions: str = "", dms: str = "") -> str:
    return Cursor(mentions_since_id=mentions, newest_dm_event_id=dms).dump()


def requests_to(httpserver: HTTPServer, path: str) -> list[Request]:
    return [request for request, _response in httpserver.log if request.path == path]


def limited(reset_in: int = 600) -> Callable[[Request], Response]:
    def answer(_request: Request) -> Response:
        return Response(
            json.dumps(fixture_json("error__too_many_requests")),
            status=429,
            headers={
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(time.time()) + reset_in),
            },
            content_type="application/json",
        )

    return answer


def test_a_webhook_profile_is_not_polled(httpserver: HTTPServer) -> None:
    result = poll(httpserver, "kept as it was", mode="webhook")
    assert result == PollResult(deliveries=(), cursor="kept as it was")
    assert httpserver.log == []


def test_the_first_poll_takes_the_latest_mentions_and_dms(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS, method="GET").respond_with_json(
        fixture_json("users_mentions__page")
    )
    httpserver.expect_request(DM_EVENTS, method="GET").respond_with_json(
        fixture_json("dm_events__page")
    )
    result = poll(httpserver)
    assert result.auth_error == ""
    assert [d.key for d in result.deliveries] == [
        "2126678748165050983",
        "2126677489873850983",
        "2126677489873850984",
        "2126647290885050983",
    ]
    assert Cursor.load(result.cursor) == Cursor(NEWEST_MENTION, NEWEST_DM)
    [mentions_request] = requests_to(httpserver, MENTIONS)
    assert "since_id" not in mentions_request.args
    assert "conversation_id" in mentions_request.args["tweet.fields"]
    assert mentions_request.args["expansions"] == "author_id,attachments.media_keys"
    assert mentions_request.headers["Authorization"] == "Bearer user-context-bearer-token"
    [dm_request] = requests_to(httpserver, DM_EVENTS)
    assert dm_request.args["event_types"] == "MessageCreate"


def test_polled_items_parse_like_webhook_deliveries(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json(fixture_json("users_mentions__page"))
    httpserver.expect_request(DM_EVENTS).respond_with_json(fixture_json("dm_events__page"))
    messages = [parse(d.body)[0] for d in poll(httpserver).deliveries]
    new_mention, reply, dm, own_dm = messages
    assert new_mention.thread_id == new_mention.external_id
    assert new_mention.author.name == "Samira Bouzian (@samira_b)"
    # A reply deep in a conversation threads under the conversation's root post.
    assert reply.thread_id == "2126605767275450983"
    assert reply.in_reply_to == "2126617721041850983"
    assert reply.attachments[0].url == "https://pbs.example.com/media/lamp-nummer-20.jpg"
    assert dm.kind is ConversationKind.PRIVATE
    assert dm.thread_id == "dm:88112233-1650203040506070809"
    assert not dm.is_echo
    assert own_dm.is_echo  # the profile's own DM shows up in the list too
    # Each stored item carries only the user and media it needs.
    stored = json.loads(poll(httpserver).deliveries[1].body)
    assert stored["for_user_id"] == PROFILE_ID
    assert [u["id"] for u in stored["includes"]["users"]] == ["88112233"]


def test_later_polls_ask_only_for_what_is_new(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json({"meta": {"result_count": 0}})
    httpserver.expect_request(DM_EVENTS).respond_with_json(fixture_json("dm_events__page"))
    start = cursor(NEWEST_MENTION, NEWEST_DM)
    result = poll(httpserver, start)
    assert result.deliveries == ()
    assert result.cursor == start
    [mentions_request] = requests_to(httpserver, MENTIONS)
    assert mentions_request.args["since_id"] == NEWEST_MENTION


def test_every_page_since_the_cursor_is_read(httpserver: HTTPServer) -> None:
    def mentions(request: Request) -> Response:
        page = fixture_json("users_mentions__page")
        if "pagination_token" not in request.args:
            page["data"] = page["data"][:1]
            page["meta"]["next_token"] = "7140dibdnow9c7btw4b5edklhurjm1cm8jsgxfkpvrd0"
        else:
            assert (
                request.args["pagination_token"] == "7140dibdnow9c7btw4b5edklhurjm1cm8jsgxfkpvrd0"
            )
            page["data"] = page["data"][1:]
            page["meta"] = {"result_count": 1}
        return Response(json.dumps(page), content_type="application/json")

    httpserver.expect_request(MENTIONS).respond_with_handler(mentions)
    result = poll(httpserver, cursor("2126605767275450983", NEWEST_DM), poll_direct_messages=False)
    assert [d.key for d in result.deliveries] == ["2126678748165050983", "2126677489873850983"]
    assert Cursor.load(result.cursor).mentions_since_id == NEWEST_MENTION
    assert requests_to(httpserver, DM_EVENTS) == []


def test_dms_are_read_until_one_seen_before(httpserver: HTTPServer) -> None:
    def events(request: Request) -> Response:
        page = fixture_json("dm_events__page")
        if "pagination_token" not in request.args:
            page["data"] = [
                {**page["data"][0], "id": "2126680000000000001", "text": "Nog een vraag."}
            ]
            page["meta"]["next_token"] = "18LAA581J5II7LA00Z"
        return Response(json.dumps(page), content_type="application/json")

    httpserver.expect_request(DM_EVENTS).respond_with_handler(events)
    result = poll(httpserver, cursor(dms="2126647290885050983"), poll_mentions=False)
    # Page two starts with the DM seen before: reading stops there.
    assert [d.key for d in result.deliveries] == ["2126680000000000001", NEWEST_DM]
    assert Cursor.load(result.cursor).newest_dm_event_id == "2126680000000000001"
    assert len(requests_to(httpserver, DM_EVENTS)) == 2


def test_a_rate_limit_keeps_the_cursor_and_loses_nothing(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS).respond_with_handler(limited())
    httpserver.expect_request(DM_EVENTS).respond_with_handler(limited())
    start = cursor("2126605767275450983", "2126647290885050983")
    assert poll(httpserver, start) == PollResult(deliveries=(), cursor=start)


def test_a_rate_limit_on_one_timeline_lets_the_other_go_on(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS).respond_with_handler(limited())
    httpserver.expect_request(DM_EVENTS).respond_with_json(fixture_json("dm_events__page"))
    result = poll(httpserver, cursor("2126605767275450983", "2126647290885050983"))
    assert [d.key for d in result.deliveries] == [NEWEST_DM]
    assert Cursor.load(result.cursor) == Cursor("2126605767275450983", NEWEST_DM)


def test_a_rate_limit_on_a_later_page_keeps_the_cursor(httpserver: HTTPServer) -> None:
    def mentions(request: Request) -> Response:
        if "pagination_token" in request.args:
            return limited()(request)
        page = fixture_json("users_mentions__page")
        page["meta"]["next_token"] = "next"
        return Response(json.dumps(page), content_type="application/json")

    httpserver.expect_request(MENTIONS).respond_with_handler(mentions)
    start = cursor("2126605767275450983", "")
    result = poll(httpserver, start, poll_direct_messages=False)
    # Nothing delivered, the same position: the next poll reads both pages again.
    assert result == PollResult(deliveries=(), cursor=start)


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_keeps_the_cursor(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json(
        fixture_json("error__service_unavailable"), status=status
    )
    httpserver.expect_request(DM_EVENTS).respond_with_json({}, status=status)
    start = cursor("2126605767275450983", "2126647290885050983")
    assert poll(httpserver, start) == PollResult(deliveries=(), cursor=start)


def test_an_expired_token_is_an_auth_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json(
        fixture_json("error__unauthorized"), status=401
    )
    start = cursor("2126605767275450983", "")
    result = poll(httpserver, start)
    assert result.deliveries == ()
    assert result.cursor == start
    assert result.auth_error.startswith("X answered 401: Unauthorized")


def test_missing_dm_access_is_an_auth_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json(fixture_json("users_mentions__page"))
    httpserver.expect_request(DM_EVENTS).respond_with_json(
        {"title": "Forbidden", "detail": "This app is not permitted to read Direct Messages."},
        status=403,
    )
    result = poll(httpserver)
    assert result.deliveries == ()
    assert "403" in result.auth_error
    assert "scopes" in result.auth_error


def test_a_position_x_refuses_starts_that_timeline_afresh(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json(
        {"title": "Invalid Request", "detail": "since_id is too old"}, status=400
    )
    result = poll(httpserver, cursor("1", ""), poll_direct_messages=False)
    assert Cursor.load(result.cursor).mentions_since_id == ""


def test_x_out_of_reach_keeps_the_cursor() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    account = AccountContext(
        public_id="p1",
        config={
            "user_id": PROFILE_ID,
            "mode": "polling",
            "api_base_url": f"http://127.0.0.1:{port}",
            "user_access_token": "t",
        },
        secret="",
    )
    start = cursor("2126605767275450983", "2126647290885050983")
    assert XConnector().poll(account=account, cursor=start) == PollResult((), start)


def test_a_garbled_cursor_polls_as_the_first_time(httpserver: HTTPServer) -> None:
    httpserver.expect_request(MENTIONS).respond_with_json(fixture_json("users_mentions__page"))
    result = poll(httpserver, "{not json", poll_direct_messages=False)
    assert len(result.deliveries) == 2
    assert "since_id" not in requests_to(httpserver, MENTIONS)[0].args


def test_polling_with_oauth1_signs_the_query(httpserver: HTTPServer) -> None:
    def checked(request: Request) -> Response:
        if not oauth1_signature_is_valid(request):
            return Response("{}", status=401, content_type="application/json")
        return Response(
            json.dumps(fixture_json("users_mentions__page")), content_type="application/json"
        )

    httpserver.expect_request(MENTIONS).respond_with_handler(checked)
    result = poll(
        httpserver,
        cursor("2126605767275450983", ""),
        user_access_token=None,
        poll_direct_messages=False,
        **OAUTH1,
    )
    assert result.auth_error == ""
    assert len(result.deliveries) == 2


def test_broken_settings_are_reported_not_raised() -> None:
    account = AccountContext(public_id="p1", config={"mode": "polling"}, secret="")
    result = XConnector().poll(account=account, cursor="c")
    assert result.cursor == "c"
    assert result.auth_error.startswith("X settings: user_id")
