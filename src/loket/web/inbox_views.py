"""The agent's workspace: the inbox list, the case page and its presence endpoint.

Thin, like every page: reads go through the inbox, channels and tenancy selectors; the
actions on a case (inbox_actions) call the inbox services. Everything works without
JavaScript; htmx swaps and refreshes the list, inbox.js adds presence, the character count
and keyboard shortcuts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from loket.channels import selectors as channel_selectors
from loket.inbox import presence, selectors
from loket.inbox.models import CaseStatus, Direction, PresenceActivity
from loket.inbox.selectors import CaseFilter
from loket.inbox.workflow import Action
from loket.tenancy import selectors as tenancy_selectors
from loket.tenancy.permissions import Permission, role_has
from loket.tenancy.selectors import OrganisationAccess
from loket.web import inbox_display as display
from loket.web.access import organisation_page, signed_in_user
from loket.web.inbox_forms import (
    AssignForm,
    FilterForm,
    LabelForm,
    MergeForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    SplitForm,
    StatusForm,
    TagsForm,
)

if TYPE_CHECKING:
    from loket.inbox.models import Case, Message

PAGE_SIZE = 50
# View tabs count up to this many cases, then say "1000+" (selectors.count is capped).
COUNT_CAP = 1000
# How often the open list refreshes itself, and how often a case page reports presence.
LIST_REFRESH_SECONDS = 30
PRESENCE_POLL_SECONDS = 5
MAX_TOPICS = 200
FAILED = "failed"  # a delivery that stopped retrying (channels DeliveryState.FAILED)


# ---------------------------------------------------------------------------------------
# Reads the pages need beyond the selectors (candidates for loket.inbox.selectors).


def _topics(organisation: Any) -> list[str]:
    """The topics in use, for the topic filter."""
    return selectors.recent_topics(organisation, limit=MAX_TOPICS)


def handlers(access: OrganisationAccess) -> list[tuple[int, str]]:
    """The members who may handle cases: the people a case can be assigned to."""
    return [
        (m.user.pk, m.user.get_full_name() or m.user.get_username())
        for m in tenancy_selectors.memberships_of(access.organisation)
        if role_has(m.role, Permission.HANDLE_CASES)
    ]


def teams_of(access: OrganisationAccess) -> list[tuple[int, str]]:
    return [(team.pk, team.name) for team in tenancy_selectors.teams_of(access.organisation)]


def case_or_404(access: OrganisationAccess, number: int) -> Case:
    case = selectors.case_of(access.organisation, number)
    if case is None:
        raise Http404("No such case.")
    return case


def _count_label(cases: Any) -> str:
    found = selectors.count(cases, cap=COUNT_CAP + 1)
    return f"{COUNT_CAP}+" if found > COUNT_CAP else str(found)


# ---------------------------------------------------------------------------------------
# The inbox list


@dataclass(frozen=True)
class ViewTab:
    name: str
    query: str
    count: str
    current: bool
    shared: bool = False
    deletable_id: int | None = None


def _view_tabs(
    access: OrganisationAccess, user: Any, current: CaseFilter, counted: dict[CaseFilter, str]
) -> list[ViewTab]:
    """Built-in views, then the saved views of the user and of the organisation.

    `counted` holds the counts already made in this request: a filter is counted once.
    """
    built_in = [
        (_("Active"), CaseFilter(), False),
        (_("Assigned to me"), CaseFilter(assignee="me"), False),
        (_("Unassigned"), CaseFilter(assignee="none"), False),
        (_("Overdue"), CaseFilter(overdue=True), False),
    ]
    may_manage_shared = access.can(Permission.ASSIGN_CASES)
    saved = [
        (
            view.name,
            CaseFilter.from_mapping(view.filters or {}),
            view.owner_id is None,
            view.pk if view.owner_id == user.pk or may_manage_shared else None,
        )
        for view in selectors.saved_views(access.organisation, user)
    ]
    tabs = []
    for name, case_filter, shared, deletable_id in [
        *((n, f, s, None) for n, f, s in built_in),
        *saved,
    ]:
        if case_filter not in counted:
            cases = selectors.cases_of(access.organisation, case_filter, user=user)
            counted[case_filter] = _count_label(cases)
        tabs.append(
            ViewTab(
                name=str(name),
                query=urlencode(case_filter.as_query()),
                count=counted[case_filter],
                current=case_filter == current,
                shared=shared,
                deletable_id=deletable_id,
            )
        )
    return tabs


@organisation_page(Permission.VIEW_CASES)
@require_GET
def inbox_list(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    user = signed_in_user(request)
    organisation = access.organisation
    case_filter = CaseFilter.from_mapping(request.GET)
    cases = selectors.cases_of(organisation, case_filter, user=user)
    cursor = request.GET.get("after", "")
    bad_cursor = False
    try:
        page = selectors.page_of(cases, limit=PAGE_SIZE, cursor=cursor or None)
    except selectors.BadCursor:
        bad_cursor, cursor = True, ""
        page = selectors.page_of(cases, limit=PAGE_SIZE)
    filter_query = case_filter.as_query()
    people = handlers(access)
    counted = {case_filter: _count_label(cases)}
    context = {
        "rows": display.rows(page.items, timezone.now()),
        "views": _view_tabs(access, user, case_filter, counted),
        "total": counted[case_filter],
        "bad_cursor": bad_cursor,
        "cursor": cursor,
        "filter_query": urlencode(filter_query),
        "filter_items": sorted(filter_query.items()),
        "older_query": (
            urlencode({**filter_query, "after": page.next_cursor}) if page.next_cursor else ""
        ),
        "filtered": bool(filter_query),
        "refresh_url": request.get_full_path(),
        "refresh_seconds": LIST_REFRESH_SECONDS,
        "filter_form": FilterForm(
            initial=filter_query,
            channels=[(a.pk, a.name) for a in channel_selectors.accounts_of(organisation)],
            teams=teams_of(access),
            people=people,
            topics=_topics(organisation),
        ),
    }
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "web/inbox/_live.html" if partial else "web/inbox/list.html"
    return render(request, template, context, status=400 if bad_cursor else 200)


# ---------------------------------------------------------------------------------------
# The case page


def case_url(access: OrganisationAccess, case: Case, anchor: str = "") -> str:
    url = reverse("inbox-case", args=[access.organisation.slug, case.number])
    return f"{url}#{anchor}" if anchor else url


def reply_form(inbound: list[Message], citizens: int, data: Any = None) -> ReplyForm:
    composer = display.composer(inbound, citizens)
    return ReplyForm(
        data,
        initial={"visibility": composer.default_visibility},
        visibilities=composer.visibilities,
        targets=composer.targets,
    )


# Where each form lives on the case page, for the error summary's links.
FORM_ANCHORS = {
    "reply_form": "composer",
    "note_form": "notes",
    "assign_form": "assign",
    "status_form": "status",
    "priority_form": "priority",
    "tags_form": "tags",
    "label_form": "labels",
    "merge_form": "merge",
    "split_form": "conversation",
}


def render_case(
    request: HttpRequest,
    access: OrganisationAccess,
    case: Case,
    *,
    bound: dict[str, Form] | None = None,
    reopen_confirm: bool = False,
) -> HttpResponse:
    user = signed_in_user(request)
    conversation = list(selectors.messages_of(case))
    inbound = [m for m in conversation if m.direction == Direction.INBOUND]
    citizens = list(selectors.citizens_of(case))
    teams = teams_of(access)
    people = handlers(access)
    composer = display.composer(inbound, len(citizens))
    may_handle = access.can(Permission.HANDLE_CASES)
    may_assign = access.can(Permission.ASSIGN_CASES)
    forms: dict[str, Form] = {}
    if may_handle:
        forms["reply_form"] = reply_form(inbound, len(citizens))
        forms["note_form"] = NoteForm()
        forms["status_form"] = StatusForm()
        forms["priority_form"] = PriorityForm(initial={"priority": case.priority})
        forms["tags_form"] = TagsForm(initial={"tags": ", ".join(case.tags or [])})
        forms["label_form"] = LabelForm(
            initial={
                "message_type": case.message_type,
                "topic": case.topic,
                "language": case.language,
                "sentiment": case.sentiment,
            }
        )
        forms["merge_form"] = MergeForm()
        forms["split_form"] = SplitForm(message_ids=[m.pk for m in conversation])
    if may_assign:
        forms["assign_form"] = AssignForm(
            initial={"team": case.team_id, "assignee": case.assignee_id},
            teams=teams,
            people=people,
        )
    forms.update(bound or {})
    errors = [
        (FORM_ANCHORS.get(name, ""), error)
        for name, form in (bound or {}).items()
        if form.is_bound
        for field_errors in form.errors.values()
        for error in field_errors
    ]
    events = list(selectors.history_of(case))
    lines = display.timeline(events, team_names=dict(teams), user_names=dict(people))
    context = {
        "case": case,
        "overdue": display.is_overdue(case, timezone.now()),
        "status_label": display.status_label(case.status),
        "labels": [
            (display.LABEL_NAMES[name], display.label_value(name, getattr(case, name)))
            for name in ("message_type", "topic", "language", "sentiment")
        ],
        "conversation": [
            {"message": m, "author": display.author_of(m), "failed": _failed(m)}
            for m in conversation
        ],
        "conversation_count": len({m.conversation_id for m in conversation}),
        "citizens": citizens,
        "earlier_cases": selectors.earlier_cases(case),
        "history": lines,
        "notes": [line for line in lines if line.body],
        "composer": composer,
        "allowed_actions": [
            (value, label)
            for value, label in display.allowed_actions(case.status)
            if value != Action.CLOSE
        ],
        "may_close": display.may(case.status, Action.CLOSE),
        "is_closed": case.status == CaseStatus.CLOSED,
        "may_handle": may_handle,
        "may_assign": may_assign,
        "reopen_confirm": reopen_confirm,
        "error_summary": errors,
        "others": presence.others_on(case, user),
        "poll_seconds": PRESENCE_POLL_SECONDS,
        **forms,
    }
    return render(request, "web/inbox/case.html", context)


def _failed(message: Message) -> bool:
    return message.delivery is not None and message.delivery.status == FAILED


@organisation_page(Permission.VIEW_CASES)
@require_GET
def case_detail(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    # Opening a case counts as being on it, also without JavaScript.
    presence.touch(case=case, user=signed_in_user(request), activity=PresenceActivity.VIEWING)
    return render_case(request, access, case)


def _moment(raw: str) -> datetime | None:
    try:
        moment = parse_datetime(raw)
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


@never_cache
@organisation_page(Permission.VIEW_CASES)
@require_POST
def case_presence(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    """Polled by the open case page: say who else is on the case and whether it changed."""
    case = case_or_404(access, number)
    user = signed_in_user(request)
    if request.POST.get("leave"):
        presence.leave(case=case, user=user)
        return HttpResponse(status=204)
    activity = request.POST.get("activity", PresenceActivity.VIEWING)
    presence.touch(case=case, user=user, activity=activity)
    since = _moment(request.POST.get("since", ""))
    changed = since is not None and case.last_activity_at > since
    new_messages = (
        selectors.messages_of(case)
        .filter(direction=Direction.INBOUND, received_at__gt=since)
        .count()
        if changed
        else 0
    )
    return render(
        request,
        "web/inbox/_presence.html",
        {
            "others": presence.others_on(case, user),
            "changed": changed,
            "new_messages": new_messages,
            "case_url": case_url(access, case),
        },
    )
