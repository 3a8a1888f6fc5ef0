"""Roles and what each may do: the permission matrix, as data.

`docs/permissions.md` shows this same table; a test keeps the two equal. A role holds
within one organisation only: being admin in one municipality gives nothing in another.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    AGENT = "agent", _("Agent")
    ANALYST = "analyst", _("Analyst")
    VIEWER = "viewer", _("Viewer")


class Permission(StrEnum):
    VIEW_ORGANISATION = "view_organisation"
    VIEW_CASES = "view_cases"
    HANDLE_CASES = "handle_cases"
    DELETE_COMMENTS = "delete_comments"
    ASSIGN_CASES = "assign_cases"
    APPROVE_REPLIES = "approve_replies"
    MANAGE_KNOWLEDGE = "manage_knowledge"
    MANAGE_STRATEGY = "manage_strategy"
    MANAGE_CHANNELS = "manage_channels"
    VIEW_ANALYTICS = "view_analytics"
    EXPORT_DATA = "export_data"
    MANAGE_PARTICIPATION = "manage_participation"
    MANAGE_TEAMS = "manage_teams"
    MANAGE_MEMBERS = "manage_members"
    EDIT_ORGANISATION = "edit_organisation"
    VIEW_AUDIT_LOG = "view_audit_log"


PERMISSION_DESCRIPTIONS: dict[Permission, str] = {
    Permission.VIEW_ORGANISATION: "see the organisation, its teams and members",
    Permission.VIEW_CASES: "read cases, conversations and their history",
    Permission.HANDLE_CASES: (
        "reply to citizens, add notes, change a case's status, hide public comments"
    ),
    Permission.DELETE_COMMENTS: "delete a citizen's public comment on the platform (for good)",
    Permission.ASSIGN_CASES: "assign cases to teams and people, hand cases over",
    Permission.APPROVE_REPLIES: "approve replies that the strategy puts under review",
    Permission.MANAGE_KNOWLEDGE: "write knowledge articles and reply templates",
    Permission.MANAGE_STRATEGY: "edit the strategy: norms, routing, tone, crisis roles",
    Permission.MANAGE_CHANNELS: (
        "connect, configure and disconnect profiles; the profile registry and its alerts"
    ),
    Permission.VIEW_ANALYTICS: "see KPIs, scorecards, benchmarks and themes",
    Permission.EXPORT_DATA: "export figures and reports",
    Permission.MANAGE_PARTICIPATION: "run consultations and write their reports",
    Permission.MANAGE_TEAMS: "create and edit teams",
    Permission.MANAGE_MEMBERS: "add members, change roles, remove members",
    Permission.EDIT_ORGANISATION: "change the organisation's details",
    Permission.VIEW_AUDIT_LOG: "read the organisation's security audit log",
}

_EVERYONE = {Permission.VIEW_ORGANISATION}
_AGENT = _EVERYONE | {Permission.VIEW_CASES, Permission.HANDLE_CASES}
_ANALYST = _EVERYONE | {
    Permission.VIEW_ANALYTICS,
    Permission.EXPORT_DATA,
    Permission.MANAGE_PARTICIPATION,
}
_COORDINATOR = (
    _AGENT
    | _ANALYST
    | {
        Permission.ASSIGN_CASES,
        Permission.DELETE_COMMENTS,
        Permission.APPROVE_REPLIES,
        Permission.MANAGE_KNOWLEDGE,
        Permission.MANAGE_STRATEGY,
        Permission.MANAGE_TEAMS,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(_EVERYONE | {Permission.VIEW_ANALYTICS}),
    Role.AGENT: frozenset(_AGENT),
    Role.ANALYST: frozenset(_ANALYST),
    Role.COORDINATOR: frozenset(_COORDINATOR),
    Role.ADMIN: frozenset(Permission),
}


def role_has(role: str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
