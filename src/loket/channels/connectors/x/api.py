"""Calls to X's v2 API with the profile's user context, and what X's answers mean."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode

import requests
import urllib3

from loket.channels.connectors.x.config import XConfig
from loket.channels.connectors.x.signing import oauth1_header

USER_AGENT = "Loket X connector"
MAX_RETRY_AFTER = timedelta(hours=24)
SECONDS = re.compile(r"[0-9]{1,12}")


class NoCredentials(Exception):
    pass


def call(
    config: XConfig,
    consumer_secret: str,
    method: str,
    path: str,
    *,
    params: dict[str, str] | None = None,
    json_body: dict[str, Any] | None = None,
) -> requests.Response:
    """One request as the profile; raises requests' exceptions and NoCredentials."""
    url = config.url(path)
    if params:
        # Built here rather than by requests, so that the signed query is the sent one.
        url += "?" + urlencode(params, quote_via=quote)
    headers = {
        "Authorization": _authorization(config, consumer_secret, method, url),
        "User-Agent": USER_AGENT,
    }
    return requests.request(
        method,
        url,
        json=json_body,
        headers=headers,
        timeout=config.timeout_seconds,
        allow_redirects=False,
    )


def _authorization(config: XConfig, consumer_secret: str, method: str, url: str) -> str:
    token, token_secret = config.access_token, config.access_token_secret
    if config.consumer_key and token is not None and token_secret is not None:
        if not consumer_secret:
            raise NoCredentials("OAuth 1.0a needs the consumer secret as the profile's secret")
        return oauth1_header(
            method=method,
            url=url,
            consumer_key=config.consumer_key,
            consumer_secret=consumer_secret,
            token=token.get_secret_value(),
            token_secret=token_secret.get_secret_value(),
        )
    if config.user_access_token is not None:
        return f"Bearer {config.user_access_token.get_secret_value()}"
    raise NoCredentials("this profile has no X user credentials")


def never_reached_x(error: requests.RequestException) -> bool:
    """Whether the request certainly did not arrive: no connection was ever made.

    A read timeout or a connection dropped after sending leaves it open whether X acted.
    """
    if isinstance(error, requests.ConnectTimeout | requests.exceptions.SSLError):
        return True
    if isinstance(error, requests.ConnectionError) and error.args:
        reason = getattr(error.args[0], "reason", None)
        return isinstance(reason, urllib3.exceptions.NewConnectionError)
    return False


def is_passing(response: requests.Response) -> bool:
    """Rate limited or a server error: worth trying again later."""
    return response.status_code == 429 or response.status_code >= 500


def retry_after(response: requests.Response) -> timedelta | None:
    """When X lets us try again: `x-rate-limit-reset` (epoch seconds) or `Retry-After`."""
    reset = response.headers.get("x-rate-limit-reset", "").strip()
    if SECONDS.fullmatch(reset):
        wait = timedelta(seconds=max(1, int(reset) - int(time.time())))
        return min(wait, MAX_RETRY_AFTER)
    after = response.headers.get("Retry-After", "").strip()
    if SECONDS.fullmatch(after):
        return min(timedelta(seconds=max(1, int(after))), MAX_RETRY_AFTER)
    return None


def problem(response: requests.Response) -> str:
    """X's own words for a refusal (its problem JSON), short and plain."""
    try:
        data = response.json()
    except ValueError:
        data = None
    said = ""
    if isinstance(data, dict):
        errors = data.get("errors")
        first = errors[0] if isinstance(errors, list) and errors else None
        for candidate in (
            data.get("detail"),
            data.get("title"),
            first.get("message") if isinstance(first, dict) else None,
            first.get("detail") if isinstance(first, dict) else None,
        ):
            if isinstance(candidate, str) and candidate.strip():
                said = candidate.strip()
                break
    reason = said or response.reason or "no explanation"
    return f"X answered {response.status_code}: {reason}"[:300]


def json_data(response: requests.Response) -> dict[str, Any] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
