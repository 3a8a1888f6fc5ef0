"""OutboundMessage → a reply post or a direct message on X.

X has no idempotency key. What keeps a reply from going out twice is Loket's outbox row
(OutboundDelivery, one per idempotency key, claimed by one worker at a time), plus one rule
here: a retry is scheduled only when X certainly did not get the request (no connection,
429, 5xx). When the request may have arrived and no answer came (a read timeout, a
connection dropped mid-way), the delivery fails visibly instead, saying that the reply may
have been published, so that an agent looks at the profile before trying again.
"""

from __future__ import annotations

import re

import requests

from loket.channels.connectors.x import api
from loket.channels.connectors.x.config import XConfig
from loket.channels.contracts import DeliveryReceipt, DeliveryStatus, OutboundMessage, Visibility

ID = re.compile(r"[0-9]{1,20}")
MAY_HAVE_BEEN_PUBLISHED = (
    "X did not answer in time; the reply may have been published. "
    "Check the profile on X before trying again."
)
DUPLICATE = (
    "X refused the text as a duplicate of a post the profile already published; most likely "
    "an earlier attempt got through. Check the profile on X."
)


def send(*, message: OutboundMessage, consumer_secret: str, config: XConfig) -> DeliveryReceipt:
    if message.visibility is Visibility.PUBLIC:
        target = _reply_target(message)
        if target is None:
            return _failed("there is no X post to reply to")
        path = "/2/tweets"
        body: dict[str, object] = {
            "text": message.text,
            "reply": {"in_reply_to_tweet_id": target},
        }
    else:
        dm_path = _direct_message_path(message)
        if dm_path is None:
            return _failed("there is no X user or DM conversation to write to")
        path, body = dm_path, {"text": message.text}
    try:
        response = api.call(config, consumer_secret, "POST", path, json_body=body)
    except api.NoCredentials as error:
        return _failed(str(error))
    except requests.RequestException as error:
        if api.never_reached_x(error):
            return DeliveryReceipt(
                status=DeliveryStatus.RETRY, error=f"could not reach X: {type(error).__name__}"
            )
        return _failed(MAY_HAVE_BEEN_PUBLISHED)
    if 200 <= response.status_code < 300:
        return DeliveryReceipt(status=DeliveryStatus.SENT, external_id=_created_id(response))
    if api.is_passing(response):
        return DeliveryReceipt(
            status=DeliveryStatus.RETRY,
            error=api.problem(response),
            retry_after=api.retry_after(response),
        )
    said = api.problem(response)
    if response.status_code == 403 and "duplicate" in said.lower():
        return _failed(DUPLICATE)
    return _failed(said)


def _reply_target(message: OutboundMessage) -> str | None:
    for candidate in (message.in_reply_to, message.reply_context.get("tweet_id")):
        if isinstance(candidate, str) and ID.fullmatch(candidate):
            return candidate
    return None


def _direct_message_path(message: OutboundMessage) -> str | None:
    """A group conversation is written to by its id; a one-to-one one by the citizen's id."""
    conversation = message.reply_context.get("dm_conversation_id")
    # One-to-one conversation ids are two user ids with a dash; a group's is a single id.
    if isinstance(conversation, str) and ID.fullmatch(conversation):
        return f"/2/dm_conversations/{conversation}/messages"
    candidates = [
        message.recipient.external_id if message.recipient else None,
        message.reply_context.get("sender_id"),
    ]
    for candidate in candidates:
        if isinstance(candidate, str) and ID.fullmatch(candidate):
            return f"/2/dm_conversations/with/{candidate}/messages"
    return None


def _created_id(response: requests.Response) -> str:
    """The new post's id, or the new DM event's id: how our echo is recognised later."""
    data = api.json_data(response)
    created = data.get("data") if data else None
    if not isinstance(created, dict):
        return ""
    value = created.get("id") or created.get("dm_event_id")
    return str(value)[:200] if value is not None else ""


def _failed(error: str) -> DeliveryReceipt:
    return DeliveryReceipt(status=DeliveryStatus.FAILED, error=error)
