"""Meta's hub.challenge verification request."""

from __future__ import annotations

import pytest

from loket.channels.connectors.meta_common.handshake import answer

TOKEN = "stad-voorbeeld-webhook-2026"


def test_a_subscribe_with_our_token_gets_the_bare_challenge() -> None:
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": TOKEN}
    reply = answer(query=query, verify_token=TOKEN)
    assert reply is not None
    assert (reply.status, reply.body, reply.content_type) == (200, "1158201444", "text/plain")


@pytest.mark.parametrize(
    ("query", "token"),
    [
        ({"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": "raden"}, TOKEN),
        ({"hub.mode": "subscribe", "hub.challenge": "1"}, TOKEN),
        ({"hub.mode": "unsubscribe", "hub.challenge": "1", "hub.verify_token": TOKEN}, TOKEN),
        ({"hub.mode": "subscribe", "hub.verify_token": TOKEN}, TOKEN),
        ({"hub.mode": "subscribe", "hub.challenge": "9" * 300, "hub.verify_token": TOKEN}, TOKEN),
        # A profile without a verify token never answers a challenge, not even an empty one.
        ({"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": ""}, ""),
    ],
)
def test_anything_else_with_hub_mode_is_403(query: dict[str, str], token: str) -> None:
    reply = answer(query=query, verify_token=token)
    assert reply is not None
    assert reply.status == 403
    assert "1" not in reply.body


def test_a_request_without_hub_mode_is_not_a_verification() -> None:
    assert answer(query={"hub.challenge": "1"}, verify_token=TOKEN) is None
    assert answer(query={}, verify_token=TOKEN) is None
