"""Raw Facebook Page webhook body → InboundMessages. Pure: no database, no network.

What becomes a message:
- `feed` changes with `item: "comment"`: verb `add`, and verb `edited` under the same
  external id (the comment id), so an edit of a comment Loket already has is recognised as
  that comment and creates nothing new (Loket keeps the text it first received); an edit of
  a comment Loket never saw arrives as that comment, with its edited text.
- `feed` changes with a visitor's post on the page (`item` status/post/photo/video, verb add).
- Messenger `messaging[]` events with a message or a postback (see meta_common.messaging).

Skipped (no message): comment removals and hides (verbs `remove`, `hide`, `unhide`),
reactions, likes, shares, every other feed item, and Messenger read/delivery/reaction events.
A delivery may hold many entries with many changes each; every element is looked at.

The page's own comments and posts (`from.id` is the page) and Messenger echoes are returned
with `is_echo` set, so the intake never takes them for citizen input.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from loket.channels.connectors.meta_common import messaging
from loket.channels.connectors.meta_common.payload import (
    Entry,
    Id,
    MetaModel,
    UnixTime,
    load_envelope,
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

COMMENT_VERBS_KEPT = frozenset({"add", "edited"})
VISITOR_POST_ITEMS = frozenset({"status", "post", "photo", "video"})
# reply_context "kind" values: what send() answers.
COMMENT = "comment"
POST = "post"
MESSENGER = "messenger"


class FromUser(MetaModel):
    id: Id
    name: str | None = None


class FeedComment(MetaModel):
    comment_id: Id
    post_id: Id
    parent_id: Id | None = None
    sender: FromUser | None = Field(None, alias="from")
    message: str | None = None
    created_time: UnixTime | None = None
    photo: Any = None
    video: Any = None


class FeedPost(MetaModel):
    post_id: Id
    sender: FromUser | None = Field(None, alias="from")
    message: str | None = None
    created_time: UnixTime | None = None
    photo: Any = None
    video: Any = None


def parse(body: bytes) -> list[InboundMessage]:
    envelope = load_envelope(body, expected_object="page")
    found: list[InboundMessage] = []
    for entry_index, entry in enumerate(envelope.entry):
        where = f"entry[{entry_index}]"
        for change_index, change in enumerate(entry.changes):
            if change.field != "feed":
                continue
            message = _feed_change(entry, change.value, f"{where}.changes[{change_index}].value")
            if message is not None:
                found.append(message)
        for event_index, event in enumerate(entry.messaging):
            message = messaging.parse_event(
                entry,
                event,
                f"{where}.messaging[{event_index}]",
                context_kind=MESSENGER,
                unsupported_text="a message type Messenger does not pass on",
            )
            if message is not None:
                found.append(message)
    return found


def _feed_change(entry: Entry, raw: Any, where: str) -> InboundMessage | None:
    value = object_at(raw, where)
    item, verb = _word(value.get("item")), _word(value.get("verb"))
    if item == "comment" and verb in COMMENT_VERBS_KEPT:
        return _comment(entry, validate(FeedComment, value, where), where)
    if item in VISITOR_POST_ITEMS and verb == "add" and "comment_id" not in value:
        return _visitor_post(entry, validate(FeedPost, value, where), where)
    return None


def _comment(entry: Entry, comment: FeedComment, where: str) -> InboundMessage:
    page_id = entry.id
    created_at = _time(comment.created_time, entry, where)
    attachments = _media(comment.photo, comment.video)
    text = comment.message or " ".join(placeholder(a.kind) for a in attachments)
    # A top-level comment's parent is the post; a reply's parent is the comment above it.
    parent_comment = (
        comment.parent_id if comment.parent_id and comment.parent_id != comment.post_id else None
    )
    context: dict[str, Any] = {
        "kind": COMMENT,
        "page_id": page_id,
        "post_id": comment.post_id,
        "comment_id": comment.comment_id,
        MESSAGE_TIME: created_at.isoformat(),
    }
    if parent_comment:
        context["parent_id"] = parent_comment
    return InboundMessage(
        external_id=comment.comment_id,
        thread_id=comment.post_id,
        kind=ConversationKind.PUBLIC_THREAD,
        visibility=Visibility.PUBLIC,
        author=_author(comment.sender, fallback=comment.comment_id),
        text=text,
        created_at=created_at,
        in_reply_to=parent_comment,
        attachments=attachments,
        is_echo=comment.sender is not None and comment.sender.id == page_id,
        reply_context=context,
    )


def _visitor_post(entry: Entry, post: FeedPost, where: str) -> InboundMessage:
    page_id = entry.id
    created_at = _time(post.created_time, entry, where)
    attachments = _media(post.photo, post.video)
    return InboundMessage(
        external_id=post.post_id,
        thread_id=post.post_id,
        kind=ConversationKind.PUBLIC_THREAD,
        visibility=Visibility.PUBLIC,
        author=_author(post.sender, fallback=post.post_id),
        text=post.message or " ".join(placeholder(a.kind) for a in attachments),
        created_at=created_at,
        attachments=attachments,
        # The page's own new posts arrive on the same field: not citizen input.
        is_echo=post.sender is not None and post.sender.id == page_id,
        reply_context={
            "kind": POST,
            "page_id": page_id,
            "post_id": post.post_id,
            MESSAGE_TIME: created_at.isoformat(),
        },
    )


def _word(value: Any) -> str:
    """A field that selects what the change is; anything but a string selects nothing."""
    return value if isinstance(value, str) else ""


def _author(sender: FromUser | None, *, fallback: str) -> Author:
    """The commenter; without `from` (Meta leaves it out when the app may not see who wrote
    it) an id of its own, so that unknown commenters are never taken for one person."""
    if sender is None:
        return Author(external_id=f"unknown:{fallback}")
    return Author(external_id=sender.id, name=(sender.name or "")[:200])


def _time(value: datetime | None, entry: Entry, where: str) -> datetime:
    if value is not None:
        return value
    if entry.time is not None:
        return entry.time
    raise PayloadError(f"{where}.created_time: missing, and the entry has no time either")


def _media(photo: Any, video: Any) -> tuple[Attachment, ...]:
    found = []
    if photo is not None:
        found.append(Attachment(kind="image", url=safe_url(photo)))
    if video is not None:
        found.append(Attachment(kind="video", url=safe_url(video)))
    return tuple(found)
