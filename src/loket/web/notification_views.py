"""The signed-in person's notifications in one organisation: the list behind the bell in the
page header, opening one (it is marked read and its case, or for a profile's problem the
profile registry, opens) and marking all as read.
Only one's own notifications are ever found; anyone else's answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from loket.inbox import notifications
from loket.inbox.models import NotificationKind
from loket.tenancy.selectors import OrganisationAccess
from loket.web.access import organisation_page, signed_in_user

if TYPE_CHECKING:
    from loket.inbox.models import Notification

PAGE_SIZE = 50


@dataclass(frozen=True)
class Row:
    notification: Notification
    text: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def describe(notification: Notification) -> str:
    """One sentence: what happened, to which case or profile, by whom."""
    if notification.kind == NotificationKind.PROFILE_UNHEALTHY:
        profile = notification.channel_account
        return _("Profile “%(name)s” has a problem: %(problem)s") % {
            "name": profile.name if profile is not None else "—",
            "problem": notification.detail or "—",
        }
    if notification.case is None:
        return _("Something needs your attention")
    number = notification.case.number
    actor = notification.actor
    who = (actor.get_full_name() or actor.get_username()) if actor is not None else _("Someone")
    if notification.kind == NotificationKind.URGENT_CASE:
        return _("Case #%(number)s is urgent") % {"number": number}
    if notification.kind == NotificationKind.MENTIONED:
        return _("%(who)s mentioned you in a note on case #%(number)s") % {
            "who": who,
            "number": number,
        }
    if notification.kind == NotificationKind.ASSIGNED:
        return _("%(who)s assigned case #%(number)s to you") % {"who": who, "number": number}
    return _("Case #%(number)s") % {"number": number}


@organisation_page()
@require_GET
def notification_list(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    found = notifications.notifications_of(access.organisation, signed_in_user(request))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [Row(notification=n, text=describe(n)) for n in page.object_list]
    return render(request, "web/notifications.html", {"page": page, "rows": rows})


@organisation_page()
@require_GET
def notification_open(
    request: HttpRequest, access: OrganisationAccess, notification_id: int
) -> HttpResponse:
    notification = notifications.notification_of(
        access.organisation, signed_in_user(request), notification_id
    )
    if notification is None:
        raise Http404("No such notification.")
    notifications.mark_read(notification=notification)
    if notification.case is None:
        # A profile's problem: the profile registry shows it with everything else wrong.
        registry = reverse("profile-list", args=[access.organisation.slug])
        anchor = f"#profile-{notification.channel_account_id}"
        return redirect(registry + anchor if notification.channel_account_id else registry)
    return redirect(
        "inbox-case", org_slug=access.organisation.slug, number=notification.case.number
    )


@organisation_page()
@require_POST
def notifications_read(request: HttpRequest, access: OrganisationAccess) -> HttpResponse:
    marked = notifications.mark_all_read(
        organisation=access.organisation, user=signed_in_user(request)
    )
    if marked:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                marked,
            )
            % {"count": marked},
        )
    return redirect("notifications", org_slug=access.organisation.slug)
