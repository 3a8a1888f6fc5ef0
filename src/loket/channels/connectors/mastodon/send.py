"""OutboundMessage → `POST /api/v1/statuses` on the profile's server."""

from __future__ import annotations

import re
from typing import Any

import requests

from loket.channels.connectors.mastodon.config import MastodonConfig
from loket.channels.connectors.mastodon.limits import retry_after
from loket.channels.connectors.mastodon.text import mastodon_length
from loket.channels.contracts import DeliveryReceipt, DeliveryStatus, OutboundMessage, Visibility

USER_AGENT = "Loket (Mastodon connector)"
# From most to least visible; a reply takes the narrowest of what applies.
VISIBILITIES = ("public", "unlisted", "private", "direct")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def send(*, message: OutboundMessage, config: MastodonConfig) -> DeliveryReceipt:
    context = message.reply_context or {}
    in_reply_to = _text_value(context.get("status_id")) or message.in_reply_to or None
    acct = _text_value(context.get("acct")) or (
        message.recipient.external_id if message.recipient else ""
    )
    visibility = reply_visibility(
        message.visibility, _text_value(context.get("visibility")), config.reply_visibility
    )
    if visibility == "direct" and not acct:
        return _failed("a direct message needs the citizen's Mastodon address to go to")
    text = addressed(message.text, acct)
    length = mastodon_length(text)
    if length > config.max_characters:
        return _failed(
            f"the reply is {length} characters as Mastodon counts them (with the @mention); "
            f"this server allows {config.max_characters}"
        )
    payload: dict[str, Any] = {"status": text, "visibility": visibility}
    if in_reply_to:
        payload["in_reply_to_id"] = in_reply_to
    try:
        response = requests.post(
            f"{config.api_base}/api/v1/statuses",
            json=payload,
            headers={
                "Authorization": f"Bearer {config.access_token.get_secret_value()}",
                # Mastodon keeps the key for an hour: a retry after a lost answer does not
                # post the reply twice.
                "Idempotency-Key": message.idempotency_key,
                "User-Agent": USER_AGENT,
            },
            timeout=config.timeout_seconds,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return DeliveryReceipt(DeliveryStatus.RETRY, error=f"{type(error).__name__} from Mastodon")
    return _receipt(response)


def reply_visibility(wanted: Visibility, citizen: str, widest_public: str) -> str:
    """A private reply is a direct message; a public one is never wider than the citizen's
    post nor than what the profile allows."""
    if wanted is Visibility.PRIVATE:
        return "direct"
    if citizen not in VISIBILITIES:
        return widest_public
    return max(citizen, widest_public, key=VISIBILITIES.index)


def addressed(text: str, acct: str) -> str:
    """The text with the citizen's @mention in front, so that they are notified (and, for a
    direct message, so that it reaches them at all)."""
    text = text.strip()
    if not acct:
        return text
    mention = "@" + acct.lstrip("@")
    first = text.split(maxsplit=1)[0] if text else ""
    if first.rstrip(",:;").lower() == mention.lower():
        return text
    return f"{mention} {text}"


def _receipt(response: requests.Response) -> DeliveryReceipt:
    status = response.status_code
    if 200 <= status < 300:
        return DeliveryReceipt(DeliveryStatus.SENT, external_id=_status_id(response))
    error = f"HTTP {status} from Mastodon" + (
        f": {reason}" if (reason := _reason(response)) else ""
    )
    if status == 429 or status >= 500:
        return DeliveryReceipt(
            DeliveryStatus.RETRY,
            error=error,
            retry_after=retry_after(response.headers, rate_limited=status == 429),
        )
    if status in (401, 403):
        return _failed(f"{error} (the access token was refused or lacks write:statuses)")
    return _failed(error)


def _status_id(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    value = data.get("id") if isinstance(data, dict) else None
    return str(value)[:200] if isinstance(value, str | int) else ""


def _reason(response: requests.Response) -> str:
    """Mastodon's own words (`{"error": "…"}`), on one line and short."""
    try:
        data = response.json()
    except ValueError:
        return ""
    value = data.get("error") if isinstance(data, dict) else None
    return _CONTROL.sub(" ", value).strip()[:200] if isinstance(value, str) else ""


def _text_value(value: object) -> str:
    return str(value) if isinstance(value, str | int) and str(value) else ""


def _failed(error: str) -> DeliveryReceipt:
    return DeliveryReceipt(DeliveryStatus.FAILED, error=error)
