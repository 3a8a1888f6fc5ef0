"""The JSON event the form page stores in the ledger for each submission (version 1).

Loket writes it itself (there is no platform), so the shape is ours: `encode` on the form
page, `parse.parse` in the worker. Example in fixtures/submission__with_email.json.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from loket.channels.connectors.webform.config import LANGUAGES

EVENT_TYPE: Literal["webform.submission"] = "webform.submission"
MAX_MESSAGE = 5000
MAX_NAME = 200
MAX_SUBJECT = 200
MAX_EMAIL = 254
# Line breaks or other control characters in a one-line field would end up in mail headers.
_CONTROL = {chr(code) for code in (*range(32), 127)}


def reference_of(submission_id: str) -> str:
    """What the citizen is told to quote: the first 8 characters of the submission's UUID."""
    return submission_id.replace("-", "")[:8].upper()


class Consent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    given: Literal[True]
    # The sentence the citizen agreed to, as shown, in their language.
    text: str = Field(min_length=1, max_length=1000)


class Submission(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["webform.submission"] = EVENT_TYPE
    submission_id: uuid.UUID
    submitted_at: datetime
    language: str
    organisation: str = Field(min_length=1, max_length=200)
    name: str = Field("", max_length=MAX_NAME)
    email: str = Field("", max_length=MAX_EMAIL)
    subject: str = Field("", max_length=MAX_SUBJECT)
    message: str = Field(min_length=1, max_length=MAX_MESSAGE)
    consent: Consent

    @field_validator("submitted_at")
    @classmethod
    def _with_time_zone(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2026-11-28T10:15:00+01:00")
        return value

    @field_validator("language")
    @classmethod
    def _offered(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("organisation", "name", "email", "subject")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if _CONTROL.intersection(value):
            raise ValueError("must be one line without control characters")
        return value

    @field_validator("email")
    @classmethod
    def _looks_like_an_address(cls, value: str) -> str:
        # The form checked it with Django's validator; this only guards the shape.
        if value and (value.count("@") != 1 or " " in value or value.startswith("@")):
            raise ValueError("is not an e-mail address")
        return value

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty")
        return value

    @property
    def reference(self) -> str:
        return reference_of(str(self.submission_id))


def encode(submission: Submission) -> bytes:
    """The bytes stored in the ledger."""
    return json.dumps(submission.model_dump(mode="json"), ensure_ascii=False).encode()
