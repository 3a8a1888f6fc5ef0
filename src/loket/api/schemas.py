"""What the API reads and answers: pydantic schemas, and the mapping from inbox rows to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

if TYPE_CHECKING:
    from loket.inbox.models import Case, Conversation, Message

# Largest id a client may send: the range of the database's 64-bit keys.
MAX_ID = 2**63 - 1
MAX_LIMIT = 500  # the same bound as loket.inbox.selectors.MAX_PAGE

# Free text from the query string: as long as the inbox keeps it, and never a NUL character,
# which PostgreSQL refuses in a string.
FilterText = Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00]*$")]
Slug = Annotated[str, StringConstraints(max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")]
Cursor = Annotated[str, StringConstraints(max_length=200, pattern=r"^[-A-Za-z0-9_=]+$")]

# The case filter's status values: a status, "active" (everything not closed) or "all".
# tests/api keeps this list equal to the inbox's statuses.
CASE_STATUSES = (
    "new",
    "open",
    "waiting_on_citizen",
    "waiting_on_third_party",
    "answered",
    "closed",
)
StatusFilter = Literal[
    "active",
    "all",
    "new",
    "open",
    "waiting_on_citizen",
    "waiting_on_third_party",
    "answered",
    "closed",
]

ORG_DESCRIPTION = "Slug of the organisation to work in; required when you belong to more than one."


class ErrorOut(Schema):
    detail: str


class InputErrorOut(Schema):
    """The request did not match the schema: one entry per problem, with where it is."""

    detail: list[dict[str, Any]]


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages per field, where they concern one field."
    )


class OrgQuery(Schema):
    org: Slug | None = Field(None, description=ORG_DESCRIPTION)


class PageQuery(OrgQuery):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Items per page, 1–{MAX_LIMIT}.")
    cursor: Cursor | None = Field(
        None, description="Where the page starts: copied from the `next` link of the page before."
    )


class CaseQuery(PageQuery):
    """The inbox's filters, by the same names as in the pages' query strings."""

    status: StatusFilter = Field(
        "active", description='A status, "active" (not closed, the default) or "all".'
    )
    channel: int | None = Field(None, ge=1, le=MAX_ID, description="Channel account id.")
    team: int | None = Field(None, ge=1, le=MAX_ID, description="Team id.")
    assignee: FilterText | None = Field(
        None, description='"me", "none" (unassigned), a user id or a member\'s user name.'
    )
    message_type: FilterText | None = Field(None, description="e.g. question, complaint.")
    topic: FilterText | None = None
    language: FilterText | None = Field(None, description="Two-letter language code.")
    priority: FilterText | None = Field(None, description="low, normal, high or urgent.")
    sentiment: FilterText | None = None
    overdue: bool = Field(False, description="Only cases past their first-response deadline.")
    query: FilterText | None = Field(None, description="Words in the subject.")


class TeamOut(Schema):
    id: int
    name: str


class ChannelOut(Schema):
    id: int
    name: str
    connector: str


class ConversationOut(Schema):
    id: int
    kind: str
    title: str


class CaseOut(Schema):
    id: int
    number: int
    subject: str
    status: str
    closing_reason: str
    priority: str
    team: TeamOut | None
    assignee: str | None = Field(description="User name of the assignee.")
    channel: ChannelOut
    message_type: str
    topic: str
    language: str
    sentiment: str
    tags: list[str]
    created_at: datetime
    last_activity_at: datetime
    first_response_due: datetime | None
    first_responded_at: datetime | None
    conversations: list[ConversationOut]


class CasePage(Schema):
    items: list[CaseOut]
    next: str | None = Field(description="URL of the next page, or null on the last page.")


class MessageOut(Schema):
    id: int
    conversation: int
    direction: str = Field(description="inbound (from the citizen) or outbound (from us).")
    visibility: str
    text: str
    author_name: str
    sent_at: datetime = Field(description="When the message was posted, by the platform's clock.")
    delivery_status: str | None = Field(
        description="For our own messages: queued, sending, sent or failed."
    )
    language: str
    message_type: str


class MessagePage(Schema):
    items: list[MessageOut]
    next: str | None = Field(description="URL of the next page, or null on the last page.")


class ReplyIn(Schema):
    text: str = Field(max_length=20_000, pattern=r"^[^\x00]*$")
    visibility: Literal["public", "private"]
    to_message: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Id of the citizen message to answer; default: the latest one.",
    )
    to_all: bool = Field(False, description="Answer each citizen of a grouped case separately.")
    reopen: bool = Field(False, description="Required to reply to a closed case: reopens it.")


def conversation_out(conversation: Conversation) -> ConversationOut:
    return ConversationOut(id=conversation.pk, kind=conversation.kind, title=conversation.title)


def case_out(case: Case) -> CaseOut:
    account = case.channel_account
    return CaseOut(
        id=case.pk,
        number=case.number,
        subject=case.subject,
        status=case.status,
        closing_reason=case.closing_reason,
        priority=case.priority,
        team=TeamOut(id=case.team.pk, name=case.team.name) if case.team else None,
        assignee=case.assignee.get_username() if case.assignee else None,
        channel=ChannelOut(id=account.pk, name=account.name, connector=account.connector),
        message_type=case.message_type,
        topic=case.topic,
        language=case.language,
        sentiment=case.sentiment,
        tags=[str(tag) for tag in case.tags],
        created_at=case.created_at,
        last_activity_at=case.last_activity_at,
        first_response_due=case.first_response_due,
        first_responded_at=case.first_responded_at,
        # Sorted here, so a prefetched list is used as it is.
        conversations=[
            conversation_out(c)
            for c in sorted(case.conversations.all(), key=lambda c: (c.created_at, c.pk))
        ],
    )


def message_out(message: Message) -> MessageOut:
    delivery = message.delivery if message.direction == "outbound" else None
    return MessageOut(
        id=message.pk,
        conversation=message.conversation_id,
        direction=message.direction,
        visibility=message.visibility,
        text=message.text,
        author_name=message.author_name,
        sent_at=message.platform_time,
        delivery_status=delivery.status if delivery is not None else None,
        language=message.language,
        message_type=message.message_type,
    )
