"""What the X tests share: the documented payloads, settings pointing at a local server, and
an OAuth 1.0a check the way X's side would make it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from werkzeug import Request

from loket.channels.connectors.x.config import XConfig
from loket.channels.connectors.x.signing import oauth1_header

FIXTURES = Path(__file__).parents[1] / "fixtures"
PROFILE_ID = "1650203040506070809"
CONSUMER_SECRET = "consumer-secret-of-the-loket-app"
OAUTH1 = {
    "consumer_key": "loket-consumer-key",
    "access_token": "1650203040506070809-profileaccesstoken",
    "access_token_secret": "profile-token-secret",
}


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture(name))


def settings(base_url: str, **changes: Any) -> XConfig:
    values: dict[str, Any] = {
        "user_id": PROFILE_ID,
        "api_base_url": base_url,
        "user_access_token": "user-context-bearer-token",
        "timeout_seconds": 2,
        **changes,
    }
    return XConfig.model_validate(values)


def oauth1_signature_is_valid(request: Request) -> bool:
    """Recompute the request's signature from what arrived, as X does."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("OAuth "):
        return False
    params = {}
    for part in header[len("OAuth ") :].split(", "):
        key, _, value = part.partition("=")
        params[unquote(key)] = unquote(value.strip('"'))
    query = request.query_string.decode()
    url = request.base_url + (f"?{query}" if query else "")
    expected = oauth1_header(
        method=request.method,
        url=url,
        consumer_key=OAUTH1["consumer_key"],
        consumer_secret=CONSUMER_SECRET,
        token=OAUTH1["access_token"],
        token_secret=OAUTH1["access_token_secret"],
        nonce=params["oauth_nonce"],
        timestamp=int(params["oauth_timestamp"]),
    )
    return expected == header
