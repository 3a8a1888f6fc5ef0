"""A small client for Meta's Graph API (graph.facebook.com, graph.instagram.com) that turns
every answer into what the delivery framework understands.

Graph errors come as `{"error": {"message", "type", "code", "error_subcode", "is_transient",
"error_data"}}`, and rate limits mostly arrive as HTTP 400 or 403 with a rate-limit code rather
than as 429, so the code decides, not only the HTTP status. How long to wait comes from
`Retry-After` or from `estimated_time_to_regain_access` (minutes) in the
`X-Business-Use-Case-Usage` header.

The access token travels in the Authorization header (never in the URL, where logs would keep
it), with `appsecret_proof` when the app secret is known (apps may require it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import requests

from loket.channels.contracts import DeliveryReceipt, DeliveryStatus

logger = logging.getLogger(__name__)

USER_AGENT = "Loket (Meta Graph API)"
# Graph object ids: digits, joined by underscores (`<page>_<post>`, `<post>_<comment>`).
GRAPH_ID = re.compile(r"^[0-9]{1,40}(?:_[0-9]{1,40}){0,2}$")
LONGEST_WAIT = timedelta(hours=24)
# Warn when a Business Use Case budget is this full (percent), before Meta starts refusing.
USAGE_WARNING = 90

# Throttling: Graph's app, user and page limits (4, 17, 32, 613), Business Use Case limits
# (800xx), WhatsApp throughput and pair rate (130429, 131056). Waiting helps.
RATE_LIMIT_CODES = frozenset(
    {4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80007, 80008, 80014, 130429, 131056}
)
# Meta's own "temporary" failures: unknown error, service unavailable, WhatsApp's "something
# went wrong" and "service unavailable".
TRANSIENT_CODES = frozenset({1, 2, 131000, 131016, 133004})
EXPIRED_TOKEN_CODE = 190


def is_graph_id(value: object) -> bool:
    return isinstance(value, str) and GRAPH_ID.fullmatch(value) is not None


@dataclass(frozen=True)
class GraphError:
    http_status: int
    code: int | None = None
    subcode: int | None = None
    message: str = ""
    details: str = ""
    transient: bool = False

    def describe(self) -> str:
        code = f"{self.code}/{self.subcode}" if self.subcode else str(self.code)
        text = " ".join(part for part in (self.message, self.details) if part)
        return f"Graph API error {code} (HTTP {self.http_status}): {text}"[:500]


@dataclass(frozen=True)
class GraphOutcome:
    """The answer's JSON on success; otherwise the receipt to hand back to the framework."""

    data: Mapping[str, Any] = field(default_factory=dict)
    failure: DeliveryReceipt | None = None
    error: GraphError | None = None


def failed(error: str) -> DeliveryReceipt:
    return DeliveryReceipt(status=DeliveryStatus.FAILED, error=error[:500])


def sent(external_id: object) -> DeliveryReceipt:
    """Delivered; `external_id` is the platform's id of what we posted (for the echo guard)."""
    value = str(external_id)[:200] if isinstance(external_id, str | int) else ""
    return DeliveryReceipt(status=DeliveryStatus.SENT, external_id=value)


@dataclass(frozen=True)
class GraphClient:
    base_url: str
    version: str
    access_token: str
    app_secret: str = ""
    timeout_seconds: float = 10.0
    send_appsecret_proof: bool = True

    def post(
        self, path: str, *, json_body: Mapping[str, Any] | None = None, params: Mapping[str, str]
    ) -> GraphOutcome:
        return self.call("POST", path, json_body=json_body, params=params)

    def delete(self, path: str) -> GraphOutcome:
        return self.call("DELETE", path, params={})

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str],
        json_body: Mapping[str, Any] | None = None,
    ) -> GraphOutcome:
        if not self.access_token:
            return GraphOutcome(failure=failed("no access token is configured for this profile"))
        query = dict(params)
        if self.send_appsecret_proof and self.app_secret:
            query["appsecret_proof"] = hmac.new(
                self.app_secret.encode(), self.access_token.encode(), hashlib.sha256
            ).hexdigest()
        url = f"{self.base_url.rstrip('/')}/{self.version}/{path}"
        try:
            response = requests.request(
                method,
                url,
                params=query,
                json=json_body,
                headers={
                    "Authorization": f"Bearer {self.access_token}",
                    "User-Agent": USER_AGENT,
                },
                timeout=self.timeout_seconds,
                allow_redirects=False,
            )
        except requests.Timeout:
            return GraphOutcome(failure=_retry("the Graph API did not answer in time", None))
        except requests.ConnectionError as error:
            return GraphOutcome(
                failure=_retry(f"the Graph API could not be reached ({type(error).__name__})", None)
            )
        except requests.RequestException as error:
            return GraphOutcome(failure=failed(f"the request failed: {type(error).__name__}"))
        _warn_about_usage(response.headers)
        if 200 <= response.status_code < 300:
            return GraphOutcome(data=_json_object(response))
        problem = parse_error(response.status_code, _json_object(response))
        return GraphOutcome(failure=receipt_for(problem, response.headers), error=problem)


def parse_error(http_status: int, body: Mapping[str, Any]) -> GraphError:
    raw = body.get("error")
    if not isinstance(raw, dict):
        return GraphError(http_status=http_status)
    details = ""
    error_data = raw.get("error_data")
    if isinstance(error_data, dict) and isinstance(error_data.get("details"), str):
        details = error_data["details"]
    return GraphError(
        http_status=http_status,
        code=_int(raw.get("code")),
        subcode=_int(raw.get("error_subcode")),
        message=str(raw.get("message") or raw.get("error_user_msg") or "")[:300],
        details=details[:300],
        transient=raw.get("is_transient") is True,
    )


def receipt_for(error: GraphError, headers: Mapping[str, str]) -> DeliveryReceipt:
    """RETRY for throttling, Meta's passing failures and 5xx; FAILED for the rest."""
    passing = (
        error.http_status == 429
        or error.http_status >= 500
        or error.code in RATE_LIMIT_CODES
        or error.code in TRANSIENT_CODES
        or error.transient
    )
    if passing:
        return _retry(error.describe(), retry_after(headers))
    if error.code == EXPIRED_TOKEN_CODE:
        return failed(f"the access token is invalid or has expired: {error.describe()}")
    if error.code is None:
        return failed(f"the Graph API answered HTTP {error.http_status}")
    return failed(error.describe())


def retry_after(headers: Mapping[str, str]) -> timedelta | None:
    """The longest wait the answer asks for, if it asks for one."""
    waits: list[float] = []
    value = (headers.get("Retry-After") or "").strip()
    if value.isascii() and value.isdigit():
        waits.append(float(value))
    for usage in _usage_entries(headers):
        minutes = usage.get("estimated_time_to_regain_access")
        if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes > 0:
            waits.append(float(minutes) * 60)
    if not waits:
        return None
    return min(timedelta(seconds=max(waits)), LONGEST_WAIT)


def _usage_entries(headers: Mapping[str, str]) -> list[Mapping[str, Any]]:
    """`X-Business-Use-Case-Usage: {"<id>": [{"type", "call_count", "total_cputime",
    "total_time", "estimated_time_to_regain_access"}]}`."""
    raw = headers.get("X-Business-Use-Case-Usage")
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return []
    if not isinstance(data, dict):
        return []
    return [
        usage
        for usages in data.values()
        if isinstance(usages, list)
        for usage in usages
        if isinstance(usage, dict)
    ]


def _warn_about_usage(headers: Mapping[str, str]) -> None:
    for usage in _usage_entries(headers):
        numbers = [
            value
            for key in ("call_count", "total_cputime", "total_time")
            if isinstance(value := usage.get(key), int | float)
        ]
        if numbers and max(numbers) >= USAGE_WARNING:
            logger.warning(
                "Graph API rate limit of %s is %s%% used", usage.get("type", "?"), max(numbers)
            )


def _retry(error: str, wait: timedelta | None) -> DeliveryReceipt:
    return DeliveryReceipt(status=DeliveryStatus.RETRY, error=error[:500], retry_after=wait)


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12:
        return int(value)
    return None
