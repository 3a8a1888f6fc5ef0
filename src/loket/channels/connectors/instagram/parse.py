"""Raw Instagram webhook body → InboundMessages. Pure: no database, no network.

- `comments` and `live_comments` changes: a comment on one of the account's media (thread =
  the media id; a reply names its parent comment). Comments carry no time of their own: the
  entry's time is used.
- `mentions` changes: someone @mentioned the account in a comment or caption on *their*
  media. Instagram sends only ids (`comment_id`, `media_id`), so the message text is a
  placeholder saying so; the ids are in reply_context. Fetching the text
  (`GET /{ig-user-id}?fields=mentioned_comment.comment_id(…){text,username,timestamp}`)
  needs the network and is not done here, where parsing must stay pure.
- `messaging[]` events: direct messages (see meta_common.messaging); echoes of the account's
  own messages arrive here too (`is_echo`), and a message the citizen unsent (`is_deleted`)
  is skipped.

Everything else (story insights, reactions, seen receipts…) is skipped.
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
    load_envelope,
    object_at,
    validate,
)
from loket.channels.connectors.meta_common.windows import MESSAGE_TIME
from loket.channels.contracts import (
    Author,
    ConversationKind,
    InboundMessage,
    PayloadError,
    Visibility,
)

COMMENT_FIELDS = frozenset({"comments", "live_comments"})
# reply_context "kind" values: what send() answers.
COMMENT = "comment"
MENTION = "mention"
DIRECT_MESSAGE = "dm"
MENTION_TEXT = (
    "[@mention of this account on Instagram: Instagram sends only the ids of the {where}, "
    "not its text]"
)


class Commenter(MetaModel):
    id: Id
    username: str | None = None


class Media(MetaModel):
    id: Id
    media_product_type: str | None = None


class Comment(MetaModel):
    id: Id
    text: str | None = None
    sender: Commenter = Field(alias="from")
    media: Media
    parent_id: Id | None = None


class Mention(MetaModel):
    media_id: Id
    comment_id: Id | None = None


def parse(body: bytes) -> list[InboundMessage]:
    envelope = load_envelope(body, expected_object="instagram")
    found: list[InboundMessage] = []
    for entry_index, entry in enumerate(envelope.entry):
        where = f"entry[{entry_index}]"
        for change_index, change in enumerate(entry.changes):
            value_at = f"{where}.changes[{change_index}].value"
            if change.field in COMMENT_FIELDS:
                found.append(_comment(entry, change.field, change.value, value_at, where))
            elif change.field == "mentions":
                found.append(_mention(entry, change.value, value_at, where))
        for event_index, event in enumerate(entry.messaging):
            message = messaging.parse_event(
                entry,
                event,
                f"{where}.messaging[{event_index}]",
                context_kind=DIRECT_MESSAGE,
                unsupported_text="a message type Instagram does not pass on",
            )
            if message is not None:
                found.append(message)
    return found


def _entry_time(entry: Entry, where: str) -> datetime:
    if entry.time is None:
        raise PayloadError(f"{where}.time: required, the change has no time of its own")
    return entry.time


def _comment(entry: Entry, field: str, raw: Any, where: str, entry_at: str) -> InboundMessage:
    comment = validate(Comment, object_at(raw, where), where)
    created_at = _entry_time(entry, entry_at)
    context: dict[str, Any] = {
        "kind": COMMENT,
        "ig_user_id": entry.id,
        "media_id": comment.media.id,
        "comment_id": comment.id,
        MESSAGE_TIME: created_at.isoformat(),
    }
    if comment.parent_id:
        context["parent_id"] = comment.parent_id
    if field == "live_comments":
        context["live"] = True
    return InboundMessage(
        external_id=comment.id,
        thread_id=comment.media.id,
        kind=ConversationKind.PUBLIC_THREAD,
        visibility=Visibility.PUBLIC,
        author=Author(external_id=comment.sender.id, name=(comment.sender.username or "")[:200]),
        text=comment.text or "",
        created_at=created_at,
        in_reply_to=comment.parent_id,
        # The account's own replies come back on the same field.
        is_echo=comment.sender.id == entry.id,
        reply_context=context,
    )


def _mention(entry: Entry, raw: Any, where: str, entry_at: str) -> InboundMessage:
    mention = validate(Mention, object_at(raw, where), where)
    created_at = _entry_time(entry, entry_at)
    about = mention.comment_id or mention.media_id
    context: dict[str, Any] = {
        "kind": MENTION,
        "ig_user_id": entry.id,
        "media_id": mention.media_id,
        MESSAGE_TIME: created_at.isoformat(),
        "text_fetched": False,
    }
    if mention.comment_id:
        context["comment_id"] = mention.comment_id
    return InboundMessage(
        external_id=f"mention:{about}",
        thread_id=mention.media_id,
        kind=ConversationKind.PUBLIC_THREAD,
        visibility=Visibility.PUBLIC,
        # Who mentioned us is not in the payload: an id per mention, so that unknown authors
        # are never taken for one person.
        author=Author(external_id=f"unknown:mention:{about}"),
        text=MENTION_TEXT.format(where="comment" if mention.comment_id else "post"),
        created_at=created_at,
        reply_context=context,
    )
