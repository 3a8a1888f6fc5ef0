"""A PDS in a test's HTTP server that answers the XRPC calls Loket makes, as documented.

It keeps what a real one keeps (sessions, the profile's posts, its notifications) and can
be told to fail: `fail(nsid, status, error, headers=…)` answers the next call of `nsid` with
that error, and `lose_next_answer("com.atproto.repo.createRecord")` stores the record but
answers 500, like a connection that broke after the PDS did the work.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

CITY_DID = "did:plc:stadvoorbeeldq2m4x6k3n5p"
CITY_HANDLE = "stadvoorbeeld.be"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"


def token(kind: str, lifetime: float) -> str:
    """A JWT-shaped token with an `exp` claim (unsigned: only its shape matters here)."""

    def encode(part: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    claims = {"scope": kind, "sub": CITY_DID, "exp": int(time.time() + lifetime), "n": time.time()}
    return f"{encode({'alg': 'ES256K'})}.{encode(claims)}.c2lnbmF0dXJl"


@dataclass
class Call:
    nsid: str
    params: dict[str, list[str]]
    body: Any
    authorization: str


@dataclass
class FakePds:
    access_lifetime: float = 7200.0
    refresh_lifetime: float = 90 * 86400.0
    honour_reasons: bool = True
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Newest first, as listNotifications returns them.
    notifications: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    seen_at: str = ""
    _access: set[str] = field(default_factory=set)
    _refresh: set[str] = field(default_factory=set)
    _failures: dict[str, list[tuple[int, str, dict[str, str]]]] = field(default_factory=dict)
    _lose: set[str] = field(default_factory=set)

    def install(self, server: HTTPServer) -> FakePds:
        server.expect_request(re.compile(r"^/xrpc/.+")).respond_with_handler(self.handle)
        return self

    def fail(
        self, nsid: str, status: int, error: str, headers: dict[str, str] | None = None
    ) -> None:
        self._failures.setdefault(nsid, []).append((status, error, headers or {}))

    def lose_next_answer(self, nsid: str) -> None:
        self._lose.add(nsid)

    def revoke_access_tokens(self) -> None:
        self._access.clear()

    def called(self, nsid: str) -> list[Call]:
        return [call for call in self.calls if call.nsid == nsid]

    # -- the server side ---------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        nsid = request.path.removeprefix("/xrpc/")
        body = request.get_json(silent=True) if request.method == "POST" else None
        params = {key: request.args.getlist(key) for key in request.args}
        self.calls.append(Call(nsid, params, body, request.headers.get("Authorization", "")))
        failures = self._failures.get(nsid)
        if failures:
            status, error, headers = failures.pop(0)
            return _answer({"error": error, "message": f"{error} (test)"}, status, headers)
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if nsid == "com.atproto.server.createSession":
            if body != {"identifier": CITY_HANDLE, "password": APP_PASSWORD}:
                return _answer(
                    {
                        "error": "AuthenticationRequired",
                        "message": "Invalid identifier or password",
                    },
                    401,
                )
            return self._new_session()
        if nsid == "com.atproto.server.refreshSession":
            if bearer not in self._refresh:
                return _answer({"error": "ExpiredToken", "message": "Token has expired"}, 400)
            self._refresh.discard(bearer)
            return self._new_session()
        if bearer not in self._access:
            return _answer({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        handler = getattr(self, "_" + nsid.rsplit(".", 1)[-1], None)
        if handler is None:
            return _answer({"error": "MethodNotImplemented", "message": nsid}, 501)
        answer: Response = handler(params, body)
        if nsid in self._lose:
            self._lose.discard(nsid)
            return _answer(
                {"error": "InternalServerError", "message": "Internal Server Error"}, 500
            )
        return answer

    def _new_session(self) -> Response:
        access = token("com.atproto.appPass", self.access_lifetime)
        refresh = token("com.atproto.refresh", self.refresh_lifetime)
        self._access.add(access)
        self._refresh.add(refresh)
        return _answer(
            {"did": CITY_DID, "handle": CITY_HANDLE, "accessJwt": access, "refreshJwt": refresh}
        )

    def _getRecord(self, params: dict[str, list[str]], body: Any) -> Response:
        rkey = params.get("rkey", [""])[0]
        uri = f"at://{CITY_DID}/app.bsky.feed.post/{rkey}"
        if rkey not in self.records:
            return _answer(
                {"error": "RecordNotFound", "message": f"Could not locate record: {uri}"}, 400
            )
        return _answer({"uri": uri, "cid": f"bafyrei{rkey}", "value": self.records[rkey]})

    def _createRecord(self, params: dict[str, list[str]], body: Any) -> Response:
        rkey = body["rkey"]
        if rkey in self.records:  # what the PDS answers to a key in use
            return _answer(
                {"error": "InternalServerError", "message": "Internal Server Error"}, 500
            )
        self.records[rkey] = body["record"]
        return _answer(
            {
                "uri": f"at://{body['repo']}/{body['collection']}/{rkey}",
                "cid": f"bafyrei{rkey}",
                "validationStatus": "valid",
            }
        )

    def _listNotifications(self, params: dict[str, list[str]], body: Any) -> Response:
        reasons = params.get("reasons", [])
        items = [
            item
            for item in self.notifications
            if not (self.honour_reasons and reasons) or item["reason"] in reasons
        ]
        start = int(params.get("cursor", ["0"])[0])
        limit = int(params.get("limit", ["50"])[0])
        page = items[start : start + limit]
        answer: dict[str, Any] = {"notifications": page, "priority": False}
        if start + limit < len(items):
            answer["cursor"] = str(start + limit)
        return _answer(answer)

    def _updateSeen(self, params: dict[str, list[str]], body: Any) -> Response:
        self.seen_at = body["seenAt"]
        return Response(status=200)


def _answer(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, headers=headers, mimetype="application/json")


def notification(
    number: int,
    *,
    reason: str = "reply",
    indexed_at: str,
    author: str = "did:plc:jefvermeulenk4t7c2w5r3zq",
    text: str = "Wanneer gaat het containerpark weer open?",
) -> dict[str, Any]:
    """A listNotifications item; `number` makes its uri unique."""
    digits = "".join(
        "234567abcdefghijklmnopqrstuvwxyz"[(number >> shift) & 31]
        for shift in (40, 35, 30, 25, 20, 15, 10, 5, 0)
    )
    rkey = f"3lbq{digits}"
    root = {"uri": f"at://{CITY_DID}/app.bsky.feed.post/3lbq5x7kq2c2a", "cid": "bafyreiroot"}
    collection = "app.bsky.feed.post" if reason != "like" else "app.bsky.feed.like"
    record: dict[str, Any] = {"$type": collection, "text": text, "createdAt": indexed_at}
    if reason == "reply":
        record["reply"] = {"root": root, "parent": root}
    return {
        "uri": f"at://{author}/{collection}/{rkey}",
        "cid": f"bafyrei{rkey}",
        "author": {"did": author, "handle": "jefvermeulen.bsky.social"},
        "reason": reason,
        "record": record,
        "isRead": False,
        "indexedAt": indexed_at,
        "labels": [],
    }
