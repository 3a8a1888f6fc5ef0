"""One Mastodon notification (as stored by the poller) → InboundMessage. Pure: no database,
no network.

The body is a `mention` notification exactly as `GET /api/v1/notifications` returns it, with
one key added by the poller: `loket_account`, the id and username of the profile that polled.
Parsing sees only the stored bytes, and needs to know the profile to recognise its own posts
(the echo guard) and to take its @mention off the front of the citizen's text. Without that
key the message is parsed all the same, with nothing recognised as the profile's own.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import PurePosixPath
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from loket.channels.connectors.mastodon.text import html_to_text
from loket.channels.contracts import (
    Attachment,
    Author,
    ConversationKind,
    InboundMessage,
    PayloadError,
    Visibility,
)

OWN_ACCOUNT_KEY = "loket_account"
# The thread of a direct conversation is the citizen's account (see `_thread_id`).
DIRECT_THREAD_PREFIX = "direct:"
MAX_TEXT = 20_000
PUBLIC_VISIBILITIES = frozenset({"public", "unlisted", "private"})

# Mastodon ids are strings of digits; other servers of the same API use letters too.
Id = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{1,200}$")]
# A leading @mention: `@user` or `@user@server`, perhaps followed by `,` or `:`.
_LEADING_MENTION = re.compile(
    r"[ \t\n]*@(?P<username>\w+(?:[\w.-]*\w)?)(?:@[\w.-]*\w)?[,:;]?(?=[ \t\n]|$)"
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class _Account(_Model):
    id: Id
    acct: str = Field(min_length=1, max_length=200)
    username: str = Field("", max_length=200)
    display_name: str = ""


class _Mention(_Model):
    id: Id
    acct: str = ""
    username: str = ""


class _Media(_Model):
    type: str = Field("unknown", max_length=40)
    url: str | None = None
    remote_url: str | None = None
    description: str | None = None


class _Status(_Model):
    id: Id
    created_at: datetime
    in_reply_to_id: Id | None = None
    visibility: str = Field(max_length=40)
    content: str = ""
    spoiler_text: str = ""
    mentions: list[_Mention] = Field(default_factory=list)
    media_attachments: list[_Media] = Field(default_factory=list, max_length=100)

    @field_validator("created_at")
    @classmethod
    def _with_time_zone(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone")
        return value


class _OwnAccount(_Model):
    id: str = ""
    acct: str = ""


class _Notification(_Model):
    id: Id
    type: str
    account: _Account
    status: _Status | None = None
    loket_account: _OwnAccount | None = None


def parse(body: bytes) -> list[InboundMessage]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError(f"body is not valid JSON: {error}") from None
    except RecursionError:
        raise PayloadError("body is nested too deeply") from None
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object (one notification)")
    try:
        notification = _Notification.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise PayloadError(f"{where}: {first['msg']}") from None
    if notification.type != "mention":
        raise PayloadError(f"notification type {notification.type[:40]!r} is not a mention")
    status = notification.status
    if status is None:
        raise PayloadError("status: a mention notification needs its status")
    return [_message(notification, status)]


def _message(notification: _Notification, status: _Status) -> InboundMessage:
    author = notification.account
    own = notification.loket_account or _OwnAccount()
    public = status.visibility in PUBLIC_VISIBILITIES
    return InboundMessage(
        # The status, not the notification: replies point at statuses, and Loket's own
        # replies are recorded by their status id (the framework's echo check).
        external_id=status.id,
        thread_id=_thread_id(status=status, author=author, public=public),
        # Followers-only posts are seen by others too, so they are answered as public ones;
        # a visibility this connector does not know is treated as the most private.
        kind=ConversationKind.PUBLIC_THREAD if public else ConversationKind.PRIVATE,
        visibility=Visibility.PUBLIC if public else Visibility.PRIVATE,
        author=Author(external_id=author.acct, name=(author.display_name or author.acct)[:200]),
        text=_text(status, own)[:MAX_TEXT],
        created_at=status.created_at,
        in_reply_to=status.in_reply_to_id,
        attachments=tuple(_attachment(media) for media in status.media_attachments),
        is_echo=_is_own(author, own),
        reply_context={
            "status_id": status.id,
            "acct": author.acct,
            "visibility": status.visibility,
        },
    )


def _thread_id(*, status: _Status, author: _Account, public: bool) -> str:
    """Which conversation a status belongs to.

    Public: the status it replies to, else the status itself. The REST API names no thread
    root, and finding it would cost a request per mention; this way the comments under one
    of the profile's posts form one conversation, and a new mention starts one.
    Direct: the citizen's account, so that every direct message with one person is one
    private conversation (as with Messenger), whichever message it answers.
    """
    if not public:
        return DIRECT_THREAD_PREFIX + author.id
    return status.in_reply_to_id or status.id


def _text(status: _Status, own: _OwnAccount) -> str:
    body = _without_own_mention(html_to_text(status.content), _own_usernames(status, own))
    warning = html_to_text(status.spoiler_text)
    # A content warning is the citizen's own summary of the post: it goes first.
    return f"{warning}\n\n{body}".strip() if warning else body


def _own_usernames(status: _Status, own: _OwnAccount) -> set[str]:
    names = {own.acct.lower()} if own.acct else set()
    for mention in status.mentions:
        if own.id and mention.id == own.id:
            names.add((mention.username or mention.acct.split("@", 1)[0]).lower())
    names.discard("")
    return names


def _without_own_mention(text: str, own_usernames: set[str]) -> str:
    """Take the profile's @mention off the run of mentions the text starts with; the
    citizen's mentions of other people stay."""
    if not own_usernames:
        return text
    kept: list[str] = []
    position = 0
    removed = False
    while match := _LEADING_MENTION.match(text, position):
        if not removed and match["username"].lower() in own_usernames:
            removed = True
        else:
            kept.append(match.group(0).strip())
        position = match.end()
    if not removed:
        return text
    rest = text[position:].lstrip(" \t\n")
    return " ".join([*kept, rest]).strip() if kept else rest


def _attachment(media: _Media) -> Attachment:
    url = media.url or media.remote_url or ""
    try:
        file_name = PurePosixPath(urlsplit(url).path).name
    except ValueError:  # not a URL after all
        file_name = ""
    return Attachment(kind=media.type, name=(media.description or file_name)[:255], url=url[:2000])


def _is_own(author: _Account, own: _OwnAccount) -> bool:
    if own.id and author.id == own.id:
        return True
    # The profile is local to the server that reports it, so its acct is its username.
    return bool(own.acct) and author.acct.lower() == own.acct.lower()
