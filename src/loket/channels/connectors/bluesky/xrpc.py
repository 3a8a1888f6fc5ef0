"""XRPC over plain HTTP for one profile, with its login session cached in the process.

`com.atproto.server.createSession` is rate limited hard (30 per 5 minutes, 300 per day per
account), so a session is created once, kept per process with its expiry, and renewed with
`com.atproto.server.refreshSession`; only when that is refused is a new one created. A refused
login is remembered for a while, so that polling every minute with a revoked app password
does not use up the account's login budget.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from loket.channels.connectors.bluesky.config import BlueskyConfig

USER_AGENT = "Loket Bluesky channel"
# Renew a token this long before it expires, so that it does not lapse in flight.
EXPIRY_MARGIN = 60.0
# Used when a token's expiry cannot be read from it; a 401 renews it earlier if need be.
ASSUMED_ACCESS_LIFETIME = 10 * 60.0
# How long a refused login is answered from memory before Bluesky is asked again.
REFUSED_LOGIN_PAUSE = 5 * 60.0
MAX_RETRY_AFTER = timedelta(hours=24)
TOKEN_ERRORS = {"ExpiredToken", "InvalidToken"}


class Unreachable(Exception):
    """No answer: a timeout or a connection that failed."""


class XrpcError(Exception):
    """The platform answered with an error status."""

    def __init__(
        self, status: int, error: str, message: str, retry_after: timedelta | None = None
    ) -> None:
        self.status = status
        self.error = error
        self.message = message
        self.retry_after = retry_after
        super().__init__(self.describe())

    def describe(self) -> str:
        detail = ": ".join(part for part in (self.error, self.message) if part)
        return f"HTTP {self.status}" + (f" {detail}" if detail else "")

    @property
    def passing(self) -> bool:
        """Whether trying again later may succeed (rate limits, server trouble)."""
        return self.status == 429 or self.status >= 500


class LoginRefused(Exception):
    """The handle and app password no longer work."""


@dataclass(frozen=True)
class Session:
    did: str
    handle: str
    access_jwt: str
    refresh_jwt: str
    access_expires_at: float  # seconds since the epoch, as the token's `exp`
    refresh_expires_at: float


class SessionCache:
    """Sessions per (PDS, handle, app password) in this process, safe across threads."""

    def __init__(self) -> None:
        self._sessions: dict[tuple[str, str, str], Session] = {}
        self._refused: dict[tuple[str, str, str], tuple[float, str]] = {}
        self._locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def session(self, config: BlueskyConfig, *, renew: bool = False) -> Session:
        """A usable session; `renew` after the PDS refused the current access token."""
        key = _key(config)
        with self._lock_for(key):
            now = time.time()
            refused = self._refused.get(key)
            if refused is not None and refused[0] > now:
                raise LoginRefused(refused[1])
            current = self._sessions.get(key)
            if current is not None and not renew and current.access_expires_at > now:
                return current
            fresh = None
            if current is not None and current.refresh_expires_at > now:
                fresh = _refresh(config, current)
            if fresh is None:
                try:
                    fresh = _create(config)
                except LoginRefused as error:
                    self._sessions.pop(key, None)
                    self._refused[key] = (now + REFUSED_LOGIN_PAUSE, str(error))
                    raise
            self._refused.pop(key, None)
            self._sessions[key] = fresh
            return fresh

    def forget(self) -> None:
        with self._guard:
            self._sessions.clear()
            self._refused.clear()

    def _lock_for(self, key: tuple[str, str, str]) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


def _key(config: BlueskyConfig) -> tuple[str, str, str]:
    password = hashlib.sha256(config.app_password.get_secret_value().encode()).hexdigest()
    return (config.base_url, config.handle.lower(), password)


sessions = SessionCache()


class Client:
    """The XRPC calls Loket makes for one profile."""

    def __init__(self, config: BlueskyConfig, cache: SessionCache = sessions) -> None:
        self.config = config
        self.cache = cache

    @property
    def did(self) -> str:
        """The profile's DID, from its session (logging in when there is none yet)."""
        return self.cache.session(self.config).did

    def query(self, nsid: str, params: Mapping[str, Any]) -> dict[str, Any]:
        return self._authorised("GET", nsid, params=params)

    def procedure(self, nsid: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._authorised("POST", nsid, body=body)

    def _authorised(
        self,
        method: str,
        nsid: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        token = self.cache.session(self.config).access_jwt
        try:
            return call(self.config, method, nsid, token=token, params=params, body=body)
        except XrpcError as error:
            # An access token revoked or expired early: renew once and try again.
            if error.status not in (400, 401) or error.error not in TOKEN_ERRORS:
                raise
        token = self.cache.session(self.config, renew=True).access_jwt
        return call(self.config, method, nsid, token=token, params=params, body=body)


def call(
    config: BlueskyConfig,
    method: str,
    nsid: str,
    *,
    token: str = "",
    params: Mapping[str, Any] | None = None,
    body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One XRPC request; the decoded JSON answer, or XrpcError/Unreachable."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = requests.request(
            method,
            f"{config.base_url}/xrpc/{nsid}",
            params=params,
            json=body if method == "POST" else None,
            headers=headers,
            timeout=config.timeout_seconds,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise Unreachable(type(error).__name__) from None
    if not 200 <= response.status_code < 300:
        error_name, message = _error_of(response)
        raise XrpcError(response.status_code, error_name, message, retry_after(response))
    if not response.content.strip():
        return {}  # a procedure without output (updateSeen)
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise XrpcError(response.status_code, "BadResponse", "the answer is not a JSON object")
    return data


def _error_of(response: requests.Response) -> tuple[str, str]:
    try:
        data = response.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    error, message = data.get("error"), data.get("message")
    return (
        error[:100] if isinstance(error, str) else "",
        message[:300] if isinstance(message, str) else "",
    )


def retry_after(response: requests.Response) -> timedelta | None:
    """When to try again: `Retry-After` (seconds or a date) or Bluesky's `RateLimit-Reset`
    (seconds since the epoch)."""
    value = response.headers.get("Retry-After", "").strip()
    wait: float | None = None
    if value.isdigit():
        wait = float(value)
    elif value:
        try:
            wait = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            wait = None
    reset = response.headers.get("RateLimit-Reset", "").strip()
    if wait is None and reset.isdigit():
        wait = float(reset) - time.time()
    if wait is None:
        return None
    return min(timedelta(seconds=max(wait, 1.0)), MAX_RETRY_AFTER)


def _create(config: BlueskyConfig) -> Session:
    try:
        data = call(
            config,
            "POST",
            "com.atproto.server.createSession",
            body={
                "identifier": config.handle,
                "password": config.app_password.get_secret_value(),
            },
        )
    except XrpcError as error:
        if error.status in (400, 401):
            raise LoginRefused(f"Bluesky refused the login of {config.handle}: {error}") from None
        raise
    return _session_of(data)


def _refresh(config: BlueskyConfig, current: Session) -> Session | None:
    """A renewed session, or None when the refresh token is refused (log in anew)."""
    try:
        data = call(config, "POST", "com.atproto.server.refreshSession", token=current.refresh_jwt)
    except XrpcError as error:
        if error.status in (400, 401):
            return None
        raise
    return _session_of(data)


def _session_of(data: Mapping[str, Any]) -> Session:
    fields = {name: data.get(name) for name in ("did", "handle", "accessJwt", "refreshJwt")}
    if not all(isinstance(value, str) and value for value in fields.values()):
        raise XrpcError(200, "BadResponse", "the session answer lacks did or tokens")
    access, refresh = str(fields["accessJwt"]), str(fields["refreshJwt"])
    now = time.time()
    return Session(
        did=str(fields["did"]),
        handle=str(fields["handle"]),
        access_jwt=access,
        refresh_jwt=refresh,
        access_expires_at=_expiry(access, default=now + ASSUMED_ACCESS_LIFETIME) - EXPIRY_MARGIN,
        refresh_expires_at=_expiry(refresh, default=now + ASSUMED_ACCESS_LIFETIME) - EXPIRY_MARGIN,
    )


def _expiry(token: str, *, default: float) -> float:
    """The `exp` claim of a JWT, read without checking the signature: only the PDS needs to
    trust it; we only want to know when to renew."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        exp = claims["exp"]
    except (IndexError, ValueError, KeyError, TypeError, binascii.Error):
        return default
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else default
