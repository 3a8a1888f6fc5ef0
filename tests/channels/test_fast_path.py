"""Webhooks take the short path past the middleware in the WSGI application; same answers."""

from __future__ import annotations

import io
import json
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from loket.channels.connectors.generic.signing import sign
from loket.channels.models import InboundEvent
from loket.wsgi import application
from tests.conftest import GenericAccount, event

pytestmark = pytest.mark.django_db(transaction=True)


def call(
    path: str, body: bytes, *, method: str = "POST", host: str = "127.0.0.1", **headers: str
) -> tuple[int, dict[str, Any]]:
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    environ.update(
        {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "HTTP_HOST": host,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
        }
    )
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        answer["status"] = int(status.split()[0])

    content = b"".join(application(environ, start_response))
    return answer["status"], (json.loads(content) if content.startswith(b"{") else {})


def test_a_signed_event_is_accepted_then_a_duplicate(generic: GenericAccount) -> None:
    body = json.dumps(event("e1")).encode()
    signature = sign(body, generic.secret)
    assert call(generic.url, body, x_loket_signature=signature) == (200, {"status": "accepted"})
    assert call(generic.url, body, x_loket_signature=signature) == (200, {"status": "duplicate"})
    assert InboundEvent.objects.count() == 1


def test_bad_signatures_and_bodies_get_the_same_answers(generic: GenericAccount) -> None:
    body = json.dumps(event("e1")).encode()
    assert call(generic.url, body, x_loket_signature="sha256=00")[0] == 401
    bad = b"{oops"
    assert call(generic.url, bad, x_loket_signature=sign(bad, generic.secret))[0] == 400
    assert call("/hooks/generic/not-an-id", body)[0] == 404
    assert InboundEvent.objects.count() == 0


def test_an_unknown_host_is_refused(generic: GenericAccount) -> None:
    body = json.dumps(event("e1")).encode()
    status, _ = call(
        generic.url, body, host="evil.example", x_loket_signature=sign(body, generic.secret)
    )
    assert status == 400
    assert InboundEvent.objects.count() == 0


def test_other_methods_go_through_django(generic: GenericAccount) -> None:
    assert call(generic.url, b"", method="GET")[0] == 405
