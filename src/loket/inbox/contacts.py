"""Contacts: merging and un-merging, and the citizen's rights — export and erasure. All audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.inbox.models import Case, Contact, ContactIdentity, Direction, Message
from loket.tenancy import services as tenancy_services
from loket.triage import services as triage_services

ERASED = "[verwijderd op vraag van de burger]"


def effective(contact: Contact) -> Contact:
    """The contact that a merged contact now lives on in."""
    seen: set[int] = set()
    while contact.merged_into_id is not None and contact.pk not in seen:
        seen.add(contact.pk)
        contact = Contact.objects.get(pk=contact.merged_into_id)
    return contact


def family(contact: Contact) -> list[Contact]:
    """A contact and every contact merged into it, at any depth."""
    found, frontier = [contact], [contact]
    while frontier:
        children = list(Contact.objects.filter(merged_into__in=frontier))
        found.extend(children)
        frontier = children
    return found


@transaction.atomic
def merge(*, source: Contact, target: Contact, actor: Any) -> Contact:
    """`source` is the same person as `target`; undone exactly by `unmerge`."""
    target = effective(target)
    if source.organisation_id != target.organisation_id or source.pk == target.pk:
        raise ValidationError(_("Only two different contacts of one organisation can be merged."))
    if target.pk in {c.pk for c in family(source)}:
        raise ValidationError(_("These contacts are already merged."))
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    tenancy_services.record_audit_event(
        action="contact_merged",
        actor=actor,
        organisation=source.organisation,
        details={"contact": source.pk, "into": target.pk},
    )
    return target


@transaction.atomic
def unmerge(*, contact: Contact, actor: Any) -> Contact:
    if contact.merged_into_id is None:
        raise ValidationError(_("This contact is not merged."))
    into = contact.merged_into_id
    contact.merged_into = None
    contact.save(update_fields=["merged_into"])
    tenancy_services.record_audit_event(
        action="contact_unmerged",
        actor=actor,
        organisation=contact.organisation,
        details={"contact": contact.pk, "was_in": into},
    )
    return contact


def export(*, contact: Contact, actor: Any) -> dict[str, Any]:
    """Everything Loket holds about a contact (and the contacts merged into it), as JSON."""
    people = family(effective(contact))
    messages = Message.objects.filter(author_contact__in=people).select_related(
        "conversation", "channel_account", "case"
    )
    cases = Case.objects.filter(messages__author_contact__in=people).distinct()
    data = {
        "exported_at": timezone.now().isoformat(),
        "organisation": contact.organisation.name,
        "contacts": [
            {
                "id": person.pk,
                "name": person.display_name,
                "created_at": person.created_at.isoformat(),
                "identities": [
                    {"platform": i.scope.split(":")[0], "id": i.external_id, "name": i.name}
                    for i in person.identities.all()
                ],
            }
            for person in people
        ],
        "messages": [
            {
                "id": message.pk,
                "case": message.case.number if message.case else None,
                "channel": message.channel_account.name,
                "conversation": message.conversation.title
                or message.conversation.external_thread_id,
                "visibility": message.visibility,
                "sent_at": message.platform_time.isoformat(),
                "text": message.text,
                "attachments": message.attachments,
            }
            for message in messages.order_by("platform_time", "pk")
        ],
        "cases": [
            {
                "number": case.number,
                "subject": case.subject,
                "status": case.status,
                "created_at": case.created_at.isoformat(),
                "replies": [
                    {"sent_at": reply.platform_time.isoformat(), "text": reply.text}
                    for reply in case.messages.filter(direction=Direction.OUTBOUND).order_by(
                        "platform_time"
                    )
                ],
            }
            for case in cases.order_by("number")
        ],
    }
    tenancy_services.record_audit_event(
        action="export",
        actor=actor,
        organisation=contact.organisation,
        details={"what": "contact", "contact": contact.pk, "messages": len(data["messages"])},
    )
    return data


@transaction.atomic
def erase(*, contact: Contact, actor: Any) -> int:
    """Remove the person; keep the cases for statistics. Returns how many messages were erased."""
    people = family(effective(contact))
    messages = Message.objects.filter(author_contact__in=people)
    ids = list(messages.values_list("pk", flat=True))
    # reply_context holds what a platform needs to answer: addresses, names, subjects.
    messages.update(text=ERASED, author_name="", attachments=[], personal_data=[], reply_context={})
    Case.objects.filter(messages__pk__in=ids).update(subject=ERASED)
    ContactIdentity.objects.filter(contact__in=people).delete()
    now = timezone.now()
    Contact.objects.filter(pk__in=[p.pk for p in people]).update(display_name="", erased_at=now)
    triage_services.forget_messages(organisation=contact.organisation, message_ids=ids)
    tenancy_services.record_audit_event(
        action="contact_erased",
        actor=actor,
        organisation=contact.organisation,
        details={"contact": contact.pk, "messages": len(ids)},
    )
    return len(ids)
