"""A stored Bluesky notification → InboundMessage. Pure: no database, no network.

The body is one item of `app.bsky.notification.listNotifications` as the AppView returns it.
The poller adds one field of its own, `loketAccountDid`: the DID of the profile that polled,
so that parsing can tell our own posts (the echo guard) without knowing the account.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from loket.channels.contracts import (
    Attachment,
    Author,
    ConversationKind,
    InboundMessage,
    PayloadError,
    Visibility,
)

POST_COLLECTION: Final = "app.bsky.feed.post"
# Notifications that carry a post written to or about the profile; likes, reposts and
# follows carry none and are not polled.
MESSAGE_REASONS = ("mention", "reply", "quote")
ACCOUNT_DID_FIELD = "loketAccountDid"
MAX_TEXT = 10_000  # the lexicon allows 3,000 bytes; a little room, never unbounded
MAX_ATTACHMENTS = 10
DID_PATTERN = r"^did:[a-z]+:[a-zA-Z0-9._:%-]+$"
POST_URI_PATTERN = r"^at://did:[a-z]+:[a-zA-Z0-9._:%-]+/app\.bsky\.feed\.post/[a-zA-Z0-9._:~-]+$"


class _StrongRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    uri: str = Field(max_length=2000, pattern=POST_URI_PATTERN)
    cid: str = Field(min_length=1, max_length=200)


class _ReplyRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    root: _StrongRef
    parent: _StrongRef


class _Post(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: Literal["app.bsky.feed.post"] = Field(POST_COLLECTION, alias="$type")
    text: str = Field("", max_length=MAX_TEXT)
    created_at: str = Field("", alias="createdAt", max_length=100)
    reply: _ReplyRef | None = None
    embed: Any = None


class _Author(BaseModel):
    model_config = ConfigDict(extra="ignore")
    did: str = Field(max_length=2048, pattern=DID_PATTERN)
    handle: str = Field("", max_length=253)
    display_name: str | None = Field(None, alias="displayName", max_length=640)


class _Notification(BaseModel):
    model_config = ConfigDict(extra="ignore")
    uri: str = Field(max_length=2000, pattern=POST_URI_PATTERN)
    cid: str = Field(min_length=1, max_length=200)
    author: _Author
    reason: str = Field(max_length=100)
    record: _Post
    indexed_at: datetime = Field(alias="indexedAt")
    account_did: str | None = Field(None, alias=ACCOUNT_DID_FIELD, max_length=2048)


def parse(body: bytes) -> list[InboundMessage]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise PayloadError(f"body is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object (one notification)")
    reason = data.get("reason")
    if isinstance(reason, str) and reason not in MESSAGE_REASONS:
        raise PayloadError(f"a '{reason[:40]}' notification carries no message")
    try:
        notification = _Notification.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise PayloadError(f"{where}: {first['msg']}") from None
    if notification.indexed_at.tzinfo is None:
        raise PayloadError("indexedAt: needs a time zone")
    return [_message(notification)]


def _message(notification: _Notification) -> InboundMessage:
    post = notification.record
    own_ref = {"uri": notification.uri, "cid": notification.cid}
    root = {"uri": post.reply.root.uri, "cid": post.reply.root.cid} if post.reply else dict(own_ref)
    author = notification.author
    return InboundMessage(
        external_id=notification.uri,
        thread_id=root["uri"],
        kind=ConversationKind.PUBLIC_THREAD,
        visibility=Visibility.PUBLIC,
        author=Author(
            external_id=author.did,
            name=(author.display_name or "").strip() or author.handle,
        ),
        text=post.text,
        created_at=_created_at(post.created_at, notification.indexed_at),
        in_reply_to=post.reply.parent.uri if post.reply else None,
        attachments=_attachments(post.embed),
        is_echo=notification.account_did == author.did,
        reply_context={
            **own_ref,
            "root": root,
            "author": {"did": author.did, "handle": author.handle},
        },
    )


def _created_at(claimed: str, indexed_at: datetime) -> datetime:
    """The post's createdAt, which its author's app chooses: when it is missing, has no time
    zone or lies after the moment the AppView saw the post, the indexing time counts instead
    (Bluesky's own sort time makes the same choice)."""
    try:
        created = datetime.fromisoformat(claimed.replace("Z", "+00:00"))
    except ValueError:
        return indexed_at
    if created.tzinfo is None or created > indexed_at:
        return indexed_at
    return created


def _attachments(embed: Any) -> tuple[Attachment, ...]:
    """What the post embeds, as metadata only: Loket does not fetch it. A malformed embed is
    left out rather than losing the citizen's text."""
    if isinstance(embed, dict) and embed.get("$type") == "app.bsky.embed.recordWithMedia":
        embed = embed.get("media")  # a quote with media: the media (never nested further)
    if not isinstance(embed, dict):
        return ()
    kind = embed.get("$type")
    found: list[Attachment] = []
    if kind == "app.bsky.embed.images" and isinstance(embed.get("images"), list):
        for image in embed["images"][:MAX_ATTACHMENTS]:
            alt = image.get("alt") if isinstance(image, dict) else None
            found.append(Attachment(kind="image", name=_text(alt, 255)))
    elif kind == "app.bsky.embed.video":
        found.append(Attachment(kind="video", name=_text(embed.get("alt"), 255)))
    elif kind == "app.bsky.embed.external" and isinstance(embed.get("external"), dict):
        link = embed["external"]
        url = _text(link.get("uri"), 2000)
        found.append(
            Attachment(
                kind="link",
                name=_text(link.get("title"), 255),
                url=url if url.startswith(("https://", "http://")) else "",
            )
        )
    return tuple(found)


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""
