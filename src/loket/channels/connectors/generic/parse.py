"""Raw generic webhook body → InboundMessage. Pure: no database, no network."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from loket.channels.contracts import (
    Attachment,
    Author,
    ConversationKind,
    InboundMessage,
    PayloadError,
    Visibility,
)

MAX_TEXT = 20_000


class _Author(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str = Field(min_length=1, max_length=200)
    name: str = Field("", max_length=200)


class _Attachment(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: str = Field(min_length=1, max_length=40)
    name: str = Field("", max_length=255)
    url: str = Field("", max_length=2000)
    size: int | None = Field(None, ge=0)


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore")
    event_id: str = Field(min_length=1, max_length=200)
    thread_id: str = Field(min_length=1, max_length=200)
    visibility: Literal["public", "private"]
    author: _Author
    text: str = Field(max_length=MAX_TEXT)
    created_at: datetime
    in_reply_to: str | None = Field(None, max_length=200)
    thread_title: str = Field("", max_length=300)
    attachments: list[_Attachment] = Field(default_factory=list, max_length=20)

    @field_validator("created_at")
    @classmethod
    def _with_time_zone(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2026-11-28T10:15:00+01:00")
        return value


def parse(body: bytes) -> list[InboundMessage]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError(f"body is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    try:
        event = _Event.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise PayloadError(f"{where}: {first['msg']}") from None
    visibility = Visibility(event.visibility)
    return [
        InboundMessage(
            external_id=event.event_id,
            thread_id=event.thread_id,
            kind=(
                ConversationKind.PUBLIC_THREAD
                if visibility is Visibility.PUBLIC
                else ConversationKind.PRIVATE
            ),
            visibility=visibility,
            author=Author(external_id=event.author.id, name=event.author.name),
            text=event.text,
            created_at=event.created_at,
            in_reply_to=event.in_reply_to,
            attachments=tuple(
                Attachment(kind=a.kind, name=a.name, url=a.url, size=a.size)
                for a in event.attachments
            ),
            thread_title=event.thread_title,
        )
    ]
