"""The connector's settings and what it says it can do."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from loket.channels.connectors.mastodon.config import MastodonConfig
from loket.channels.connectors.mastodon.connector import MastodonConnector
from loket.channels.contracts import IdentityScope

BASE = {"instance_url": "https://stadvoorbeeld.example", "access_token": "t"}


@pytest.mark.parametrize(
    ("given", "acct"),
    [
        ("stadvoorbeeld", "stadvoorbeeld"),
        ("@stadvoorbeeld", "stadvoorbeeld"),
        (" @stadvoorbeeld@stadvoorbeeld.example ", "stadvoorbeeld"),
    ],
)
def test_the_profile_is_known_by_its_username(given: str, acct: str) -> None:
    assert MastodonConfig.model_validate({**BASE, "acct": given}).acct == acct


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({}, "username"),  # neither acct nor account id
        ({"acct": "stad", "instance_url": "http://stadvoorbeeld.example"}, "https"),
        ({"acct": "stad", "account_id": "1/../2"}, "account_id"),
        ({"acct": "stad", "api_key": "x"}, "api_key"),
        ({"acct": "stad", "reply_visibility": "direct"}, "reply_visibility"),
    ],
)
def test_settings_that_are_refused(changes: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        MastodonConfig.model_validate({**BASE, **changes})


def test_plain_http_is_allowed_to_this_machine_only() -> None:
    config = MastodonConfig.model_validate(
        {**BASE, "instance_url": "http://127.0.0.1:3000/", "account_id": "42"}
    )
    assert config.api_base == "http://127.0.0.1:3000"


def test_the_capabilities_leave_room_for_the_mention() -> None:
    capabilities = MastodonConnector.capabilities
    assert capabilities.max_length == 500 - len("@") - 30 - len(" ")
    assert capabilities.private_reply_to_public
    assert capabilities.private_reply_window is None
    assert not capabilities.moderation
    assert not capabilities.attachments
    assert capabilities.identity_scope is IdentityScope.ACCOUNT


def test_nothing_posted_to_the_hook_is_from_mastodon() -> None:
    assert not MastodonConnector().verify(headers={"X-Hub-Signature": "x"}, body=b"{}", secret="s")
