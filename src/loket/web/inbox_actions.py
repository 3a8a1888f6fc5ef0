"""The actions on a case page: reply, note, assign, status, priority, tags, labels, merge,
split, retrying a failed delivery and moderating a public comment on its platform. Each
parses its form, calls one inbox (or channels) service and redirects to the case; on an error
it renders the case page again with the error next to its field, and a reply to a closed case
or deleting a comment asks before it does anything."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from loket.channels import services as channel_services
from loket.channels.contracts import DeliveryStatus, ModerationAction
from loket.inbox import selectors, services
from loket.inbox.models import Direction
from loket.inbox.workflow import Action
from loket.tenancy import selectors as tenancy_selectors
from loket.tenancy.permissions import Permission
from loket.tenancy.selectors import OrganisationAccess
from loket.web import inbox_display as display
from loket.web.access import organisation_page, signed_in_user
from loket.web.forms import attach_errors
from loket.web.inbox_forms import (
    AssignForm,
    LabelForm,
    MergeForm,
    ModerateForm,
    NoteForm,
    PriorityForm,
    RetryForm,
    SplitForm,
    StatusForm,
    TagsForm,
)
from loket.web.inbox_views import (
    FAILED,
    case_or_404,
    case_url,
    handlers,
    render_case,
    reply_form,
    teams_of,
)


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_reply(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    inbound = list(selectors.messages_of(case).filter(direction=Direction.INBOUND))
    citizens = selectors.citizens_of(case).count()
    data = request.POST.copy()
    # Browsers send line breaks as CRLF; count and send them as the citizen will see them.
    data["text"] = data.get("text", "").replace("\r\n", "\n")
    form = reply_form(inbound, citizens, data)
    if form.is_valid():
        target_id = form.cleaned_data["to_message"]
        target = next((m for m in inbound if m.pk == target_id), None)
        try:
            sent = services.reply(
                case=case,
                actor=signed_in_user(request),
                text=form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
                to_message=None if form.cleaned_data["to_all"] else target,
                to_all=form.cleaned_data["to_all"],
                reopen=form.cleaned_data["reopen"],
                personal_data_confirmed=form.cleaned_data["personal_data_confirmed"],
            )
        except services.CaseClosed:
            # Never reopen silently: ask, and keep everything the agent wrote.
            return render_case(
                request, access, case, bound={"reply_form": form}, reopen_confirm=True
            )
        except services.PersonalDataInPublic as found:
            # Nothing goes out: the agent sends it privately instead, or confirms.
            return render_case(
                request,
                access,
                case,
                bound={"reply_form": form},
                personal_data_warning=display.personal_data_labels(found.kinds),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Reply queued for sending to %(count)d citizen.",
                    "Reply queued for sending to %(count)d citizens.",
                    len(sent),
                )
                % {"count": len(sent)},
            )
            return redirect(case_url(access, case, "conversation"))
    return render_case(request, access, case, bound={"reply_form": form})


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_note(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(
                case=case, actor=signed_in_user(request), text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect(case_url(access, case, "notes"))
    return render_case(request, access, case, bound={"note_form": form})


@organisation_page(Permission.ASSIGN_CASES)
@require_POST
def case_assign(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    people = handlers(access)
    form = AssignForm(request.POST, teams=teams_of(access), people=people)
    if form.is_valid():
        team_id, person_id = form.cleaned_data["team"], form.cleaned_data["assignee"]
        team = tenancy_selectors.team_of(access.organisation, team_id) if team_id else None
        person = None
        if person_id is not None:
            membership = (
                tenancy_selectors.memberships_of(access.organisation)
                .filter(user_id=person_id)
                .first()
            )
            person = membership.user if membership is not None else None
        try:
            services.assign(case=case, actor=signed_in_user(request), team=team, assignee=person)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Assignment saved."))
            return redirect(case_url(access, case))
    return render_case(request, access, case, bound={"assign_form": form})


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_status(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    form = StatusForm(request.POST)
    if form.is_valid():
        action = Action(form.cleaned_data["action"])
        if not display.may(case.status, action):
            form.add_error(
                "action",
                _("A case that is “%(status)s” cannot do that; choose one of the listed actions.")
                % {"status": display.status_label(case.status)},
            )
        else:
            try:
                services.change_status(
                    case=case,
                    action=action,
                    actor=signed_in_user(request),
                    closing_reason=form.cleaned_data["closing_reason"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Status changed."))
                return redirect(case_url(access, case))
    return render_case(request, access, case, bound={"status_form": form})


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_priority(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    form = PriorityForm(request.POST)
    if form.is_valid():
        try:
            services.set_priority(
                case=case, actor=signed_in_user(request), priority=form.cleaned_data["priority"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Priority saved."))
            return redirect(case_url(access, case))
    return render_case(request, access, case, bound={"priority_form": form})


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_tags(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    form = TagsForm(request.POST)
    if form.is_valid():
        try:
            services.set_tags(case=case, actor=signed_in_user(request), tags=form.tag_list())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Tags saved."))
            return redirect(case_url(access, case))
    return render_case(request, access, case, bound={"tags_form": form})


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_labels(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    """Each changed label is one correction: a history row and a training example."""
    case = case_or_404(access, number)
    form = LabelForm(request.POST)
    if form.is_valid():
        changed = 0
        try:
            for label in services.CORRECTABLE_LABELS:
                value = form.cleaned_data[label].strip()
                if value != getattr(case, label):
                    case = services.correct_label(
                        case=case, actor=signed_in_user(request), label=label, value=value
                    )
                    changed += 1
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if changed:
                messages.success(request, _("Labels corrected. Triage learns from this."))
            else:
                messages.info(request, _("The labels were already like this."))
            return redirect(case_url(access, case))
    return render_case(request, access, case, bound={"label_form": form})


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_merge(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    form = MergeForm(request.POST)
    if form.is_valid():
        target = selectors.case_of(access.organisation, form.cleaned_data["target"])
        if target is None:
            form.add_error("target", _("There is no case with this number."))
        else:
            try:
                services.merge(source=case, target=target, actor=signed_in_user(request))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Case #%(source)s was merged into this case.") % {"source": case.number},
                )
                return redirect(case_url(access, target))
    return render_case(request, access, case, bound={"merge_form": form})


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_split(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    case = case_or_404(access, number)
    conversation = list(selectors.messages_of(case))
    form = SplitForm(request.POST, message_ids=[m.pk for m in conversation])
    if form.is_valid():
        chosen = set(form.cleaned_data["messages"])
        try:
            new = services.split(
                case=case,
                messages=[m for m in conversation if m.pk in chosen],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("A new case was made of the chosen messages of case #%(source)s.")
                % {"source": case.number},
            )
            return redirect(case_url(access, new))
    return render_case(request, access, case, bound={"split_form": form})


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_retry(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    """Send a failed reply again: only a delivery of one of this case's own replies."""
    case = case_or_404(access, number)
    form = RetryForm(request.POST)
    if not form.is_valid():
        raise Http404("No such reply.")
    message = (
        selectors.messages_of(case)
        .filter(direction=Direction.OUTBOUND, delivery_id=form.cleaned_data["delivery"])
        .first()
    )
    if message is None or message.delivery is None:
        raise Http404("No such reply.")
    if message.delivery.status == FAILED:
        channel_services.retry_delivery(delivery=message.delivery)
        messages.success(request, _("The reply will be sent again."))
    else:
        messages.info(request, _("This reply has not failed; nothing to retry."))
    return redirect(case_url(access, case, f"message-{message.pk}"))


MODERATED = {
    ModerationAction.HIDE: gettext_lazy("The comment is hidden on the platform."),
    ModerationAction.UNHIDE: gettext_lazy("The comment is visible again on the platform."),
    ModerationAction.DELETE: gettext_lazy(
        "The comment is deleted on the platform. Loket keeps its copy."
    ),
}


@organisation_page(Permission.HANDLE_CASES)
@require_POST
def case_moderate(request: HttpRequest, access: OrganisationAccess, number: int) -> HttpResponse:
    """Hide, show again or delete a public comment of this case on its platform. Deleting
    needs its own permission and is asked once more; the comment stays in Loket, marked."""
    case = case_or_404(access, number)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        raise Http404("No such message.")
    message = selectors.messages_of(case).filter(pk=form.cleaned_data["message"]).first()
    if message is None:
        raise Http404("No such message.")
    action = ModerationAction(form.cleaned_data["action"])
    if action is ModerationAction.DELETE:
        if not access.can(Permission.DELETE_COMMENTS):
            raise PermissionDenied
        if not form.cleaned_data["confirm"]:
            return render_case(request, access, case, moderation_confirm=message.pk)
    try:
        receipt = services.moderate_message(
            case=case, message=message, action=action, actor=signed_in_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if receipt.status is DeliveryStatus.SENT:
            messages.success(request, MODERATED[action])
        else:
            messages.error(
                request,
                _("The platform did not do it: %(error)s")
                % {"error": receipt.error or _("it gave no reason")},
            )
    return redirect(case_url(access, case, f"message-{message.pk}"))
