"""A stored form submission → InboundMessage. Pure: no database, no network."""

from __future__ import annotations

import json

from pydantic import ValidationError

from loket.channels.connectors.webform.event import Submission
from loket.channels.contracts import (
    Author,
    ConversationKind,
    InboundMessage,
    PayloadError,
    Visibility,
)


def parse(body: bytes) -> list[InboundMessage]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError(f"body is not valid JSON: {error}") from None
    except RecursionError:
        raise PayloadError("body is nested too deeply") from None
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    try:
        submission = Submission.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise PayloadError(f"{where}: {first['msg']}") from None
    return [message_of(submission)]


def message_of(submission: Submission) -> InboundMessage:
    submission_id = str(submission.submission_id)
    email = submission.email.strip()
    reference = submission.reference
    return InboundMessage(
        external_id=submission_id,
        # Every submission is a question of its own: its own conversation and case.
        thread_id=f"submission-{submission_id}",
        kind=ConversationKind.FORM,
        visibility=Visibility.PRIVATE,
        # The address names the same person on every form of the organisation; without one,
        # the submission is its own (anonymous) author.
        author=Author(
            external_id=email.lower() or f"anonymous-{submission_id}",
            name=submission.name.strip(),
        ),
        text=submission.message,
        created_at=submission.submitted_at,
        # The reference the citizen was shown, so that agents can find it in the title.
        thread_title=f"{submission.subject.strip()} ({reference})"
        if submission.subject.strip()
        else reference,
        # A citizen's form submission is never our own message: no echo to guard against.
        is_echo=False,
        reply_context={
            "email": email,
            "name": submission.name.strip(),
            "subject": submission.subject.strip(),
            "language": submission.language,
            "organisation": submission.organisation,
            "reference": reference,
        },
    )
