"""What agents do to cases, through the services: each change leaves history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from loket.channels.models import OutboundDelivery
from loket.inbox import services
from loket.inbox.models import Case, CaseEvent, Direction, HistoryIsAppendOnly, Message
from loket.inbox.workflow import Action
from loket.tenancy.models import Team, User
from loket.triage.models import LabelCorrection
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(generic: GenericAccount) -> Case:
    generic.post(
        event("e1", author="jef", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?")
    )
    process_all()
    return Case.objects.get()


@pytest.fixture
def bram(cast: None) -> User:
    return User.objects.get(username="bram")


def test_assigning_to_a_person_opens_a_new_case(case: Case, bram: User) -> None:
    anna = User.objects.get(username="anna")
    services.assign(case=case, actor=bram, team=case.team, assignee=anna)
    case.refresh_from_db()
    assert case.assignee == anna
    assert case.status == "open"
    assigned = case.events.get(kind="assigned")
    assert assigned.actor == bram
    assert assigned.data["assignee_name"] == "anna"


def test_only_members_and_own_teams_can_be_assigned(case: Case, bram: User) -> None:
    carla = User.objects.get(username="carla")
    with pytest.raises(ValidationError):
        services.assign(case=case, actor=bram, assignee=carla)
    foreign_team = Team.objects.get(organisation__slug="rivierdijk")
    with pytest.raises(ValidationError):
        services.assign(case=case, actor=bram, team=foreign_team)


def test_closing_needs_a_reason_and_is_recorded(case: Case, bram: User) -> None:
    with pytest.raises(ValidationError):
        services.change_status(case=case, action=Action.CLOSE, actor=bram)
    services.change_status(case=case, action=Action.CLOSE, actor=bram, closing_reason="resolved")
    case.refresh_from_db()
    assert (case.status, case.closing_reason) == ("closed", "resolved")
    assert case.closed_at is not None
    change = case.events.get(kind="status_changed")
    assert change.data == {"from": "new", "to": "closed", "reason": "resolved"}


def test_an_illegal_transition_is_a_validation_error(case: Case, bram: User) -> None:
    with pytest.raises(ValidationError):
        services.change_status(case=case, action=Action.REOPEN, actor=bram)


def test_a_reply_queues_a_delivery_and_answers_the_case(case: Case, bram: User) -> None:
    [reply] = services.reply(
        case=case, actor=bram, text="Op dinsdag 3 december.", visibility="public"
    )
    case.refresh_from_db()
    assert case.status == "answered"
    assert case.first_responded_at is not None
    assert reply.direction == Direction.OUTBOUND
    assert reply.delivery is not None
    delivery = OutboundDelivery.objects.get()
    assert delivery.message["text"] == "Op dinsdag 3 december."
    assert delivery.message["in_reply_to"] == "e1"
    assert delivery.message["recipient"]["external_id"] == "jef"
    assert case.events.filter(kind="replied").count() == 1


def test_a_reply_to_a_closed_case_asks_before_reopening(case: Case, bram: User) -> None:
    services.change_status(case=case, action=Action.CLOSE, actor=bram, closing_reason="resolved")
    with pytest.raises(services.CaseClosed):
        services.reply(case=case, actor=bram, text="Nog dit", visibility="public")
    assert Message.objects.filter(direction=Direction.OUTBOUND).count() == 0
    services.reply(case=case, actor=bram, text="Nog dit", visibility="public", reopen=True)
    case.refresh_from_db()
    assert case.status == "answered"


def test_a_reply_longer_than_the_channel_allows_is_refused(case: Case, bram: User) -> None:
    with pytest.raises(ValidationError) as raised:
        services.reply(case=case, actor=bram, text="x" * 5001, visibility="public")
    assert "text" in raised.value.error_dict
    assert not OutboundDelivery.objects.exists()


def test_answer_once_reply_to_all(generic: GenericAccount, bram: User) -> None:
    generic.post(
        event("e1", author="a", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?")
    )
    generic.post(
        event("e2", author="b", text="Wanneer wordt grof vuil opgehaald in de Kerkstraat?")
    )
    generic.post(
        event("e3", author="a", text="Ik bedoel wel het huisvuil, niet grof vuil", in_reply_to="e1")
    )
    process_all()
    case = Case.objects.get()
    sent = services.reply(
        case=case, actor=bram, text="Op dinsdag.", visibility="public", to_all=True
    )
    recipients = sorted(
        d.message["recipient"]["external_id"] for d in OutboundDelivery.objects.all()
    )
    assert len(sent) == 2
    assert recipients == ["a", "b"]
    replied_to = sorted(d.message["in_reply_to"] for d in OutboundDelivery.objects.all())
    assert replied_to == ["e2", "e3"]  # each citizen's latest message


def test_correcting_a_label_teaches_triage(case: Case, bram: User) -> None:
    services.correct_label(case=case, actor=bram, label="message_type", value="complaint")
    case.refresh_from_db()
    assert case.message_type == "complaint"
    correction = LabelCorrection.objects.get()
    assert (correction.predicted, correction.corrected) == ("question", "complaint")
    assert "grof vuil" in correction.text
    with pytest.raises(ValidationError):
        services.correct_label(case=case, actor=bram, label="status", value="closed")


def test_notes_record_mentions_of_colleagues_only(case: Case, bram: User) -> None:
    services.add_note(case=case, actor=bram, text="@anna kun jij dit bekijken? cc @carla @niemand")
    note = case.events.get(kind="note")
    assert note.data["mentions"] == ["anna"]  # carla is not in Stad Voorbeeld


def test_merge_moves_messages_and_closes_the_source(generic: GenericAccount, bram: User) -> None:
    generic.post(
        event("e1", thread="p1", author="a", text="Waar kan ik een parkeerkaart aanvragen?")
    )
    generic.post(
        event("e2", thread="p2", author="a", text="Hoeveel kost een bewonerskaart eigenlijk?")
    )
    process_all()
    first, second = Case.objects.order_by("number")
    services.merge(source=second, target=first, actor=bram)
    second.refresh_from_db()
    assert second.status == "closed"
    assert second.closing_reason == "duplicate"
    assert second.merged_into == first
    assert first.messages.count() == 2
    assert first.conversations.count() == 2


def test_split_moves_chosen_messages_to_a_new_case(generic: GenericAccount, bram: User) -> None:
    generic.post(
        event("e1", author="a", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?")
    )
    generic.post(
        event("e2", author="b", text="Wanneer wordt grof vuil opgehaald in de Kerkstraat?")
    )
    process_all()
    case = Case.objects.get()
    moved = case.messages.get(external_id="e2")
    new = services.split(case=case, messages=[moved], actor=bram)
    assert new.number == 2
    assert list(new.messages.values_list("external_id", flat=True)) == ["e2"]
    assert case.messages.count() == 1
    with pytest.raises(ValidationError):
        services.split(case=case, messages=list(case.messages.all()), actor=bram)


def test_case_history_cannot_be_rewritten(case: Case) -> None:
    first = CaseEvent.objects.filter(case=case).first()
    assert first is not None
    with pytest.raises(HistoryIsAppendOnly):
        first.save()
    with pytest.raises(HistoryIsAppendOnly):
        CaseEvent.objects.filter(case=case).delete()
    with pytest.raises(HistoryIsAppendOnly):
        CaseEvent.objects.filter(case=case).update(kind="note")


@pytest.mark.parametrize(("days_ago", "allowed"), [(3, True), (8, False)])
def test_a_private_reply_to_a_comment_has_its_own_window(
    case: Case, bram: User, monkeypatch: pytest.MonkeyPatch, days_ago: int, allowed: bool
) -> None:
    """Like Meta: Messenger answers within 24 h, a private reply to a comment within 7 days."""
    from dataclasses import replace
    from datetime import timedelta

    from django.utils import timezone

    from loket.channels import registry

    generic = registry.connector("generic")
    monkeypatch.setattr(
        generic,
        "capabilities",
        replace(
            generic.capabilities,
            private_reply_window=timedelta(hours=24),
            private_reply_to_public_window=timedelta(days=7),
        ),
    )
    Message.objects.filter(case=case).update(
        platform_time=timezone.now() - timedelta(days=days_ago)
    )
    if allowed:
        assert services.reply(case=case, actor=bram, text="Zie je bericht.", visibility="private")
    else:
        with pytest.raises(ValidationError) as refused:
            services.reply(case=case, actor=bram, text="Zie je bericht.", visibility="private")
        assert list(refused.value.message_dict) == ["visibility"]


def test_a_public_reply_with_personal_data_needs_a_confirmation(case: Case, bram: User) -> None:
    text = "Uw dossier staat op naam van rijksregisternummer 85.07.30-033.28."
    with pytest.raises(services.PersonalDataInPublic) as found:
        services.reply(case=case, actor=bram, text=text, visibility="public")
    assert found.value.kinds == ("national_number",)
    assert not OutboundDelivery.objects.exists()
    assert services.reply(case=case, actor=bram, text=text, visibility="private")
    assert services.reply(
        case=case, actor=bram, text=text, visibility="public", personal_data_confirmed=True
    )
    assert OutboundDelivery.objects.count() == 2
