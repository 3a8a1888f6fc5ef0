"""Cases, their conversations' messages, and replies: thin over the inbox's selectors and
services, always inside one organisation of the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import translation
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from loket.api import pagination
from loket.api.access import caller, organisation_access
from loket.api.schemas import (
    MAX_ID,
    ORG_DESCRIPTION,
    CaseOut,
    CasePage,
    CaseQuery,
    ErrorOut,
    InputErrorOut,
    MessageOut,
    MessagePage,
    PageQuery,
    ReplyIn,
    ValidationErrorOut,
    case_out,
    message_out,
)
from loket.inbox import selectors, services
from loket.tenancy import selectors as tenancy_selectors
from loket.tenancy.permissions import Permission

if TYPE_CHECKING:
    from loket.inbox.models import Case
    from loket.tenancy.selectors import OrganisationAccess

router = Router(tags=["cases"])

AUTH_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InputErrorOut}
READ_ERRORS: dict[int, Any] = {400: ErrorOut, **AUTH_ERRORS}
CaseId = Path(..., ge=1, le=MAX_ID, description="The case's id (not its number).")
OrgParam = Query(None, description=ORG_DESCRIPTION, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")


def _case(access: OrganisationAccess, case_id: int) -> Case:
    case = selectors.case_by_id(access.organisation, case_id)
    if case is None:
        raise HttpError(404, "Case not found.")
    return case


def _case_filter(access: OrganisationAccess, query: CaseQuery) -> selectors.CaseFilter:
    values = query.dict(exclude={"org", "limit", "cursor"}, exclude_none=True)
    assignee = values.get("assignee")
    if assignee is not None and assignee.isascii() and assignee.isdigit():
        if int(assignee) > MAX_ID:
            raise HttpError(400, "No such user id.")
    elif assignee is not None and assignee not in {"me", "none"}:
        member = (
            tenancy_selectors.memberships_of(access.organisation)
            .filter(user__username__iexact=assignee)
            .first()
        )
        if member is None:
            raise HttpError(400, f"No member of {access.organisation.slug} is called {assignee}.")
        values["assignee"] = str(member.user_id)
    return selectors.CaseFilter.from_mapping(values)


@router.get(
    "/cases",
    response={200: CasePage, **READ_ERRORS},
    summary="Cases of the organisation, newest activity first",
    description=(
        "Filters as in the inbox; by default the cases that are not closed. "
        "Follow `next` for the following page until it is null."
    ),
)
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> CasePage:
    access = organisation_access(request, filters.org, Permission.VIEW_CASES)
    cases = selectors.cases_of(
        access.organisation, _case_filter(access, filters), user=caller(request)
    )
    page = selectors.page_of(cases, limit=filters.limit, cursor=filters.cursor)
    prefetch_related_objects(page.items, "conversations")
    return CasePage(
        items=[case_out(case) for case in page.items],
        next=pagination.next_link(request, page.next_cursor),
    )


@router.get(
    "/cases/{id}",
    response={200: CaseOut, **READ_ERRORS},
    summary="One case, with the conversations it spans",
)
def get_case(request: HttpRequest, id: int = CaseId, org: str | None = OrgParam) -> CaseOut:
    access = organisation_access(request, org, Permission.VIEW_CASES)
    return case_out(_case(access, id))


@router.get(
    "/conversations/{id}/messages",
    response={200: MessagePage, **READ_ERRORS},
    summary="The messages of one conversation, oldest first",
)
def conversation_messages(
    request: HttpRequest,
    query: Query[PageQuery],
    id: int = Path(..., ge=1, le=MAX_ID),
) -> MessagePage:
    access = organisation_access(request, query.org, Permission.VIEW_CASES)
    conversation = selectors.conversation_of(access.organisation, id)
    if conversation is None:
        raise HttpError(404, "Conversation not found.")
    page = selectors.message_page(
        selectors.conversation_messages(conversation), limit=query.limit, cursor=query.cursor
    )
    return MessagePage(
        items=[message_out(message) for message in page.items],
        next=pagination.next_link(request, page.next_cursor),
    )


@router.post(
    "/cases/{id}/replies",
    response={
        201: list[MessageOut],
        400: ValidationErrorOut,
        409: ErrorOut,
        **AUTH_ERRORS,
    },
    summary="Reply to the citizen(s) of a case",
    description=(
        "Creates the outbound message(s) and queues their delivery. A closed case answers 409 "
        'unless the body says `"reopen": true`.'
    ),
)
def reply(
    request: HttpRequest,
    body: ReplyIn,
    id: int = CaseId,
    org: str | None = OrgParam,
) -> Status[Any]:
    access = organisation_access(request, org, Permission.HANDLE_CASES)
    case = _case(access, id)
    to_message = None
    if body.to_message is not None:
        to_message = selectors.messages_of(case).filter(pk=body.to_message).first()
        if to_message is None:
            problem = "to_message is not a message of this case."
            return Status(400, {"detail": problem, "errors": {"to_message": [problem]}})
    # The API speaks English, whatever language the browser chose for the pages.
    with translation.override("en"):
        try:
            sent = services.reply(
                case=case,
                actor=caller(request),
                text=body.text,
                visibility=body.visibility,
                to_message=to_message,
                to_all=body.to_all,
                reopen=body.reopen,
            )
        except services.CaseClosed as error:
            raise HttpError(
                409, 'This case is closed. Send "reopen": true to reopen it with this reply.'
            ) from error
        except ValidationError as error:
            return Status(400, _refusal(error))
    return Status(201, [message_out(message) for message in sent])


def _refusal(error: ValidationError) -> dict[str, Any]:
    """A service's ValidationError as the answer body: one sentence, and messages per field."""
    errors = (
        {field: list(messages) for field, messages in error.message_dict.items()}
        if hasattr(error, "error_dict")
        else {}
    )
    return {"detail": " ".join(error.messages), "errors": errors}
