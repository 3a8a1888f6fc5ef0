"""Tables of tenancy. Private to this app: other modules use services and selectors."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from loket.kernel.models import TenantOwnedModel
from loket.tenancy.permissions import Role


class User(AbstractUser):
    """A person who works in Loket. Citizens are contacts, never users."""

    # The stable subject identifier from the OpenID Connect provider, once linked.
    oidc_subject = models.CharField(max_length=255, unique=True, null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(Lower("username"), name="user_username_case_insensitive"),
        ]


class OrganisationKind(models.TextChoices):
    FLEMISH_ENTITY = "flemish_entity", _("Flemish government entity")
    MUNICIPALITY = "municipality", _("Municipality")
    OCMW = "ocmw", _("Public centre for social welfare (OCMW)")
    INTERMUNICIPAL = "intermunicipal", _("Intermunicipal partnership")
    PROVINCE = "province", _("Province")
    POLICE_ZONE = "police_zone", _("Police zone")
    FEDERAL = "federal", _("Federal government")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")


class Organisation(models.Model):
    """A tenant: a government organisation that runs its own profiles and inbox.

    `parent` is the organisation that shares knowledge, templates and strategy templates with
    this one and may read its aggregated figures (never its cases) — usually the central
    government for a municipality, or a department for an agency.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Enterprise number, stored as ten digits without dots (0123.456.789 → 0123456789).
    kbo_number = models.CharField(_("KBO number"), max_length=10, blank=True)
    nis_code = models.CharField(_("NIS code"), max_length=5, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kbo_number"],
                condition=~models.Q(kbo_number=""),
                name="organisation_kbo_number_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="organisation_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(TenantOwnedModel):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                "organisation", Lower("name"), name="team_name_unique_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TenantOwnedModel):
    """A user's role in one organisation, optionally in one of its teams."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_user_and_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation_id} · {self.role}"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("the audit log is append-only")


class AuditLogIsAppendOnly(Exception):
    pass


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    LOCKED_OUT = "locked_out", _("Locked out after failed logins")
    SECOND_FACTOR_ENABLED = "second_factor_enabled", _("Second factor enabled")
    SECOND_FACTOR_DISABLED = "second_factor_disabled", _("Second factor disabled")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong second-factor code")
    OIDC_ACCOUNT_LINKED = "oidc_account_linked", _("Single sign-on account linked")
    MEMBERSHIP_GRANTED = "membership_granted", _("Membership granted")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBERSHIP_REVOKED = "membership_revoked", _("Membership revoked")
    ORGANISATION_CHANGED = "organisation_changed", _("Organisation details changed")
    EXPORT = "export", _("Data exported")
    CONTACT_MERGED = "contact_merged", _("Contacts merged")
    CONTACT_UNMERGED = "contact_unmerged", _("Contacts separated again")
    CONTACT_ERASED = "contact_erased", _("Contact erased")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    PROFILE_CONNECTED = "profile_connected", _("Profile connected")
    PROFILE_CHANGED = "profile_changed", _("Profile settings changed")
    PROFILE_DISCONNECTED = "profile_disconnected", _("Profile disconnected")
    PROFILE_RECONNECTED = "profile_reconnected", _("Profile connected again")


class AuditEvent(models.Model):
    """One security-relevant action. Rows are only ever added, never changed or removed."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too: the trail must survive the deletion of the account it names.
    actor_username = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.actor_username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An integrity guard, not business logic: history is never rewritten.
        if self.pk is not None:
            raise AuditLogIsAppendOnly("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("the audit log is append-only")


class ApiToken(models.Model):
    """A personal access token for the JSON API, acting as its user.

    Only a SHA-256 hash of the token is stored, with a short prefix to recognise it in a list;
    the token itself is shown once, when it is created. Revoking keeps the row for the record.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user_id})"
