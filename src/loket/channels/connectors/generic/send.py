"""OutboundMessage → a signed POST to the account's callback URL."""

from __future__ import annotations

import json
from datetime import timedelta

import requests

from loket.channels.connectors.generic.config import GenericConfig
from loket.channels.connectors.generic.signing import sign
from loket.channels.contracts import DeliveryReceipt, DeliveryStatus, OutboundMessage

USER_AGENT = "Loket generic webhook"


def send(*, message: OutboundMessage, secret: str, config: GenericConfig) -> DeliveryReceipt:
    if config.callback_url is None:
        return DeliveryReceipt(
            status=DeliveryStatus.FAILED, error="this account has no callback URL for replies"
        )
    body = json.dumps(
        {
            "idempotency_key": message.idempotency_key,
            "thread_id": message.thread_id,
            "visibility": message.visibility.value,
            "in_reply_to": message.in_reply_to,
            "recipient": (
                {"id": message.recipient.external_id, "name": message.recipient.name}
                if message.recipient
                else None
            ),
            "text": message.text,
        },
        ensure_ascii=False,
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": message.idempotency_key,
        "X-Loket-Signature": sign(body, secret),
        "User-Agent": USER_AGENT,
    }
    try:
        response = requests.post(
            str(config.callback_url),
            data=body,
            headers=headers,
            timeout=config.timeout_seconds,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return DeliveryReceipt(status=DeliveryStatus.RETRY, error=f"{type(error).__name__}")
    if 200 <= response.status_code < 300:
        return DeliveryReceipt(status=DeliveryStatus.SENT, external_id=_external_id(response))
    if response.status_code == 429 or response.status_code >= 500:
        return DeliveryReceipt(
            status=DeliveryStatus.RETRY,
            error=f"HTTP {response.status_code}",
            retry_after=_retry_after(response),
        )
    return DeliveryReceipt(status=DeliveryStatus.FAILED, error=f"HTTP {response.status_code}")


def _external_id(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    value = data.get("id") if isinstance(data, dict) else None
    return str(value)[:200] if value is not None else ""


def _retry_after(response: requests.Response) -> timedelta | None:
    value = response.headers.get("Retry-After", "")
    if value.isdigit():
        return timedelta(seconds=min(int(value), 24 * 3600))
    return None
