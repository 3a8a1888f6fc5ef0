from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from loket.api.v1 import api
from loket.channels import webhooks
from loket.web import (
    auth_views,
    contact_views,
    health,
    inbox_actions,
    inbox_saved_views,
    inbox_views,
    notification_views,
    organisation_views,
    profile_views,
    webform_views,
)

admin.site.site_header = "Loket"
admin.site.site_title = "Loket"
# The admin signs in through Loket's own login, with throttling and the second factor.
admin.site.login = auth_views.admin_login  # type: ignore[method-assign]

organisation_urls = [
    path("", organisation_views.organisation_start, name="organisation-start"),
    path("teams/", organisation_views.team_list, name="team-list"),
    path("teams/new/", organisation_views.team_create, name="team-create"),
    path("teams/<int:team_id>/", organisation_views.team_detail, name="team-detail"),
    path("members/", organisation_views.member_list, name="member-list"),
    path("members/<int:membership_id>/", organisation_views.member_detail, name="member-detail"),
    path("details/", organisation_views.organisation_details, name="organisation-details"),
    path("audit/", organisation_views.audit_log, name="audit-log"),
    path("profiles/", profile_views.profile_list, name="profile-list"),
    path("profiles/new/", profile_views.profile_connect, name="profile-connect"),
    path("profiles/<int:account_id>/", profile_views.profile_edit, name="profile-edit"),
    path(
        "profiles/<int:account_id>/disconnect/",
        profile_views.profile_disconnect,
        name="profile-disconnect",
    ),
    path("inbox/", inbox_views.inbox_list, name="inbox"),
    path("inbox/counts/", inbox_views.inbox_counts, name="inbox-counts"),
    path("inbox/<int:number>/", inbox_views.case_detail, name="inbox-case"),
    path("inbox/views/", inbox_saved_views.save_view, name="inbox-view-save"),
    path("contacts/<int:contact_id>/", contact_views.contact_detail, name="contact-detail"),
    path("contacts/<int:contact_id>/merge/", contact_views.contact_merge, name="contact-merge"),
    path(
        "contacts/<int:contact_id>/unmerge/", contact_views.contact_unmerge, name="contact-unmerge"
    ),
    path(
        "contacts/<int:contact_id>/export.json",
        contact_views.contact_export,
        name="contact-export",
    ),
    path("contacts/<int:contact_id>/erase/", contact_views.contact_erase, name="contact-erase"),
    path(
        "inbox/views/<int:view_id>/delete/",
        inbox_saved_views.delete_view,
        name="inbox-view-delete",
    ),
    path("inbox/<int:number>/reply/", inbox_actions.case_reply, name="inbox-reply"),
    path("inbox/<int:number>/note/", inbox_actions.case_note, name="inbox-note"),
    path("inbox/<int:number>/assign/", inbox_actions.case_assign, name="inbox-assign"),
    path("inbox/<int:number>/status/", inbox_actions.case_status, name="inbox-status"),
    path("inbox/<int:number>/priority/", inbox_actions.case_priority, name="inbox-priority"),
    path("inbox/<int:number>/tags/", inbox_actions.case_tags, name="inbox-tags"),
    path("inbox/<int:number>/labels/", inbox_actions.case_labels, name="inbox-labels"),
    path("inbox/<int:number>/merge/", inbox_actions.case_merge, name="inbox-merge"),
    path("inbox/<int:number>/split/", inbox_actions.case_split, name="inbox-split"),
    path("inbox/<int:number>/retry/", inbox_actions.case_retry, name="inbox-retry"),
    path("inbox/<int:number>/moderate/", inbox_actions.case_moderate, name="inbox-moderate"),
    path("inbox/<int:number>/presence/", inbox_views.case_presence, name="inbox-presence"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notifications_read, name="notifications-read"),
    path(
        "notifications/<int:notification_id>/",
        notification_views.notification_open,
        name="notification-open",
    ),
]

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("login/code/", auth_views.login_code, name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/security/", auth_views.account_security, name="account-security"),
    path("switch/", organisation_views.switch_organisation, name="switch-organisation"),
    path("language/", set_language, name="set-language"),
    path("o/<slug:org_slug>/", include(organisation_urls)),
    path("healthz", health.healthz, name="healthz"),
    # Public, no login: the contact form of a web form profile.
    path("form/<uuid:public_id>/", webform_views.contact_form, name="webform"),
    path("hooks/<slug:connector>/<str:account_id>", webhooks.receive, name="webhook"),
    path("api/v1/", api.urls),
    path("oidc/", include("loket.web.oidc_urls")),
    path("admin/", admin.site.urls),
]
