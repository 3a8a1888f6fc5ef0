"""Raw X payloads → InboundMessage. Pure: no database, no network.

Three shapes arrive here:

- the Account Activity API envelope (`for_user_id` with `tweet_create_events` and/or
  `direct_message_events`; the posts are v1.1 objects);
- the X Activity API envelope (`{"data": {"event_uuid", "event_type", "filter", "payload"}}`);
- one item fetched by polling, stored as `{"for_user_id", "data": <v2 post or DM event>,
  "includes": …}`, the way a v2 lookup answers plus the profile's own id.

Posts become public-thread messages (thread: the conversation's root post), direct messages
private ones (thread: the DM conversation). Whatever the profile wrote itself is marked as an
echo. Events that hold no citizen message (likes, follows, deletions, typing indicators, read
receipts) give no message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from loket.channels.contracts import (
    Attachment,
    Author,
    ConversationKind,
    InboundMessage,
    PayloadError,
    Visibility,
)

MAX_TEXT = 20_000
MAX_EVENTS = 200  # per delivery; X sends one or a few
DM_THREAD_PREFIX = "dm:"
ID = re.compile(r"[0-9]{1,20}")
MILLIS = re.compile(r"[0-9]{1,15}")
DM_CONVERSATION_ID = re.compile(r"[0-9]{1,20}(-[0-9]{1,20})?")
# Post and DM ids are snowflakes: milliseconds since X's epoch in the high bits.
SNOWFLAKE_EPOCH_MS = 1288834974657
V1_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"
MEDIA_KINDS = {"photo": "image", "video": "video", "animated_gif": "video"}
# X Activity API event types that carry a post or a DM; any other type holds no message.
ACTIVITY_POST_EVENTS = {"post.mention.create", "post.create"}
ACTIVITY_DM_EVENTS = {"dm.received", "dm.sent"}


def parse(body: bytes) -> list[InboundMessage]:
    data = _load(body)
    if "data" in data:
        inner = _object(data["data"], "data")
        if {"event_uuid", "filter", "payload"} & inner.keys():
            return _activity_event(inner)
        if "for_user_id" in data:
            return _polled_item(data)
        raise PayloadError("data: neither an X Activity API event nor a polled item")
    if "for_user_id" in data:
        return _account_activity(data)
    raise PayloadError(
        "not an X payload: expected for_user_id (Account Activity API) or data (X Activity API)"
    )


def _load(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError(f"body is not valid JSON: {error}") from None
    except RecursionError:
        raise PayloadError("body is nested too deeply") from None
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    return data


# ---------------------------------------------------------------------------------------
# Account Activity API: v1.1 posts and message_create events.


def _account_activity(data: dict[str, Any]) -> list[InboundMessage]:
    own_id = _id(data.get("for_user_id"), "for_user_id")
    messages: list[InboundMessage] = []
    tweets = _list(data.get("tweet_create_events", []), "tweet_create_events")
    for index, tweet in enumerate(tweets):
        message = _v1_tweet(_object(tweet, f"tweet_create_events[{index}]"), own_id, index)
        if message is not None:
            messages.append(message)
    users = _object(data.get("users", {}), "users")
    events = _list(data.get("direct_message_events", []), "direct_message_events")
    for index, event in enumerate(events):
        where = f"direct_message_events[{index}]"
        message = _v1_direct_message(_object(event, where), own_id, users, where)
        if message is not None:
            messages.append(message)
    return messages


def _v1_tweet(tweet: dict[str, Any], own_id: str, index: int) -> InboundMessage | None:
    where = f"tweet_create_events[{index}]"
    if tweet.get("retweeted_status") is not None:
        return None  # a repost of someone's post: nothing was said to the profile
    tweet_id = _id(tweet.get("id_str", tweet.get("id")), f"{where}.id_str")
    user = _object(tweet.get("user"), f"{where}.user")
    author_id = _id(user.get("id_str", user.get("id")), f"{where}.user.id_str")
    screen_name = _optional_text(user.get("screen_name"), f"{where}.user.screen_name")
    extended = _object(tweet.get("extended_tweet") or {}, f"{where}.extended_tweet")
    if "full_text" in extended:
        text = _text(extended["full_text"], f"{where}.extended_tweet.full_text")
        entities = extended.get("entities")
        media_holder = extended
    else:
        text = _text(tweet.get("full_text", tweet.get("text")), f"{where}.text")
        entities = tweet.get("entities")
        media_holder = tweet
    in_reply_to = _optional_id(tweet.get("in_reply_to_status_id_str"), f"{where}.in_reply_to")
    # v1.1 posts carry no conversation id: a reply threads under the post it answers.
    conversation_id = _optional_id(tweet.get("conversation_id"), f"{where}.conversation_id")
    thread_id = conversation_id or in_reply_to or tweet_id
    return InboundMessage(
        external_id=tweet_id,
        thread_id=thread_id,
        kind=ConversationKind.PUBLIC_THREAD,
        visibility=Visibility.PUBLIC,
        author=Author(external_id=author_id, name=_display_name(user.get("name"), screen_name)),
        text=_without_media_links(_expand_urls(text, entities), media_holder),
        created_at=_v1_time(tweet, tweet_id, where),
        in_reply_to=in_reply_to,
        attachments=_v1_media(media_holder.get("extended_entities")),
        is_echo=author_id == own_id,
        reply_context=_drop_empty(
            {
                "tweet_id": tweet_id,
                "author_id": author_id,
                "screen_name": screen_name,
                "conversation_id": thread_id,
                "author_blocked": tweet.get("user_has_blocked") is True or None,
            }
        ),
    )


def _v1_direct_message(
    event: dict[str, Any], own_id: str, users: dict[str, Any], where: str
) -> InboundMessage | None:
    if event.get("type") != "message_create":
        return None
    event_id = _id(event.get("id"), f"{where}.id")
    create = _object(event.get("message_create"), f"{where}.message_create")
    sender_id = _id(create.get("sender_id"), f"{where}.message_create.sender_id")
    target = _object(create.get("target"), f"{where}.message_create.target")
    recipient_id = _id(target.get("recipient_id"), f"{where}.message_create.target.recipient_id")
    message_data = _object(create.get("message_data"), f"{where}.message_create.message_data")
    text = _text(message_data.get("text", ""), f"{where}.message_create.message_data.text")
    sender = users.get(sender_id)
    sender = sender if isinstance(sender, dict) else {}
    screen_name = _optional_text(sender.get("screen_name"), f"users.{sender_id}.screen_name")
    conversation_id = _one_to_one_conversation(sender_id, recipient_id)
    return InboundMessage(
        external_id=event_id,
        thread_id=DM_THREAD_PREFIX + conversation_id,
        kind=ConversationKind.PRIVATE,
        visibility=Visibility.PRIVATE,
        author=Author(external_id=sender_id, name=_display_name(sender.get("name"), screen_name)),
        text=_without_media_links(_expand_urls(text, message_data.get("entities")), message_data),
        created_at=_millis(
            event.get("created_timestamp"), f"{where}.created_timestamp", fallback_id=event_id
        ),
        attachments=_v1_dm_attachment(message_data.get("attachment")),
        is_echo=sender_id == own_id,
        reply_context=_drop_empty(
            {
                "dm_conversation_id": conversation_id,
                "sender_id": sender_id,
                "screen_name": screen_name,
            }
        ),
    )


def _v1_time(tweet: dict[str, Any], tweet_id: str, where: str) -> datetime:
    if "timestamp_ms" in tweet:
        return _millis(tweet["timestamp_ms"], f"{where}.timestamp_ms", fallback_id=tweet_id)
    value = tweet.get("created_at")
    if not isinstance(value, str):
        return _snowflake_time(tweet_id, f"{where}.created_at")
    try:
        return datetime.strptime(value, V1_TIME_FORMAT).astimezone(UTC)
    except ValueError:
        raise PayloadError(
            f"{where}.created_at: not a date like 'Sat Nov 28 14:00:00 +0000 2026'"
        ) from None


def _v1_media(extended_entities: Any) -> tuple[Attachment, ...]:
    if not isinstance(extended_entities, dict):
        return ()
    media = extended_entities.get("media")
    return tuple(
        Attachment(
            kind=MEDIA_KINDS.get(str(item.get("type")), "file"),
            url=_url(item.get("media_url_https")),
        )
        for item in (media if isinstance(media, list) else [])[:20]
        if isinstance(item, dict)
    )


def _v1_dm_attachment(attachment: Any) -> tuple[Attachment, ...]:
    if not isinstance(attachment, dict) or not isinstance(attachment.get("media"), dict):
        return ()
    media = attachment["media"]
    return (
        Attachment(
            kind=MEDIA_KINDS.get(str(media.get("type")), "file"),
            url=_url(media.get("media_url_https")),
        ),
    )


# ---------------------------------------------------------------------------------------
# X Activity API envelope and polled v2 items: v2 post and DM event objects.


def _activity_event(event: dict[str, Any]) -> list[InboundMessage]:
    event_type = event.get("event_type")
    if not isinstance(event_type, str):
        raise PayloadError("data.event_type: missing")
    if event_type not in ACTIVITY_POST_EVENTS | ACTIVITY_DM_EVENTS:
        return []  # likes, follows, deletions, profile changes… hold no citizen message
    event_uuid = _optional_text(event.get("event_uuid"), "data.event_uuid")
    subscription_filter = _object(event.get("filter"), "data.filter")
    own_id = _id(subscription_filter.get("user_id"), "data.filter.user_id")
    payload = _object(event.get("payload"), "data.payload")
    includes = _object(event.get("includes") or {}, "data.includes")
    extra = {"event_uuid": event_uuid}
    if event_type in ACTIVITY_POST_EVENTS:
        return [_v2_post(payload, includes, own_id, "data.payload", extra)]
    message = _v2_direct_message(payload, includes, own_id, "data.payload", extra)
    return [] if message is None else [message]


def _polled_item(data: dict[str, Any]) -> list[InboundMessage]:
    own_id = _id(data.get("for_user_id"), "for_user_id")
    item = _object(data["data"], "data")
    includes = _object(data.get("includes") or {}, "includes")
    if "event_type" in item:
        message = _v2_direct_message(item, includes, own_id, "data", {})
        return [] if message is None else [message]
    if _is_repost(item):
        return []  # a repost of someone's post: nothing was said to the profile
    return [_v2_post(item, includes, own_id, "data", {})]


def _v2_post(
    post: dict[str, Any],
    includes: dict[str, Any],
    own_id: str,
    where: str,
    extra: Mapping[str, Any],
) -> InboundMessage:
    post_id = _id(post.get("id"), f"{where}.id")
    author_id = _id(post.get("author_id"), f"{where}.author_id")
    # Posts over 280 characters carry their whole text in note_tweet.
    note = post.get("note_tweet")
    if isinstance(note, dict) and "text" in note:
        text = _text(note["text"], f"{where}.note_tweet.text")
        entities = note.get("entities")
    else:
        text = _text(post.get("text"), f"{where}.text")
        entities = post.get("entities")
    in_reply_to = _replied_to(post.get("referenced_tweets"), f"{where}.referenced_tweets")
    conversation_id = _optional_id(post.get("conversation_id"), f"{where}.conversation_id")
    thread_id = conversation_id or in_reply_to or post_id
    user = _included_user(includes, author_id)
    screen_name = _optional_text(user.get("username"), "includes.users.username")
    return InboundMessage(
        external_id=post_id,
        thread_id=thread_id,
        kind=ConversationKind.PUBLIC_THREAD,
        visibility=Visibility.PUBLIC,
        author=Author(external_id=author_id, name=_display_name(user.get("name"), screen_name)),
        text=_expand_urls(text, entities),
        created_at=_iso_time(post.get("created_at"), f"{where}.created_at", fallback_id=post_id),
        in_reply_to=in_reply_to,
        attachments=_v2_media(post.get("attachments"), includes),
        is_echo=author_id == own_id,
        reply_context=_drop_empty(
            {
                "tweet_id": post_id,
                "author_id": author_id,
                "screen_name": screen_name,
                "conversation_id": thread_id,
                **extra,
            }
        ),
    )


def _v2_direct_message(
    event: dict[str, Any],
    includes: dict[str, Any],
    own_id: str,
    where: str,
    extra: Mapping[str, Any],
) -> InboundMessage | None:
    event_type = event.get("event_type", "MessageCreate")
    if event_type != "MessageCreate":
        return None  # a participant joining or leaving a group conversation
    event_id = _id(event.get("id"), f"{where}.id")
    sender_id = _id(event.get("sender_id"), f"{where}.sender_id")
    text = _text(event.get("text", ""), f"{where}.text")
    conversation_id = event.get("dm_conversation_id")
    if conversation_id is None:
        # One-to-one without the id spelled out: X forms it from the two user ids.
        conversation_id = _one_to_one_conversation(sender_id, own_id)
    elif not isinstance(conversation_id, str) or not DM_CONVERSATION_ID.fullmatch(conversation_id):
        raise PayloadError(f"{where}.dm_conversation_id: not a DM conversation id")
    user = _included_user(includes, sender_id)
    screen_name = _optional_text(user.get("username"), "includes.users.username")
    return InboundMessage(
        external_id=event_id,
        thread_id=DM_THREAD_PREFIX + conversation_id,
        kind=ConversationKind.PRIVATE,
        visibility=Visibility.PRIVATE,
        author=Author(external_id=sender_id, name=_display_name(user.get("name"), screen_name)),
        text=_expand_urls(text, event.get("entities")),
        created_at=_iso_time(event.get("created_at"), f"{where}.created_at", fallback_id=event_id),
        attachments=_v2_media(event.get("attachments"), includes),
        is_echo=sender_id == own_id,
        reply_context=_drop_empty(
            {
                "dm_conversation_id": conversation_id,
                "sender_id": sender_id,
                "screen_name": screen_name,
                **extra,
            }
        ),
    )


def _is_repost(post: dict[str, Any]) -> bool:
    references = post.get("referenced_tweets")
    return isinstance(references, list) and any(
        isinstance(ref, dict) and ref.get("type") == "retweeted" for ref in references
    )


def _replied_to(references: Any, where: str) -> str | None:
    if references is None:
        return None
    for index, reference in enumerate(_list(references, where)):
        if isinstance(reference, dict) and reference.get("type") == "replied_to":
            return _id(reference.get("id"), f"{where}[{index}].id")
    return None


def _included_user(includes: dict[str, Any], user_id: str) -> dict[str, Any]:
    users = includes.get("users")
    for user in users if isinstance(users, list) else []:
        if isinstance(user, dict) and user.get("id") == user_id:
            return user
    return {}


def _v2_media(attachments: Any, includes: dict[str, Any]) -> tuple[Attachment, ...]:
    if not isinstance(attachments, dict) or not isinstance(attachments.get("media_keys"), list):
        return ()
    media = includes.get("media")
    by_key = {
        item.get("media_key"): item
        for item in (media if isinstance(media, list) else [])
        if isinstance(item, dict) and isinstance(item.get("media_key"), str)
    }
    found = []
    for key in attachments["media_keys"][:20]:
        item = by_key.get(key) if isinstance(key, str) else None
        if item is not None:
            found.append(
                Attachment(
                    kind=MEDIA_KINDS.get(str(item.get("type")), "file"),
                    url=_url(item.get("url") or item.get("preview_image_url")),
                )
            )
    return tuple(found)


def _iso_time(value: Any, where: str, *, fallback_id: str) -> datetime:
    if value is None:
        return _snowflake_time(fallback_id, where)
    if not isinstance(value, str):
        raise PayloadError(f"{where}: not a date")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PayloadError(f"{where}: not an ISO 8601 date like 2026-11-28T14:00:00.000Z") from None
    if moment.tzinfo is None:
        raise PayloadError(f"{where}: needs a time zone")
    return moment.astimezone(UTC)


# ---------------------------------------------------------------------------------------
# Small checks shared by all shapes; each says where in the payload something is wrong.


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{where}: must be a JSON object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise PayloadError(f"{where}: must be a list")
    if len(value) > MAX_EVENTS:
        raise PayloadError(f"{where}: more than {MAX_EVENTS} items")
    return value


def _id(value: Any, where: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not ID.fullmatch(value):
        raise PayloadError(f"{where}: missing or not a numeric X id")
    return value


def _optional_id(value: Any, where: str) -> str | None:
    return None if value in (None, "") else _id(value, where)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise PayloadError(f"{where}: missing or not text")
    if len(value) > MAX_TEXT:
        raise PayloadError(f"{where}: longer than {MAX_TEXT} characters")
    return value


def _optional_text(value: Any, where: str) -> str:
    if value is None:
        return ""
    return _text(value, where)[:200]


def _millis(value: Any, where: str, *, fallback_id: str) -> datetime:
    if value is None:
        return _snowflake_time(fallback_id, where)
    if isinstance(value, str) and MILLIS.fullmatch(value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise PayloadError(f"{where}: not a time in milliseconds")
    return _from_millis(value, where)


def _snowflake_time(snowflake: str, where: str) -> datetime:
    """The creation time every post and DM id carries, for payloads that leave it out."""
    return _from_millis((int(snowflake) >> 22) + SNOWFLAKE_EPOCH_MS, where)


def _from_millis(millis: int, where: str) -> datetime:
    try:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=millis)
    except OverflowError:
        raise PayloadError(f"{where}: time out of range") from None


def _one_to_one_conversation(first: str, second: str) -> str:
    """X's id of a one-to-one DM conversation: the smaller user id, a dash, the larger."""
    low, high = sorted((first, second), key=int)
    return f"{low}-{high}"


def _display_name(name: Any, screen_name: str) -> str:
    name = name.strip()[:150] if isinstance(name, str) else ""
    if name and screen_name:
        return f"{name} (@{screen_name})"
    return name or (f"@{screen_name}" if screen_name else "")


def _expand_urls(text: str, entities: Any) -> str:
    """X shortens every link to t.co; the agent reads where it points."""
    if not isinstance(entities, dict) or not isinstance(entities.get("urls"), list):
        return text
    for entity in entities["urls"][:50]:
        if not isinstance(entity, dict):
            continue
        short, expanded = entity.get("url"), entity.get("expanded_url")
        if not (isinstance(short, str) and short.startswith("http")):
            continue
        if isinstance(expanded, str) and expanded:
            longer = text.replace(short, expanded[:2000])
            if len(longer) <= MAX_TEXT:  # a hostile payload cannot inflate the text
                text = longer
    return text


def _without_media_links(text: str, holder: dict[str, Any]) -> str:
    """The t.co link X appends for a photo or video: the attachment stands for it."""
    media: list[Any] = []
    extended = holder.get("extended_entities")
    if isinstance(extended, dict) and isinstance(extended.get("media"), list):
        media = extended["media"][:20]
    attachment = holder.get("attachment")
    if isinstance(attachment, dict) and isinstance(attachment.get("media"), dict):
        media = [attachment["media"]]
    for item in media:
        link = item.get("url") if isinstance(item, dict) else None
        if isinstance(link, str) and link.startswith("https://t.co/"):
            text = text.replace(link, "").rstrip()
    return text


def _url(value: Any) -> str:
    return value[:2000] if isinstance(value, str) else ""


def _drop_empty(context: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in context.items() if value not in (None, "")}
