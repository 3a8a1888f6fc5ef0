"""Notifications: who hears of an urgent case, a mention and an assignment, exactly once."""

from __future__ import annotations

import pytest

from loket.channels.models import InboundEvent
from loket.inbox import intake, notifications, services
from loket.inbox.models import Case, Notification
from loket.tenancy import services as tenancy_services
from loket.tenancy.models import Organisation, Team, User
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db

URGENT = "Er is brand in de Kerkstraat, de rook komt tot aan de school!"


def recipients(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def case(generic: GenericAccount) -> Case:
    generic.post(event("e1", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?"))
    process_all()
    return Case.objects.get()


def test_an_urgent_case_notifies_who_assigns_and_its_team_once(generic: GenericAccount) -> None:
    generic.post(event("e1", text=URGENT))
    event_id = InboundEvent.objects.get().pk
    assert intake.process_event(event_id) == 1
    assert intake.process_event(event_id) == 0  # the task delivered twice
    case = Case.objects.get()
    assert case.priority == "urgent"
    # bram coordinates, admin administers, anna is in the profile's team (the case's team).
    assert recipients("urgent_case") == ["admin", "anna", "bram"]
    assert set(Notification.objects.values_list("case", flat=True)) == {case.pk}
    assert set(Notification.objects.values_list("organisation__slug", flat=True)) == {
        "stad-voorbeeld"
    }


def test_the_same_delivery_again_does_not_notify_again(generic: GenericAccount) -> None:
    generic.post(event("e1", text=URGENT))
    process_all()
    # The same delivery once more (a platform that retries): deduplicated, no notification.
    InboundEvent.objects.update(status="pending")
    process_all()
    assert Notification.objects.count() == 3


def test_the_notify_stage_run_again_changes_nothing(generic: GenericAccount) -> None:
    generic.post(event("e1", text=URGENT))
    process_all()
    notifications.urgent_case(case=Case.objects.get())
    assert recipients("urgent_case") == ["admin", "anna", "bram"]


def test_a_crash_after_notifying_leaves_no_notification_and_the_retry_notifies_once(
    generic: GenericAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    generic.post(event("e1", text=URGENT))
    event_id = InboundEvent.objects.get().pk

    def crash(_intake: intake.Intake) -> None:
        raise RuntimeError("worker killed")

    stages = list(intake.STAGES)
    after_notify = stages.index(intake.notify) + 1
    monkeypatch.setattr(intake, "STAGES", [*stages[:after_notify], crash, *stages[after_notify:]])
    with pytest.raises(RuntimeError):
        intake.process_event(event_id)
    assert Notification.objects.count() == 0
    monkeypatch.setattr(intake, "STAGES", stages)
    assert intake.process_event(event_id) == 1
    assert recipients("urgent_case") == ["admin", "anna", "bram"]


def test_the_notify_stage_comes_after_the_case_and_before_the_clock() -> None:
    stages = intake.STAGES
    assert (
        stages.index(intake.open_or_attach_case)
        < stages.index(intake.notify)
        < stages.index(intake.start_clock)
    )


def test_a_normal_case_notifies_nobody(case: Case) -> None:
    assert case.priority == "normal"
    assert Notification.objects.count() == 0


def test_a_case_raised_to_urgent_by_a_new_message_notifies_once(generic: GenericAccount) -> None:
    private = {"thread": "chat-7", "author": "jef", "visibility": "private"}
    generic.post(event("e1", text="Mijn container is niet geledigd.", **private))
    process_all()
    assert Notification.objects.count() == 0
    generic.post(event("e2", text=URGENT, at="2026-11-28T09:05:00+01:00", **private))
    generic.post(event("e3", text=URGENT + " Nu!", at="2026-11-28T09:06:00+01:00", **private))
    process_all()
    case = Case.objects.get()
    assert case.priority == "urgent"
    assert recipients("urgent_case") == ["admin", "anna", "bram"]


def test_team_members_who_cannot_read_cases_are_not_notified(generic: GenericAccount) -> None:
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    team = Team.objects.get(organisation=stad, name="Klantencontactcenter")
    for username, role in (("dirk", "viewer"), ("eva", "agent")):
        tenancy_services.set_membership(
            organisation=stad,
            user=tenancy_services.upsert_user(username=username),
            role=role,
            team=team,
        )
    other_team = Team.objects.get(organisation=stad, name="Openbaar domein")
    tenancy_services.set_membership(
        organisation=stad,
        user=tenancy_services.upsert_user(username="fien"),
        role="agent",
        team=other_team,
    )
    generic.post(event("e1", text=URGENT))
    process_all()
    assert recipients("urgent_case") == ["admin", "anna", "bram", "eva"]


def test_a_mention_notifies_the_colleague_not_the_author(case: Case) -> None:
    bram, anna = user("bram"), user("anna")
    services.add_note(case=case, actor=bram, text="@anna kijk jij even? @bram @carla")
    notification = Notification.objects.get(kind="mentioned")
    assert (notification.recipient, notification.actor, notification.case) == (anna, bram, case)
    # Two notes, two causes: a second mention is news again.
    services.add_note(case=case, actor=bram, text="@anna nog eens")
    assert recipients("mentioned") == ["anna", "anna"]


def test_assignment_notifies_the_assignee_unless_they_took_it_themselves(case: Case) -> None:
    bram, anna = user("bram"), user("anna")
    services.assign(case=case, actor=bram, team=case.team, assignee=anna)
    notification = Notification.objects.get(kind="assigned")
    assert (notification.recipient, notification.actor) == (anna, bram)
    # The same assignee again (only the team changes): no news for anna.
    services.assign(case=case, actor=bram, team=None, assignee=anna)
    # bram takes the case himself: nobody to tell.
    services.assign(case=case, actor=bram, team=case.team, assignee=bram)
    assert recipients("assigned") == ["anna"]


def test_unread_count_latest_and_marking_read(case: Case) -> None:
    bram, anna = user("bram"), user("anna")
    stad = case.organisation
    for n in range(3):
        services.add_note(case=case, actor=bram, text=f"@anna vraag {n}")
    assert notifications.unread_count(stad, anna) == 3
    assert notifications.unread_count(stad, bram) == 0
    newest, *_ = notifications.latest(stad, anna, limit=2)
    assert newest == Notification.objects.filter(recipient=anna).order_by("-id").first()
    assert len(notifications.latest(stad, anna, limit=2)) == 2
    notifications.mark_read(notification=newest)
    assert notifications.unread_count(stad, anna) == 2
    assert notifications.mark_all_read(organisation=stad, user=anna) == 2
    assert notifications.unread_count(stad, anna) == 0
    # Another organisation's notifications are not those of this one.
    rivierdijk = Organisation.objects.get(slug="rivierdijk")
    assert notifications.latest(rivierdijk, anna) == []
    assert notifications.notification_of(rivierdijk, anna, newest.pk) is None
    assert notifications.notification_of(stad, bram, newest.pk) is None
