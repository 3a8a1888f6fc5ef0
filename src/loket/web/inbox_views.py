"""The agent's workspace: the inbox list with its tab counts, the case page and its presence
endpoint.

Thin, like every page: reads go through the inbox, channels and tenancy selectors; the
actions on a case (inbox_actions) call the inbox services. Everything works without
JavaScript; htmx swaps and refreshes the list, inbox.js adds presence, the character count
and keyboard shortcuts.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
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
from loket.channels.contracts import ModerationAction
from loket.inbox import presence, selectors
from loket.inbox import services as inbox_services
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
# Tab counts are cached per organisation and filter (and per user for a filter on "me"), so
# page loads, the list's refresh and colleagues on the same views do not count again. A count
# younger than COUNT_FRESH_SECONDS is used as it is: after an agent's own action (assigning,
# closing…) the tab counts may lag behind by up to that long, which is accepted; the list
# itself is never cached. An older count is kept up to COUNT_KEEP_SECONDS only to show in
# the refreshed list while htmx fetches its recount, so the badges do not blink empty on
# every refresh. With several web processes a shared cache (CACHES) spares each its own
# counting; the default per-process memory cache is correct, only less effective.
COUNT_FRESH_SECONDS = 30
COUNT_KEEP_SECONDS = 300
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


# ---------------------------------------------------------------------------------------
# View tabs and their counts


def _count_label(found: int) -> str:
    return f"{COUNT_CAP}+" if found > COUNT_CAP else str(found)


def _count_key(organisation: Any, case_filter: CaseFilter, user: Any) -> str:
    """The cache key of a filter's count: organisation, the filter's canonical form, and the
    user only where the filter depends on who asks ("me")."""
    canonical = urlencode(sorted(case_filter.as_query().items()))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    who = f"user-{user.pk}" if case_filter.assignee == "me" else "all"
    return f"loket:inbox-count:{organisation.pk}:{who}:{COUNT_CAP}:{digest}"


@dataclass(frozen=True)
class CachedCount:
    label: str
    fresh: bool


def cached_counts(
    organisation: Any, user: Any, filters: Iterable[CaseFilter]
) -> dict[CaseFilter, CachedCount]:
    """The counts the cache holds for these filters, fresh or kept; no query."""
    keys = {case_filter: _count_key(organisation, case_filter, user) for case_filter in filters}
    held = cache.get_many(list(keys.values()))
    now = time.time()
    found = {}
    for case_filter, key in keys.items():
        match held.get(key):
            case (int() as number, float() as counted_at):
                fresh = now - counted_at < COUNT_FRESH_SECONDS
                found[case_filter] = CachedCount(_count_label(number), fresh)
    return found


def counts(
    organisation: Any,
    user: Any,
    filters: Iterable[CaseFilter],
    *,
    held: Mapping[CaseFilter, CachedCount] | None = None,
) -> dict[CaseFilter, str]:
    """Capped counts of these filters, counting only those the cache holds no fresh count of
    (`held`: what `cached_counts` found already, to ask the cache only once).

    The caller decides which filters a user may count: only views the user sees.
    """
    wanted = list(dict.fromkeys(filters))
    if held is None:
        held = cached_counts(organisation, user, wanted)
    labels = {
        case_filter: held[case_filter].label for case_filter in held if held[case_filter].fresh
    }
    made: dict[str, tuple[int, float]] = {}
    for case_filter in wanted:
        if case_filter in labels:
            continue
        cases = selectors.cases_of(organisation, case_filter, user=user)
        number = selectors.count(cases, cap=COUNT_CAP + 1)
        made[_count_key(organisation, case_filter, user)] = (number, time.time())
        labels[case_filter] = _count_label(number)
    if made:
        cache.set_many(made, COUNT_KEEP_SECONDS)
    return labels


@dataclass(frozen=True)
class View:
    """A tab before counting: a built-in view or a saved view the user may see."""

    name: str
    case_filter: CaseFilter
    shared: bool = False
    deletable_id: int | None = None


@dataclass(frozen=True)
class ViewTab:
    name: str
    query: str
    count: str | None  # None: not counted yet (the counts endpoint fills it in)
    current: bool
    shared: bool = False
    deletable_id: int | None = None


def views_of(access: OrganisationAccess, user: Any) -> list[View]:
    """Built-in views, then the saved views of the user and of the organisation."""
    may_manage_shared = access.can(Permission.ASSIGN_CASES)
    return [
        View(_("Active"), CaseFilter()),
        View(_("Assigned to me"), CaseFilter(assignee="me")),
        View(_("Unassigned"), CaseFilter(assignee="none")),
        View(_("Overdue"), CaseFilter(overdue=True)),
        *(
            View(
                view.name,
                CaseFilter.from_mapping(view.filters or {}),
                shared=view.owner_id is None,
                deletable_id=(view.pk if view.owner_id == user.pk or may_manage_shared else None),
            )
            for view in selectors.saved_views(access.organisation, user)
        ),
    ]


def tabs_of(
    views: list[View], current: CaseFilter, labels: Mapping[CaseFilter, str]
) -> list[ViewTab]:
    return [
        ViewTab(
            name=str(view.name),
            query=urlencode(view.case_filter.as_query()),
            count=labels.get(view.case_filter),
            current=view.case_filter == current,
            shared=view.shared,
            deletable_id=view.deletable_id,
        )
        for view in views
    ]


def _counts_url(access: OrganisationAccess, filter_query: dict[str, str]) -> str:
    url = reverse("inbox-counts", args=[access.organisation.slug])
    return f"{url}?{urlencode(filter_query)}" if filter_query else url


@organisation_page(Permission.VIEW_CASES)
@require_GET
def inbox_list(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    """The list with its tabs. Only the current view is counted here (or taken from the
    cache); the other tabs show cached counts and get fresh ones from `inbox_counts`, which
    htmx loads after the page, so the page does not wait for them."""
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
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    filter_query = case_filter.as_query()
    views = views_of(access, user)
    held = cached_counts(organisation, user, [case_filter, *(view.case_filter for view in views)])
    total = counts(organisation, user, [case_filter], held=held)[case_filter]
    # A refresh through htmx may show a kept (older) count: its recount follows at once.
    # A whole page shows only fresh ones, since without JavaScript nothing would follow.
    labels = {f: count.label for f, count in held.items() if count.fresh or partial}
    labels[case_filter] = total
    recount = any(
        view.case_filter != case_filter
        and (view.case_filter not in held or not held[view.case_filter].fresh)
        for view in views
    )
    people = handlers(access)
    context = {
        "rows": display.rows(page.items, timezone.now(), link=lambda case: case_url(access, case)),
        "views": tabs_of(views, case_filter, labels),
        "counts_url": _counts_url(access, filter_query) if recount else "",
        "total": total,
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
    template = "web/inbox/_live.html" if partial else "web/inbox/list.html"
    return render(request, template, context, status=400 if bad_cursor else 200)


@never_cache
@organisation_page(Permission.VIEW_CASES)
@require_GET
def inbox_counts(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    """The tab bar with every tab counted: the views this user sees, nothing else. The query
    parameters are the list's filter, only to mark the current tab; they are not counted."""
    user = signed_in_user(request)
    current = CaseFilter.from_mapping(request.GET)
    views = views_of(access, user)
    labels = counts(access.organisation, user, [view.case_filter for view in views])
    return render(
        request,
        "web/inbox/_views.html",
        {"views": tabs_of(views, current, labels), "counts_url": ""},
    )


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
    moderation_confirm: int | None = None,
    personal_data_warning: list[str] | None = None,
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
            {
                "message": m,
                "author": display.author_of(m),
                "failed": _failed(m),
                "moderation": _moderation_actions(access, m) if may_handle else [],
                "confirm_delete": m.pk == moderation_confirm,
            }
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
        "personal_data_warning": personal_data_warning or [],
        "error_summary": errors,
        "others": presence.others_on(case, user),
        "poll_seconds": PRESENCE_POLL_SECONDS,
        **forms,
    }
    return render(request, "web/inbox/case.html", context)


def _moderation_actions(access: OrganisationAccess, message: Message) -> list[str]:
    """What this person may do to a public comment on its platform: hide, unhide, delete."""
    may_delete = access.can(Permission.DELETE_COMMENTS)
    return [
        action.value
        for action in inbox_services.moderation_actions(message)
        if action is not ModerationAction.DELETE or may_delete
    ]


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
