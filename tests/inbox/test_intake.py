"""The intake pipeline: from a stored delivery to messages in conversations and cases."""

from __future__ import annotations

from typing import Any

import pytest

from loket.channels.models import InboundEvent
from loket.inbox import intake
from loket.inbox.models import Case, CaseEvent, Contact, Conversation, Message
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db


def test_a_question_becomes_a_triaged_case_for_the_profiles_team(generic: GenericAccount) -> None:
    generic.post(event("e1", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?"))
    assert process_all() == 1
    case = Case.objects.get()
    assert case.number == 1
    assert case.status == "new"
    assert case.team == generic.account.team
    assert case.message_type == "question"
    assert case.language == "nl"
    assert case.first_response_due is not None
    assert list(case.events.values_list("kind", flat=True)) == ["created", "triaged"]
    message = Message.objects.get()
    assert message.case == case
    assert message.conversation.external_thread_id == "post-1"
    assert InboundEvent.objects.get().status == "processed"


def test_processing_twice_changes_nothing(generic: GenericAccount) -> None:
    generic.post(event("e1"))
    event_id = InboundEvent.objects.get().pk
    assert intake.process_event(event_id) == 1
    assert intake.process_event(event_id) == 0
    assert Message.objects.count() == 1
    assert CaseEvent.objects.count() == 2


def test_a_drain_processes_every_pending_event_oldest_first(generic: GenericAccount) -> None:
    from loket.inbox import tasks

    for n in range(3):
        generic.post(event(f"e{n}", thread=f"post-{n}"))
    assert tasks.drain_inbound_events.call() == 3
    assert not InboundEvent.objects.filter(status="pending").exists()
    numbers = dict(Case.objects.values_list("conversations__external_thread_id", "number"))
    assert numbers == {"post-0": 1, "post-1": 2, "post-2": 3}
    assert intake.process_pending(seconds=10) == (0, True)


def test_a_drain_out_of_time_hands_over_to_a_new_task(
    generic: GenericAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    from loket.inbox import tasks

    generic.post(event("e1"))
    monkeypatch.setattr(tasks, "DRAIN_SECONDS", 0.0)
    assert tasks.drain_inbound_events.call() == 0
    assert InboundEvent.objects.get().status == "pending"
    assert DBTaskResult.objects.get().task_path == "loket.inbox.tasks.drain_inbound_events"


def test_a_drain_sets_a_malformed_event_aside_and_goes_on(generic: GenericAccount) -> None:
    from loket.channels import services

    generic.post(event("e1"))
    broken = InboundEvent.objects.create(account=generic.account, event_key="x", body=b"{")
    generic.post(event("e2", thread="post-2"))
    assert intake.process_pending(seconds=10) == (3, True)
    broken.refresh_from_db()
    assert broken.status == "rejected"
    assert Message.objects.count() == 2
    assert services.announce_stale_events() == 0


def test_a_crash_between_stages_leaves_nothing_and_the_retry_completes(
    generic: GenericAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    generic.post(event("e1"))
    event_id = InboundEvent.objects.get().pk

    def crash(_intake: intake.Intake) -> None:
        raise RuntimeError("worker killed")

    stages = list(intake.STAGES)
    monkeypatch.setattr(intake, "STAGES", [*stages[:4], crash, *stages[4:]])
    with pytest.raises(RuntimeError):
        intake.process_event(event_id)
    assert Message.objects.count() == 0
    assert Case.objects.count() == 0
    assert InboundEvent.objects.get().status == "pending"

    monkeypatch.setattr(intake, "STAGES", stages)
    assert intake.process_event(event_id) == 1
    assert Message.objects.count() == 1
    assert Case.objects.count() == 1


def test_a_reply_joins_the_case_of_its_parent(generic: GenericAccount) -> None:
    generic.post(event("e1", author="a"))
    generic.post(
        event(
            "e2",
            author="b",
            text="Ik heb dezelfde vraag, maar over de Molenstraat",
            in_reply_to="e1",
        )
    )
    process_all()
    assert Case.objects.count() == 1
    assert Case.objects.get().messages.count() == 2


def test_a_reply_that_arrives_before_its_parent_still_lands_in_one_case(
    generic: GenericAccount,
) -> None:
    generic.post(
        event(
            "e2",
            author="b",
            text="Inderdaad, ook bij ons niets opgehaald",
            in_reply_to="e1",
            at="2026-11-28T09:05:00+01:00",
        )
    )
    generic.post(event("e1", author="a", text="Waarom is het restafval niet opgehaald?"))
    process_all()
    assert Case.objects.count() == 1
    assert Case.objects.get().messages.count() == 2


def test_the_same_question_by_many_citizens_under_one_post_is_one_case(
    generic: GenericAccount,
) -> None:
    generic.post(
        event("e1", author="a", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?")
    )
    generic.post(
        event("e2", author="b", text="Wanneer wordt grof vuil opgehaald in de Kerkstraat??")
    )
    generic.post(event("e3", author="c", text="De straatlamp aan het station is kapot"))
    process_all()
    assert Case.objects.count() == 2
    grouped = Case.objects.get(messages__external_id="e1")
    assert set(grouped.messages.values_list("author_contact__display_name", flat=True)) == {
        "A",
        "B",
    }


def test_a_private_conversation_is_one_case_and_a_new_message_reopens_it(
    generic: GenericAccount,
) -> None:
    generic.post(
        event("e1", visibility="private", thread="dm-1", text="Hoe vraag ik een parkeerkaart aan?")
    )
    process_all()
    case = Case.objects.get()
    case.status, case.closing_reason = "closed", "resolved"
    case.save()
    generic.post(
        event("e2", visibility="private", thread="dm-1", text="Nog een vraag: wat kost die?")
    )
    process_all()
    case.refresh_from_db()
    assert Case.objects.count() == 1
    assert case.status == "open"
    assert case.events.filter(kind="status_changed").exists()


def test_a_case_closed_as_spam_stays_closed(generic: GenericAccount) -> None:
    generic.post(event("e1", visibility="private", thread="dm-9", text="Gratis iphone, klik hier"))
    process_all()
    case = Case.objects.get()
    case.status, case.closing_reason = "closed", "spam"
    case.save()
    generic.post(event("e2", visibility="private", thread="dm-9", text="Klik hier voor bitcoin"))
    process_all()
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.messages.count() == 2


def test_one_citizen_is_one_contact_across_threads_of_one_account(generic: GenericAccount) -> None:
    generic.post(event("e1", thread="post-1", author="jef"))
    generic.post(event("e2", thread="post-2", author="jef", text="Andere vraag over de bib"))
    process_all()
    assert Contact.objects.count() == 1
    assert Conversation.objects.count() == 2


def test_urgent_messages_get_urgent_priority(generic: GenericAccount) -> None:
    generic.post(event("e1", text="Er is een gaslek in de Stationsstraat, het ruikt overal!"))
    process_all()
    assert Case.objects.get().priority == "urgent"


def test_citizen_text_is_kept_as_written_but_without_control_characters(
    generic: GenericAccount,
) -> None:
    generic.post(event("e1", text="<script>alert(1)</script>\u0000\u202e hallo\nwereld"))
    process_all()
    assert Message.objects.get().text == "<script>alert(1)</script> hallo\nwereld"


def test_case_numbers_count_per_organisation(generic: GenericAccount) -> None:
    for i in range(3):
        generic.post(
            event(f"e{i}", thread=f"post-{i}", text=f"Vraag nummer {i} over iets anders {i}")
        )
    process_all()
    assert sorted(Case.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_a_citizens_follow_up_joins_but_a_later_unrelated_comment_does_not(
    generic: GenericAccount,
) -> None:
    generic.post(
        event(
            "e1", author="a", text="Is het zwembad open op zondag?", at="2026-11-28T09:00:00+01:00"
        )
    )
    generic.post(
        event("e2", author="a", text="En tot hoe laat dan?", at="2026-11-28T09:10:00+01:00")
    )
    generic.post(
        event(
            "e3",
            author="a",
            text="Proficiat met de nieuwe glijbaan trouwens",
            at="2026-11-28T13:00:00+01:00",
        )
    )
    process_all()
    assert sorted(Case.objects.values_list("messages__external_id", flat=True)) == [
        "e1",
        "e2",
        "e3",
    ]
    assert Case.objects.count() == 2
    assert Case.objects.get(messages__external_id="e1") == Case.objects.get(
        messages__external_id="e2"
    )


def test_a_web_process_trusts_a_waiting_drain_only_briefly(
    generic: GenericAccount,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django_tasks_db.models import DBTaskResult

    from loket.inbox import tasks

    with django_capture_on_commit_callbacks(execute=True):
        generic.post(event("e1"))
    DBTaskResult.objects.all().delete()  # as if a worker took the drain and finished
    with django_capture_on_commit_callbacks(execute=True):
        generic.post(event("e2"))
    assert not DBTaskResult.objects.exists()  # within the memo: the settle look covers e2

    monkeypatch.setattr(tasks, "WAKE_MEMO_SECONDS", 0.0)
    with django_capture_on_commit_callbacks(execute=True):
        generic.post(event("e3"))
    assert DBTaskResult.objects.count() == 1  # memo over: it looks again and wakes a drain


def test_a_drain_that_finds_nothing_looks_once_more_after_settling(
    generic: GenericAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loket.channels import services

    looks: list[bool] = []
    claim = services.claim_next_event

    def claim_and_post_late() -> Any:
        found = claim()
        looks.append(found is not None)
        if len(looks) == 1:
            generic.post(event("late"))  # committed just after the drain's first look
        return found

    monkeypatch.setattr(services, "claim_next_event", claim_and_post_late)
    assert intake.process_pending(seconds=10, settle_seconds=0.01) == (1, True)
    assert looks == [False, True, False, False]
    assert InboundEvent.objects.get().status == "processed"


def test_a_reply_to_our_reply_joins_its_case(generic: GenericAccount) -> None:
    from loket.channels.models import OutboundDelivery
    from loket.inbox import services
    from loket.tenancy.models import User

    generic.post(event("e1", author="citizen-1"))
    process_all()
    case = Case.objects.get()
    [sent] = services.reply(
        case=case, actor=User.objects.get(username="bram"), text="Op maandag.", visibility="public"
    )
    assert sent.delivery is not None
    # The platform gave our reply its own id; a second citizen answers that reply.
    OutboundDelivery.objects.filter(pk=sent.delivery.pk).update(external_id="platform-77")
    generic.post(
        event(
            "e2",
            author="citizen-2",
            text="Geldt dat ook voor de Molenstraat?",
            at="2026-11-30T09:00:00+01:00",
            in_reply_to="platform-77",
        )
    )
    process_all()
    assert Case.objects.count() == 1
    assert Message.objects.get(external_id="e2").case == case


def test_signs_of_self_harm_make_an_urgent_case_that_shows_the_helpline(
    generic: GenericAccount, signed_in: Any
) -> None:
    generic.post(event("e1", text="Ik wil niet meer leven, niemand helpt me met mijn schulden."))
    process_all()
    case = Case.objects.get()
    assert case.priority == "urgent"
    assert Message.objects.get().helpline == "1813"
    page = signed_in("anna").get(f"/o/stad-voorbeeld/inbox/{case.number}/").content.decode()
    assert 'data-helpline="1813"' in page
    assert "Zelfmoordlijn" in page


def test_abuse_aimed_at_staff_is_marked_never_deleted(generic: GenericAccount) -> None:
    generic.post(event("e1", text="Ik weet waar je woont, vuile ambtenaar."))
    generic.post(
        event(
            "e2", thread="post-2", text="Weer van die randdebielen die de bushalte vernield hebben."
        )
    )
    process_all()
    threat, report = Message.objects.get(external_id="e1"), Message.objects.get(external_id="e2")
    assert (threat.abuse, threat.message_type, threat.urgent) == ("threat", "spam_abuse", True)
    # An insult about third parties leaves a report a report.
    assert (report.abuse, report.message_type) == ("insult", "report")
    assert threat.text == "Ik weet waar je woont, vuile ambtenaar."
