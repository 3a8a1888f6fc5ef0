"""Contacts: merge and un-merge exactly, export everything, erase the person but keep the case."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from loket.inbox import contacts, services
from loket.inbox.models import Case, Contact, ContactIdentity, Message
from loket.tenancy.models import AuditEvent, User
from loket.triage.models import LabelCorrection
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_contacts(generic: GenericAccount) -> tuple[Contact, Contact]:
    generic.post(
        event("e1", thread="p1", author="jef-fb", text="Waar vind ik de afvalkalender van 2027?")
    )
    generic.post(
        event(
            "e2",
            thread="dm-1",
            author="jef-chat",
            visibility="private",
            text="Mijn rijksregisternummer is 85.07.30-033.28, kan je mijn dossier bekijken?",
        )
    )
    process_all()
    return Contact.objects.get(identities__external_id="jef-fb"), Contact.objects.get(
        identities__external_id="jef-chat"
    )


def test_merge_and_unmerge_are_exact_and_audited(
    two_contacts: tuple[Contact, Contact], cast: None
) -> None:
    a, b = two_contacts
    bram = User.objects.get(username="bram")
    contacts.merge(source=b, target=a, actor=bram)
    assert contacts.effective(b) == a
    assert {c.pk for c in contacts.family(a)} == {a.pk, b.pk}
    with pytest.raises(ValidationError):
        contacts.merge(source=a, target=b, actor=bram)  # would be a cycle
    contacts.unmerge(contact=b, actor=bram)
    assert contacts.effective(b) == b
    assert ContactIdentity.objects.get(external_id="jef-chat").contact == b
    actions = list(
        AuditEvent.objects.filter(action__startswith="contact_").values_list("action", flat=True)
    )
    assert sorted(actions) == ["contact_merged", "contact_unmerged"]


def test_a_new_message_of_a_merged_identity_counts_for_the_surviving_contact(
    two_contacts: tuple[Contact, Contact], generic: GenericAccount, cast: None
) -> None:
    a, b = two_contacts
    contacts.merge(source=b, target=a, actor=User.objects.get(username="bram"))
    generic.post(
        event("e3", thread="dm-1", author="jef-chat", visibility="private", text="Nog iets")
    )
    process_all()
    assert Message.objects.get(external_id="e3").author_contact == a


def test_export_holds_everything_and_is_audited(
    two_contacts: tuple[Contact, Contact], cast: None
) -> None:
    a, b = two_contacts
    bram = User.objects.get(username="bram")
    contacts.merge(source=b, target=a, actor=bram)
    services.reply(
        case=Case.objects.get(messages__external_id="e1"),
        actor=bram,
        text="In de app.",
        visibility="public",
    )
    data = contacts.export(contact=a, actor=bram)
    json.dumps(data)  # JSON-able
    assert {m["text"][:4] for m in data["messages"]} == {"Waar", "Mijn"}
    assert {i["id"] for c in data["contacts"] for i in c["identities"]} == {"jef-fb", "jef-chat"}
    assert any(reply["text"] == "In de app." for case in data["cases"] for reply in case["replies"])
    assert AuditEvent.objects.filter(action="export", actor=bram).exists()


def test_erasure_removes_the_person_and_keeps_the_cases(
    two_contacts: tuple[Contact, Contact], cast: None
) -> None:
    a, b = two_contacts
    bram = User.objects.get(username="bram")
    case = Case.objects.get(messages__external_id="e2")
    services.correct_label(case=case, actor=bram, label="message_type", value="question")
    contacts.merge(source=b, target=a, actor=bram)
    Message.objects.update(reply_context={"reply_to": "jan@example.be", "subject": "Mijn vraag"})
    erased = contacts.erase(contact=a, actor=bram)
    assert erased == 2
    assert Case.objects.count() == 2
    for message in Message.objects.all():
        assert message.text == contacts.ERASED
        assert message.author_name == ""
        assert message.reply_context == {}
    assert not ContactIdentity.objects.exists()
    assert not LabelCorrection.objects.exists()
    assert "85.07.30" not in json.dumps(list(Case.objects.values()), default=str)
    assert AuditEvent.objects.filter(action="contact_erased").exists()
