"""Private messages in Meta's Messenger Platform shape, shared by Messenger (object `page`)
and Instagram DMs (object `instagram`): `entry[].messaging[]` events with `sender`,
`recipient`, `timestamp` and a `message` (or a `postback` when a button was tapped).

Read receipts, deliveries, reactions and edits carry no new citizen text and are skipped;
a message the citizen deleted (Instagram's `is_deleted`) is skipped too.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from loket.channels.connectors.meta_common.payload import (
    Entry,
    Id,
    MetaModel,
    UnixTime,
    object_at,
    placeholder,
    safe_url,
    validate,
)
from loket.channels.connectors.meta_common.windows import MESSAGE_TIME
from loket.channels.contracts import (
    Attachment,
    Author,
    ConversationKind,
    InboundMessage,
    PayloadError,
    Visibility,
)

# How an attachment type without text of its own is described in the message text.
ATTACHMENT_NAMES = {
    "story_mention": "mention in a story",
    "share": "shared post",
    "ig_reel": "reel",
    "reel": "reel",
    "ig_post": "post",
    "fallback": "link",
    "template": "structured message",
}


class Party(MetaModel):
    id: Id


class MessageAttachment(MetaModel):
    type: str = "file"
    payload: Any = None


class ReplyTo(MetaModel):
    mid: Id | None = None


class Message(MetaModel):
    mid: Id
    text: str | None = None
    is_echo: bool = False
    is_deleted: bool = False
    is_unsupported: bool = False
    reply_to: ReplyTo | None = None
    attachments: list[MessageAttachment] = Field(default_factory=list, max_length=50)


class Postback(MetaModel):
    mid: Id | None = None
    title: str | None = None
    payload: str | None = None


class MessagingEvent(MetaModel):
    sender: Party
    recipient: Party
    timestamp: UnixTime
    message: Message | None = None
    postback: Postback | None = None


def thread_id(account_id: str, citizen_id: str) -> str:
    """A private conversation: the page or Instagram account, and the citizen's scoped id."""
    return f"{account_id}:{citizen_id}"


def parse_event(
    entry: Entry, raw: Any, where: str, *, context_kind: str, unsupported_text: str
) -> InboundMessage | None:
    """One messaging event as a message, or None for events that carry no message."""
    event_data = object_at(raw, where)
    if "message" not in event_data and "postback" not in event_data:
        return None
    event = validate(MessagingEvent, event_data, where)
    account_id = entry.id
    message = event.message
    # Our own messages come back as echoes, sent by the account to the citizen.
    is_echo = (message is not None and message.is_echo) or event.sender.id == account_id
    citizen_id = event.recipient.id if is_echo else event.sender.id
    if message is not None:
        if message.is_deleted:
            return None
        attachments = tuple(_attachment(item) for item in message.attachments)
        text = message.text or ""
        if message.is_unsupported and not text:
            text = placeholder(unsupported_text)
        if not text.strip() and attachments:
            text = " ".join(placeholder(ATTACHMENT_NAMES.get(a.kind, a.kind)) for a in attachments)
        external_id = message.mid
        in_reply_to = message.reply_to.mid if message.reply_to else None
    elif event.postback is not None:
        attachments = ()
        text = event.postback.title or event.postback.payload or placeholder("button")
        stamp = int(event.timestamp.timestamp() * 1000)
        external_id = event.postback.mid or f"postback:{citizen_id}:{stamp}"
        in_reply_to = None
    else:  # "message": null
        raise PayloadError(f"{where}.message: must be a JSON object")
    return InboundMessage(
        external_id=external_id,
        thread_id=thread_id(account_id, citizen_id),
        kind=ConversationKind.PRIVATE,
        visibility=Visibility.PRIVATE,
        author=Author(external_id=event.sender.id),
        text=text,
        created_at=event.timestamp,
        in_reply_to=in_reply_to,
        attachments=attachments,
        is_echo=is_echo,
        reply_context={
            "kind": context_kind,
            "account_id": account_id,
            "citizen_id": citizen_id,
            "mid": external_id,
            MESSAGE_TIME: event.timestamp.isoformat(),
        },
    )


def _attachment(item: MessageAttachment) -> Attachment:
    url = safe_url(item.payload.get("url")) if isinstance(item.payload, dict) else ""
    return Attachment(kind=item.type.strip()[:40] or "file", url=url)
