"""Every write in tenancy: organisations, teams, memberships, the audit log.

Keyword-only arguments; each function is one transaction and leaves an audit entry where the
action is security-relevant. Validation errors are `django.core.exceptions.ValidationError`
keyed by field, so forms can show them next to the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from stdnum.be import vat
from stdnum.exceptions import ValidationError as NumberError

from loket.tenancy.models import (
    AuditAction,
    AuditEvent,
    Language,
    Membership,
    Organisation,
    OrganisationKind,
    Team,
    User,
)
from loket.tenancy.permissions import Role


def normalise_kbo_number(raw: str) -> str:
    """Return the ten-digit enterprise number, or raise ValidationError in plain language."""
    if not raw.strip():
        return ""
    try:
        return str(vat.validate(raw))
    except NumberError as error:
        raise ValidationError(
            {"kbo_number": _("This is not a valid KBO number (ten digits, e.g. 0207.446.772).")}
        ) from error


def _validate_organisation_fields(
    *,
    kind: str,
    nis_code: str,
    languages: Iterable[str],
    parent: Organisation | None,
    organisation: Organisation | None,
) -> list[str]:
    errors: dict[str, str] = {}
    if kind not in OrganisationKind.values:
        errors["kind"] = _("Choose one of the listed kinds.")
    if nis_code and not (len(nis_code) == 5 and nis_code.isdigit()):
        errors["nis_code"] = _("A NIS code has five digits.")
    chosen = list(dict.fromkeys(languages))
    if not chosen:
        errors["languages"] = _("Choose at least one language.")
    elif any(code not in Language.values for code in chosen):
        errors["languages"] = _("Choose from the listed languages.")
    if parent is not None and organisation is not None:
        ancestor: Organisation | None = parent
        while ancestor is not None:
            if ancestor.pk == organisation.pk:
                errors["parent"] = _("An organisation cannot be its own parent or ancestor.")
                break
            ancestor = ancestor.parent
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def upsert_organisation(
    *,
    slug: str,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    kbo_number: str = "",
    nis_code: str = "",
    languages: Iterable[str] = ("nl",),
    population: int | None = None,
) -> Organisation:
    """Create the organisation with this slug, or bring an existing one to these values."""
    existing = Organisation.objects.filter(slug=slug).first()
    chosen = _validate_organisation_fields(
        kind=kind, nis_code=nis_code, languages=languages, parent=parent, organisation=existing
    )
    values = {
        "name": name,
        "kind": kind,
        "parent": parent,
        "kbo_number": normalise_kbo_number(kbo_number),
        "nis_code": nis_code,
        "languages": chosen,
        "population": population,
    }
    organisation, _created = Organisation.objects.update_or_create(slug=slug, defaults=values)
    return organisation


@transaction.atomic
def update_organisation_details(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    kbo_number: str,
    nis_code: str,
    languages: Iterable[str],
    population: int | None,
) -> Organisation:
    chosen = _validate_organisation_fields(
        kind=organisation.kind,
        nis_code=nis_code,
        languages=languages,
        parent=organisation.parent,
        organisation=organisation,
    )
    kbo = normalise_kbo_number(kbo_number)
    if kbo and Organisation.objects.filter(kbo_number=kbo).exclude(pk=organisation.pk).exists():
        raise ValidationError({"kbo_number": _("Another organisation has this KBO number.")})
    before = _organisation_details(organisation)
    organisation.name = name.strip()
    organisation.kbo_number = kbo
    organisation.nis_code = nis_code
    organisation.languages = chosen
    organisation.population = population
    if not organisation.name:
        raise ValidationError({"name": _("A name is required.")})
    organisation.save()
    after = _organisation_details(organisation)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changed:
        record_audit_event(
            action=AuditAction.ORGANISATION_CHANGED,
            actor=actor,
            organisation=organisation,
            details={"changed": changed},
        )
    return organisation


def _organisation_details(organisation: Organisation) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "kbo_number": organisation.kbo_number,
        "nis_code": organisation.nis_code,
        "languages": list(organisation.languages),
        "population": organisation.population,
    }


@transaction.atomic
def save_team(
    *, organisation: Organisation, name: str, description: str = "", team: Team | None = None
) -> Team:
    """Create a team, or rename/describe an existing one of this organisation."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A name is required.")})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError(_("This team belongs to another organisation."))
    clash = Team.objects.for_organisation(organisation).annotate(lower=Lower("name"))
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.filter(lower=name.lower()).exists():
        raise ValidationError({"name": _("This organisation already has a team with this name.")})
    team = team or Team(organisation=organisation)
    team.name = name
    team.description = description.strip()
    team.save()
    return team


@transaction.atomic
def upsert_user(
    *,
    username: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    platform_admin: bool = False,
) -> User:
    """Create or update a local account; `password=None` leaves the password as it is."""
    user = User.objects.filter(username__iexact=username).first() or User(username=username)
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.is_staff = user.is_superuser = platform_admin
    if password is not None:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def set_membership(
    *,
    organisation: Organisation,
    user: User,
    role: str,
    team: Team | None = None,
    actor: User | None = None,
) -> Membership:
    """Give a user a role (and optionally a team) in an organisation; audited."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("This team belongs to another organisation.")})
    membership = (
        Membership.objects.select_for_update()
        .for_organisation(organisation)
        .filter(user=user)
        .first()
    )
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    organisation=organisation, user=user, role=role, team=team
                )
        except IntegrityError as error:  # a concurrent grant won the race
            raise ValidationError(_("This person is already a member.")) from error
        record_audit_event(
            action=AuditAction.MEMBERSHIP_GRANTED,
            actor=actor,
            organisation=organisation,
            details={"user": user.username, "role": role, "team": team.name if team else None},
        )
        return membership
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _keep_an_administrator(membership)
    if membership.role != role:
        record_audit_event(
            action=AuditAction.ROLE_CHANGED,
            actor=actor,
            organisation=organisation,
            details={"user": user.username, "from": membership.role, "to": role},
        )
    membership.role = role
    membership.team = team
    membership.save(update_fields=["role", "team"])
    return membership


@transaction.atomic
def revoke_membership(*, membership: Membership, actor: User) -> None:
    organisation = membership.organisation
    if membership.role == Role.ADMIN:
        _keep_an_administrator(membership)
    record_audit_event(
        action=AuditAction.MEMBERSHIP_REVOKED,
        actor=actor,
        organisation=organisation,
        details={"user": membership.user.username, "role": membership.role},
    )
    membership.delete()


def _keep_an_administrator(leaving: Membership) -> None:
    others = (
        Membership.objects.for_organisation(leaving.organisation_id)
        .filter(role=Role.ADMIN)
        .exclude(pk=leaving.pk)
    )
    if not others.exists():
        raise ValidationError(_("An organisation needs at least one administrator."))


def record_audit_event(
    *,
    action: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    ip_address: str | None = None,
    details: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one entry to the audit log. Never raises for a missing actor."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_username=(actor.get_username() if actor is not None else username)[:150],
        organisation=organisation,
        ip_address=ip_address or None,
        details=details or {},
    )
