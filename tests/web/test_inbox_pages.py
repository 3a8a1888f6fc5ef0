"""The agent's workspace as its users meet it: the inbox list with filters, views and pages,
and the case page with its actions. Each test checks what changed in the database and what
the page shows, not merely that a view ran."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.channels import services as channel_services
from loket.channels.models import OutboundDelivery
from loket.inbox import services
from loket.inbox.models import Case, CaseEvent, Message, SavedView
from loket.inbox.workflow import Action
from loket.tenancy import services as tenancy_services
from loket.tenancy.models import Organisation, Team, User
from loket.triage.models import LabelCorrection
from loket.web import inbox_views
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db

INBOX = "/o/stad-voorbeeld/inbox/"
COUNTS = INBOX + "counts/"


@pytest.fixture(autouse=True)
def english(client: Client) -> None:
    """The UI in English, so that the assertions read the msgids (Dutch is the default)."""
    client.cookies["loket_language"] = "en"


@pytest.fixture(autouse=True)
def no_cached_counts() -> Iterator[None]:
    """Tab counts outlive a request in the cache: each test starts and ends without them."""
    cache.clear()
    yield
    cache.clear()


def make_case(generic: GenericAccount, event_id: str, text: str, **options: Any) -> Case:
    """One citizen message in its own thread, turned into a case by the intake pipeline."""
    options.setdefault("thread", f"thread-{event_id}")
    options.setdefault("author", f"citizen-{event_id}")
    title = options.pop("thread_title", None)
    payload = event(event_id, text=text, **options)
    if title is not None:
        payload["thread_title"] = title
    generic.post(payload)
    process_all()
    return Case.objects.get(messages__external_id=event_id)


def user(username: str) -> User:
    return User.objects.get(username=username)


def numbers(response: Any) -> list[int]:
    return [row.case.number for row in response.context["rows"]]


def tab_counts(response: Any) -> dict[str, str | None]:
    """The count of each view tab, by name; None where the tab is not counted (yet)."""
    return {view.name: view.count for view in response.context["views"]}


def case_counts(queries: CaptureQueriesContext) -> list[str]:
    """The COUNT queries over cases among the captured ones."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if "COUNT(" in query["sql"] and '"inbox_case"' in query["sql"]
    ]


def case_url(case: Case, action: str = "") -> str:
    return f"{INBOX}{case.number}/" + (f"{action}/" if action else "")


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- the list -------------------------------------------------------------------------


def test_the_list_shows_active_cases_with_their_facts(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    open_case = make_case(generic, "e1", "Wanneer wordt het grof vuil opgehaald?")
    closed = make_case(generic, "e2", "De straatlamp aan het station is kapot")
    services.change_status(
        case=closed, action=Action.CLOSE, actor=user("anna"), closing_reason="resolved"
    )
    Case.objects.filter(pk=open_case.pk).update(
        first_response_due=timezone.now() - timedelta(hours=1)
    )
    client = signed_in("anna")

    response = client.get(INBOX)
    assert response.status_code == 200
    assert numbers(response) == [open_case.number]
    page = response.content.decode()
    assert "Wanneer wordt het grof vuil opgehaald?" in page
    assert "Citizen-E1" in page  # the citizen
    assert "Website-chat" in page  # the profile
    assert "Klantencontactcenter" in page  # the team
    assert "Overdue" in page
    assert ">NL<" in page
    assert f'href="{case_url(open_case)}"' in page

    assert set(numbers(client.get(INBOX + "?status=all"))) == {open_case.number, closed.number}
    assert numbers(client.get(INBOX + "?status=closed")) == [closed.number]


@pytest.fixture
def varied_cases(generic: GenericAccount) -> dict[str, Case]:
    """Five active cases that differ in one property each, and a closed one."""
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    bram, anna = user("bram"), user("anna")
    second_account, second_secret = channel_services.create_account(
        organisation=stad, connector="generic", name="Facebook Stad Voorbeeld"
    )
    second = GenericAccount(account=second_account, secret=second_secret, client=generic.client)
    cases = {
        "plain": make_case(generic, "p1", "Waar kan ik mijn identiteitskaart ophalen?"),
        "complaint": make_case(generic, "c1", "Al drie weken ligt er afval op het plein"),
        "french": make_case(generic, "f1", "Bonjour, où puis-je trouver les horaires?"),
        "other_channel": make_case(second, "o1", "Is het zwembad open op zondag?"),
        "lamp": make_case(generic, "l1", "De straatlamp aan het station is kapot"),
    }
    closed = make_case(generic, "x1", "Bedankt voor de snelle hulp")
    services.change_status(case=closed, action=Action.CLOSE, actor=anna, closing_reason="resolved")
    public_space = Team.objects.get(organisation=stad, name="Openbaar domein")
    services.assign(case=cases["complaint"], actor=bram, team=public_space, assignee=bram)
    services.assign(case=cases["lamp"], actor=bram, team=cases["lamp"].team, assignee=anna)
    for label, value in [("message_type", "complaint"), ("sentiment", "negative")]:
        services.correct_label(case=cases["complaint"], actor=anna, label=label, value=value)
    services.correct_label(case=cases["french"], actor=anna, label="language", value="fr")
    services.correct_label(case=cases["lamp"], actor=anna, label="topic", value="verlichting")
    # Only the complaint is negative here, whatever the sentiment model makes of the others.
    for key in ("plain", "french", "other_channel", "lamp"):
        if cases[key].sentiment != "neutral":
            services.correct_label(case=cases[key], actor=anna, label="sentiment", value="neutral")
    services.set_priority(case=cases["french"], actor=anna, priority="urgent")
    Case.objects.filter(pk=cases["plain"].pk).update(
        first_response_due=timezone.now() - timedelta(minutes=5)
    )
    return cases


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("channel={other_channel}", {"other_channel"}),
        ("team={public_space}", {"complaint"}),
        ("assignee=me", {"lamp"}),
        ("assignee={bram}", {"complaint"}),
        ("assignee=none", {"plain", "french", "other_channel"}),
        ("message_type=complaint", {"complaint"}),
        ("topic=verlichting", {"lamp"}),
        ("language=fr", {"french"}),
        ("priority=urgent", {"french"}),
        ("sentiment=negative", {"complaint"}),
        ("overdue=1", {"plain"}),
        ("query=straatlamp", {"lamp"}),
        ("query=STRAATLAMP+station", {"lamp"}),
        ("language=fr&priority=urgent", {"french"}),
        ("language=fr&priority=low", set()),
    ],
)
def test_each_filter_narrows_the_list(
    signed_in: Callable[[str], Client],
    varied_cases: dict[str, Case],
    query: str,
    expected: set[str],
) -> None:
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    ids = {
        "other_channel": varied_cases["other_channel"].channel_account_id,
        "public_space": Team.objects.get(organisation=stad, name="Openbaar domein").pk,
        "bram": user("bram").pk,
    }
    client = signed_in("anna")
    everything = set(numbers(client.get(INBOX)))
    assert everything == {case.number for case in varied_cases.values()}

    response = client.get(INBOX + "?" + query.format(**ids))
    assert response.status_code == 200
    assert set(numbers(response)) == {varied_cases[key].number for key in expected}
    # The form shows the filter that is on.
    page = response.content.decode()
    for part in query.format(**ids).split("&"):
        name, value = part.split("=")
        if name == "query":
            words = value.replace("+", " ")
            assert f'name="query" value="{words}"' in page
        elif name == "overdue":
            assert 'name="overdue" value="1" id="filter_overdue" checked' in page
        else:
            select = page[page.index(f'<select name="{name}"') :]
            select = select[: select.index("</select>")]
            assert f'<option value="{value}" selected>' in select, name


def test_the_list_swaps_only_its_results_for_htmx(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    make_case(generic, "e1", "Wanneer wordt het grof vuil opgehaald?")
    response = signed_in("anna").get(INBOX + "?language=nl", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div id="inbox-live"')
    assert "<html" not in page
    # It refreshes itself with the same filters.
    assert 'hx-get="/o/stad-voorbeeld/inbox/?language=nl"' in page


def test_saved_views_of_the_user_and_the_organisation_with_counts(
    signed_in: Callable[[str], Client], varied_cases: dict[str, Case]
) -> None:
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    SavedView.objects.create(
        organisation=stad, owner=user("anna"), name="Frans", filters={"language": "fr"}
    )
    SavedView.objects.create(
        organisation=stad, owner=None, name="Klachten", filters={"message_type": "complaint"}
    )
    SavedView.objects.create(
        organisation=stad, owner=user("bram"), name="Van Bram", filters={"priority": "low"}
    )
    client = signed_in("anna")

    views = {view.name: view for view in client.get(INBOX).context["views"]}
    assert "Van Bram" not in views  # someone else's own view
    assert not views["Frans"].shared
    assert views["Klachten"].shared

    # The counts come from their own endpoint: the views this user sees, nothing else.
    response = client.get(COUNTS)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert tab_counts(response) == {
        "Active": "5",
        "Assigned to me": "1",
        "Unassigned": "3",
        "Overdue": "1",
        "Frans": "1",
        "Klachten": "1",
    }
    fragment = response.content.decode()
    assert fragment.startswith('<nav id="inbox-views"')
    assert "<html" not in fragment
    assert "hx-trigger" not in fragment  # counted: it does not load itself again
    assert 'Frans <span class="count" data-view-count>1</span>' in fragment
    assert f'href="{INBOX}?language=fr"' in fragment

    response = client.get(INBOX + "?" + views["Frans"].query)
    assert numbers(response) == [varied_cases["french"].number]
    current = [view.name for view in response.context["views"] if view.current]
    assert current == ["Frans"]
    # The endpoint marks the tab of the list's filter as the current one.
    counted = client.get(COUNTS + "?" + views["Frans"].query).context["views"]
    assert [view.name for view in counted if view.current] == ["Frans"]


def test_the_page_counts_only_the_current_view_and_loads_the_other_counts_after(
    signed_in: Callable[[str], Client], varied_cases: dict[str, Case]
) -> None:
    SavedView.objects.create(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        owner=None,
        name="Frans",
        filters={"language": "fr"},
    )
    client = signed_in("anna")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INBOX + "?language=fr")
    assert response.status_code == 200
    assert len(case_counts(queries)) == 1  # the total of the list itself
    assert response.context["total"] == "1"
    assert tab_counts(response) == {
        "Active": None,
        "Assigned to me": None,
        "Unassigned": None,
        "Overdue": None,
        "Frans": "1",  # the current view: its total is known
    }
    page = response.content.decode()
    assert "Cases: 1" in page
    # Without JavaScript the tabs are plain links; htmx fetches the counts after the page.
    assert f'<a href="{INBOX}?">Active</a>' in page
    assert f'hx-get="{COUNTS}?language=fr" hx-trigger="load" hx-swap="outerHTML"' in page

    # The refresh of the list (htmx) asks for the counts again: they may have changed.
    refresh = client.get(INBOX + "?language=fr", headers={"HX-Request": "true"})
    assert f'hx-get="{COUNTS}?language=fr" hx-trigger="load"' in refresh.content.decode()


def test_counts_are_cached_briefly_so_pages_and_refreshes_do_not_count_again(
    signed_in: Callable[[str], Client],
    varied_cases: dict[str, Case],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = signed_in("anna")
    first = tab_counts(client.get(COUNTS))
    assert first["Active"] == "5"

    with CaptureQueriesContext(connection) as queries:
        again = client.get(COUNTS)
        page = client.get(INBOX)
    assert case_counts(queries) == []
    assert tab_counts(again) == first
    # Every count is known and fresh: the page shows them and does not load them again.
    assert tab_counts(page) == first
    assert page.context["total"] == "5"
    assert 'hx-trigger="load"' not in page.content.decode()

    # An agent's own action shows in the counts once the cached ones are no longer fresh.
    services.change_status(
        case=varied_cases["plain"], action=Action.CLOSE, actor=user("anna"), closing_reason="spam"
    )
    assert tab_counts(client.get(COUNTS))["Active"] == "5"  # stale for up to 30 seconds
    monkeypatch.setattr(inbox_views, "COUNT_FRESH_SECONDS", 0)
    # Past the fresh window a whole page shows no count it cannot vouch for; the list's
    # refresh keeps the older one in place until the recount it asks for arrives.
    page = client.get(INBOX + "?language=fr")
    assert tab_counts(page)["Active"] is None
    refresh = client.get(INBOX + "?language=fr", headers={"HX-Request": "true"})
    assert tab_counts(refresh)["Active"] == "5"
    assert 'hx-trigger="load"' in refresh.content.decode()
    with CaptureQueriesContext(connection) as queries:
        recounted = tab_counts(client.get(COUNTS))
    assert len(case_counts(queries)) == 4  # the four built-in views
    assert recounted["Active"] == "4"
    assert recounted["Overdue"] == "0"


def test_assigned_to_me_is_counted_for_each_user(
    signed_in: Callable[[str], Client], varied_cases: dict[str, Case]
) -> None:
    services.assign(
        case=varied_cases["plain"], actor=user("bram"), team=None, assignee=user("bram")
    )
    assert tab_counts(signed_in("anna").get(COUNTS))["Assigned to me"] == "1"
    assert tab_counts(signed_in("bram").get(COUNTS))["Assigned to me"] == "2"
    assert tab_counts(signed_in("anna").get(COUNTS))["Assigned to me"] == "1"


def test_counts_stop_at_the_cap(
    signed_in: Callable[[str], Client],
    generic: GenericAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for number, text in enumerate(["Vraag over afval", "Vraag over parkeren", "Vraag over gras"]):
        make_case(generic, f"e{number}", text)
    SavedView.objects.create(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        owner=user("anna"),
        name="Nederlands",
        filters={"language": "nl"},
    )
    monkeypatch.setattr(inbox_views, "COUNT_CAP", 2)
    client = signed_in("anna")
    response = client.get(INBOX)
    assert response.context["total"] == "2+"
    assert "Cases: 2+" in response.content.decode()
    views = tab_counts(client.get(COUNTS))
    assert views["Active"] == "2+"
    assert views["Unassigned"] == "2+"
    assert views["Assigned to me"] == "0"
    assert views["Nederlands"] == "2+"


def test_the_number_of_queries_does_not_grow_with_the_rows(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    make_case(generic, "e0", "Vraag over afval")
    client = signed_in("anna")
    client.get(COUNTS)

    def queries_of_the_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INBOX)
        assert response.status_code == 200
        return len(queries)

    one_row = queries_of_the_page()
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    public_space = Team.objects.get(organisation=stad, name="Openbaar domein")
    for number in range(1, 5):
        case = make_case(generic, f"e{number}", f"Vraag nummer {number}")
        services.assign(case=case, actor=user("bram"), team=public_space, assignee=user("bram"))
    assert numbers(client.get(INBOX + "?team=" + str(public_space.pk))) != []
    assert queries_of_the_page() == one_row


def test_older_pages_follow_the_cursor_without_gaps_or_repeats(
    signed_in: Callable[[str], Client],
    generic: GenericAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = ["afval", "parkeren", "gras maaien", "zwembad", "bibliotheek"]
    cases = [make_case(generic, f"e{i}", f"Vraag over {text}") for i, text in enumerate(texts)]
    monkeypatch.setattr(inbox_views, "PAGE_SIZE", 2)
    client = signed_in("anna")

    seen: list[int] = []
    url = INBOX + "?language=nl"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen.extend(numbers(response))
        pages += 1
        older = response.context["older_query"]
        assert ("language=nl" in older) if older else True  # the filter is kept
        url = INBOX + "?" + older if older else ""
    assert pages == 3
    assert seen == sorted((case.number for case in cases), reverse=True)  # newest first
    assert 'rel="next"' not in response.content.decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        base64.urlsafe_b64encode(b'{"a": 1}').decode(),
        base64.urlsafe_b64encode(json.dumps(["2026-99-99T00:00:00+00:00", 1]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps(["2026-01-01T00:00:00+00:00", "x"]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps(["2026-01-01T00:00:00", 1]).encode()).decode(),
    ],
)
def test_a_bad_cursor_says_so_and_shows_the_newest_cases(
    signed_in: Callable[[str], Client], generic: GenericAccount, cursor: str
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    response = signed_in("anna").get(INBOX, {"after": cursor})
    assert response.status_code == 400
    assert numbers(response) == [case.number]
    assert "That link to older cases is not valid" in response.content.decode()


# --- the case page ----------------------------------------------------------------------


def test_the_case_page_shows_the_whole_conversation_in_time_order(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(
        generic,
        "e1",
        "Wanneer wordt het grof vuil opgehaald?\nIk woon in de Kerkstraat.",
        author="jan",
        thread_title="Ophaling grof vuil",
        at="2026-11-28T09:00:00+01:00",
    )
    private = make_case(
        generic,
        "e2",
        "Mijn adres is Kerkstraat 12.",
        author="jan",
        thread="dm-jan",
        visibility="private",
        at="2026-11-28T09:30:00+01:00",
    )
    services.merge(source=private, target=case, actor=user("anna"))
    services.reply(
        case=fresh(case), actor=user("anna"), text="We kijken het na.", visibility="private"
    )
    client = signed_in("anna")

    response = client.get(case_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    texts = [item["message"].text for item in response.context["conversation"]]
    assert texts == [
        "Wanneer wordt het grof vuil opgehaald?\nIk woon in de Kerkstraat.",
        "Mijn adres is Kerkstraat 12.",
        "We kijken het na.",
    ]
    first, second, reply = (page.index(text) for text in ["Ik woon", "Mijn adres", "We kijken"])
    assert first < second < reply
    assert "Wanneer wordt het grof vuil opgehaald?<br>Ik woon in de Kerkstraat." in page
    assert "in “Ophaling grof vuil”" in page  # the thread title
    assert "Public" in page
    assert "Private" in page
    assert 'data-delivery="queued"' in page
    assert "Anna Peeters" in page  # the author of our reply
    assert "From 2 conversations, in time order." in page
    # The contact panel: the citizen and their identity; the history's merge line.
    citizens = response.context["citizens"]
    assert [(c.display_name, c.message_count) for c in citizens] == [("Jan", 2)]
    assert 'Jan <span class="help">(jan)</span>' in page
    assert f"Case #{private.number} was merged into this case" in page


def test_a_case_of_another_number_or_organisation_is_not_found(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    assert signed_in("anna").get(f"{INBOX}{case.number + 1}/").status_code == 404
    assert signed_in("admin").get(f"/o/rivierdijk/inbox/{case.number}/").status_code == 404


def test_earlier_cases_of_the_citizen_are_listed(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    earlier = make_case(generic, "e1", "Vraag over afval", author="jan")
    services.change_status(
        case=earlier, action=Action.CLOSE, actor=user("anna"), closing_reason="resolved"
    )
    later = make_case(generic, "e2", "Vraag over parkeren", author="jan")
    response = signed_in("anna").get(case_url(later))
    assert [c.number for c in response.context["earlier_cases"]] == [earlier.number]
    assert f'href="{case_url(earlier)}"' in response.content.decode()


def test_correcting_a_label_records_history_and_teaches_triage(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Wanneer wordt het grof vuil opgehaald?")
    assert case.message_type == "question"
    client = signed_in("anna")
    labels = {
        "message_type": "complaint",
        "topic": case.topic,
        "language": case.language,
        "sentiment": case.sentiment,
    }

    response = client.post(case_url(case, "labels"), labels)
    assert response.status_code == 302
    assert fresh(case).message_type == "complaint"
    corrections = CaseEvent.objects.filter(case=case, kind="label_corrected")
    assert [event.data for event in corrections] == [
        {"label": "message_type", "from": "question", "to": "complaint"}
    ]
    assert corrections.get().actor == user("anna")
    correction = LabelCorrection.objects.get()
    assert (correction.label, correction.predicted, correction.corrected) == (
        "message_type",
        "question",
        "complaint",
    )
    assert correction.text == "Wanneer wordt het grof vuil opgehaald?"
    page = client.get(case_url(case)).content.decode()
    assert "Type corrected from “Question” to “Complaint”." in page

    # Saving the same labels again changes nothing.
    client.post(case_url(case, "labels"), labels)
    assert CaseEvent.objects.filter(case=case, kind="label_corrected").count() == 1
    # A value that is not a label value is refused.
    response = client.post(case_url(case, "labels"), {**labels, "language": "xx"})
    assert response.status_code == 200
    assert "language" in response.context["label_form"].errors
    assert fresh(case).language == labels["language"]


def test_a_note_with_a_mention(signed_in: Callable[[str], Client], generic: GenericAccount) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    client = signed_in("anna")

    response = client.post(case_url(case, "note"), {"text": "Kan @bram dit nakijken?\nDank!"})
    assert response.status_code == 302
    note = CaseEvent.objects.get(case=case, kind="note")
    assert note.data == {"text": "Kan @bram dit nakijken?\nDank!", "mentions": ["bram"]}
    page = client.get(case_url(case)).content.decode()
    assert "Kan @bram dit nakijken?<br>Dank!" in page
    assert "mentions bram" in page

    response = client.post(case_url(case, "note"), {"text": "   "})
    assert response.status_code == 200
    assert "text" in response.context["note_form"].errors
    assert CaseEvent.objects.filter(case=case, kind="note").count() == 1


def test_a_coordinator_assigns_and_an_agent_may_not(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    team = Team.objects.get(organisation__slug="stad-voorbeeld", name="Openbaar domein")
    anna = user("anna")

    assert (
        signed_in("anna").post(case_url(case, "assign"), {"assignee": anna.pk}).status_code == 403
    )
    assert fresh(case).assignee is None
    assert "assign_form" not in signed_in("anna").get(case_url(case)).context

    client = signed_in("bram")
    response = client.post(case_url(case, "assign"), {"team": team.pk, "assignee": anna.pk})
    assert response.status_code == 302
    case = fresh(case)
    assert (case.team, case.assignee, case.status) == (team, anna, "open")
    assert CaseEvent.objects.filter(case=case, kind="assigned").count() == 1
    history = client.get(case_url(case)).content.decode()
    assert "Assigned to Anna Peeters (team Openbaar domein)." in history

    # A team of another organisation is not one of the choices.
    foreign = Team.objects.get(organisation__slug="rivierdijk")
    response = client.post(case_url(case, "assign"), {"team": foreign.pk})
    assert response.status_code == 200
    assert "team" in response.context["assign_form"].errors
    assert fresh(case).team == team


def test_status_actions_follow_the_workflow(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    client = signed_in("anna")

    page = client.get(case_url(case))
    offered = [value for value, _label in page.context["allowed_actions"]]
    assert offered == ["open", "wait_on_citizen", "wait_on_third_party"]
    assert page.context["may_close"]

    assert client.post(case_url(case, "status"), {"action": "open"}).status_code == 302
    assert fresh(case).status == "open"

    # Reopening an open case is not a move of the workflow: refused, nothing recorded.
    before = CaseEvent.objects.filter(case=case).count()
    response = client.post(case_url(case, "status"), {"action": "reopen"})
    assert response.status_code == 200
    assert "action" in response.context["status_form"].errors
    assert fresh(case).status == "open"
    assert CaseEvent.objects.filter(case=case).count() == before

    # Closing asks for a reason.
    response = client.post(case_url(case, "status"), {"action": "close"})
    assert response.status_code == 200
    assert "closing_reason" in response.context["status_form"].errors
    assert fresh(case).status == "open"

    response = client.post(
        case_url(case, "status"), {"action": "close", "closing_reason": "not_for_us"}
    )
    assert response.status_code == 302
    case = fresh(case)
    assert (case.status, case.closing_reason) == ("closed", "not_for_us")
    assert case.closed_at is not None
    changes = CaseEvent.objects.filter(case=case, kind="status_changed")
    assert [(e.data["from"], e.data["to"]) for e in changes] == [
        ("new", "open"),
        ("open", "closed"),
    ]
    page = client.get(case_url(case))
    assert [value for value, _label in page.context["allowed_actions"]] == ["reopen"]
    assert not page.context["may_close"]
    assert "Status changed from Open to Closed. Reason: Not for us." in page.content.decode()


def test_priority_and_tags(signed_in: Callable[[str], Client], generic: GenericAccount) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    client = signed_in("anna")
    assert client.post(case_url(case, "priority"), {"priority": "high"}).status_code == 302
    assert client.post(case_url(case, "tags"), {"tags": "Afval, kerkstraat,,"}).status_code == 302
    case = fresh(case)
    assert (case.priority, case.tags) == ("high", ["afval", "kerkstraat"])
    response = client.post(case_url(case, "priority"), {"priority": "extreme"})
    assert "priority" in response.context["priority_form"].errors
    assert fresh(case).priority == "high"


# --- replies ----------------------------------------------------------------------------


def test_a_reply_queues_a_delivery_and_starts_the_answer(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Wanneer wordt het grof vuil opgehaald?")
    assert case.first_responded_at is None
    client = signed_in("anna")

    page = client.get(case_url(case))
    assert page.context["composer"].max_length == 5000
    assert 'data-max-length="5000"' in page.content.decode()

    response = client.post(
        case_url(case, "reply"),
        {"text": "Dag Jan,\r\nop maandag.", "visibility": "public"},
    )
    assert response.status_code == 302
    reply = Message.objects.get(case=case, direction="outbound")
    assert reply.text == "Dag Jan,\nop maandag."
    assert reply.visibility == "public"
    assert reply.author_user == user("anna")
    assert reply.in_reply_to_external_id == "e1"
    delivery = OutboundDelivery.objects.get()
    assert reply.delivery == delivery
    assert delivery.status == "queued"
    assert delivery.message["text"] == "Dag Jan,\nop maandag."
    case = fresh(case)
    assert case.first_responded_at is not None
    assert case.status == "answered"
    assert CaseEvent.objects.filter(case=case, kind="replied").count() == 1


def test_a_reply_to_a_closed_case_asks_first_and_changes_nothing(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    services.change_status(
        case=case, action=Action.CLOSE, actor=user("anna"), closing_reason="resolved"
    )
    client = signed_in("anna")
    events_before = CaseEvent.objects.filter(case=case).count()

    response = client.post(
        case_url(case, "reply"), {"text": "Nog een aanvulling.", "visibility": "public"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This case is closed. Reopen it and send?" in page
    assert response.context["reopen_confirm"]
    assert not Message.objects.filter(direction="outbound").exists()
    assert not OutboundDelivery.objects.exists()
    assert fresh(case).status == "closed"
    assert CaseEvent.objects.filter(case=case).count() == events_before
    # The confirmation carries the same reply, now with reopen.
    assert '<input type="hidden" name="reopen" value="1">' in page
    assert "Nog een aanvulling.</textarea>" in page

    response = client.post(
        case_url(case, "reply"),
        {"text": "Nog een aanvulling.", "visibility": "public", "reopen": "1"},
    )
    assert response.status_code == 302
    assert Message.objects.get(direction="outbound").text == "Nog een aanvulling."
    case = fresh(case)
    assert (case.status, case.closing_reason, case.closed_at) == ("answered", "", None)


def test_a_reply_too_long_for_the_channel_is_a_field_error(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    response = signed_in("anna").post(
        case_url(case, "reply"), {"text": "x" * 5001, "visibility": "public"}
    )
    assert response.status_code == 200
    errors = response.context["reply_form"].errors
    assert errors["text"] == ["Too long for this channel: at most 5000 characters."]
    assert not Message.objects.filter(direction="outbound").exists()
    assert fresh(case).first_responded_at is None
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert 'href="#composer"' in page  # the error summary points at the composer


def test_the_composer_offers_only_what_the_conversation_allows(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    private = make_case(generic, "e1", "Mijn vraag", thread="dm-1", visibility="private")
    client = signed_in("anna")
    composer = client.get(case_url(private)).context["composer"]
    assert [value for value, _label in composer.visibilities] == ["private"]
    response = client.post(case_url(private, "reply"), {"text": "Dag", "visibility": "public"})
    assert response.status_code == 200
    assert "visibility" in response.context["reply_form"].errors
    assert not Message.objects.filter(direction="outbound").exists()

    public = make_case(generic, "e2", "Mijn publieke vraag")
    composer = client.get(case_url(public)).context["composer"]
    assert [value for value, _label in composer.visibilities] == ["public", "private"]
    assert composer.default_visibility == "public"


def test_reply_to_all_answers_each_citizen_once(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    generic.post(
        event("e1", author="a", text="Wanneer wordt het grof vuil opgehaald in de Kerkstraat?")
    )
    generic.post(
        event("e2", author="b", text="Wanneer wordt grof vuil opgehaald in de Kerkstraat??")
    )
    process_all()
    case = Case.objects.get()
    client = signed_in("anna")
    page = client.get(case_url(case))
    assert page.context["composer"].several_citizens
    assert "Reply to all 2 citizens" in page.content.decode()

    response = client.post(
        case_url(case, "reply"),
        {"text": "Maandag.", "visibility": "public", "to_all": "on"},
    )
    assert response.status_code == 302
    replies = Message.objects.filter(direction="outbound")
    assert sorted(replies.values_list("in_reply_to_external_id", flat=True)) == ["e1", "e2"]


def test_a_failed_delivery_can_be_retried(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    other = make_case(generic, "e2", "Vraag over parkeren")
    anna = user("anna")
    services.reply(case=case, actor=anna, text="Antwoord", visibility="public")
    services.reply(case=other, actor=anna, text="Ander antwoord", visibility="public")
    OutboundDelivery.objects.update(status="failed", last_error="HTTP 400")
    mine = Message.objects.get(case=case, direction="outbound").delivery
    theirs = Message.objects.get(case=other, direction="outbound").delivery
    assert mine is not None
    assert theirs is not None
    client = signed_in("anna")

    page = client.get(case_url(case)).content.decode()
    assert 'data-delivery="failed"' in page
    assert "HTTP 400" in page
    assert "Retry sending" in page

    # Not through another case's page.
    assert client.post(case_url(case, "retry"), {"delivery": theirs.pk}).status_code == 404
    assert OutboundDelivery.objects.get(pk=theirs.pk).status == "failed"

    assert client.post(case_url(case, "retry"), {"delivery": mine.pk}).status_code == 302
    assert OutboundDelivery.objects.get(pk=mine.pk).status == "queued"


# --- merge and split --------------------------------------------------------------------


def test_merging_moves_the_messages_and_closes_the_source(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    source = make_case(generic, "e1", "Vraag over afval", author="jan")
    target = make_case(generic, "e2", "Nog een vraag over afval", author="jan")
    client = signed_in("anna")

    response = client.post(case_url(source, "merge"), {"target": 999})
    assert response.status_code == 200
    assert response.context["merge_form"].errors["target"] == ["There is no case with this number."]
    response = client.post(case_url(source, "merge"), {"target": source.number})
    assert response.status_code == 200
    assert fresh(source).merged_into is None

    response = client.post(case_url(source, "merge"), {"target": target.number})
    assert response.status_code == 302
    assert response["Location"] == case_url(target)
    source = fresh(source)
    assert source.merged_into == Case.objects.get(pk=target.pk)
    assert (source.status, source.closing_reason) == ("closed", "duplicate")
    assert set(Message.objects.filter(case=target).values_list("external_id", flat=True)) == {
        "e1",
        "e2",
    }
    # The merged case drops out of the list; its page points at the case it lives on in.
    assert numbers(client.get(INBOX + "?status=all")) == [target.number]
    assert f"merged into case #{target.number}" in client.get(case_url(source)).content.decode()


def test_splitting_moves_the_chosen_messages_to_a_new_case(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Wanneer wordt het grof vuil opgehaald?", author="a")
    generic.post(event("e2", author="b", text="En de straatlamp is ook kapot", in_reply_to="e1"))
    process_all()
    first, second = Message.objects.filter(case=case).order_by("platform_time", "pk")
    client = signed_in("anna")

    assert client.post(case_url(case, "split"), {}).status_code == 200
    response = client.post(case_url(case, "split"), {"messages": [first.pk, second.pk]})
    assert response.status_code == 200
    assert response.context["split_form"].non_field_errors()
    assert Case.objects.count() == 1

    response = client.post(case_url(case, "split"), {"messages": [second.pk]})
    assert response.status_code == 302
    new = Case.objects.exclude(pk=case.pk).get()
    assert response["Location"] == case_url(new)
    assert list(Message.objects.filter(case=case).values_list("pk", flat=True)) == [first.pk]
    assert list(Message.objects.filter(case=new).values_list("pk", flat=True)) == [second.pk]
    assert CaseEvent.objects.filter(case=case, kind="split").get().data["into"] == new.number


# --- presence ---------------------------------------------------------------------------


def test_presence_shows_who_else_is_on_the_case_and_whether_it_changed(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    anna = Client()
    anna.cookies["loket_language"] = "en"
    anna.force_login(user("anna"))
    bram = signed_in("bram")
    since = fresh(case).last_activity_at.isoformat()

    assert anna.get(case_url(case)).status_code == 200  # opening the case is being there
    response = bram.post(case_url(case, "presence"), {"activity": "viewing", "since": since})
    assert response.status_code == 200
    assert "Anna Peeters is looking at this case" in response.content.decode()
    assert "changed since" not in response.content.decode()

    anna.post(case_url(case, "presence"), {"activity": "replying", "since": since})
    response = bram.post(case_url(case, "presence"), {"activity": "viewing", "since": since})
    assert "Anna Peeters is replying" in response.content.decode()
    response = anna.post(case_url(case, "presence"), {"activity": "replying", "since": since})
    assert "Bram Janssens is looking at this case" in response.content.decode()

    # A new citizen message since the page was opened: offer a reload.
    generic.post(event("e2", text="Nog iets", in_reply_to="e1"))
    process_all()
    response = bram.post(case_url(case, "presence"), {"since": since})
    assert "1 new message since you opened this case." in response.content.decode()
    assert f'href="{case_url(case)}"' in response.content.decode()
    # A garbled moment is ignored, not an error.
    assert bram.post(case_url(case, "presence"), {"since": "gisteren"}).status_code == 200

    assert anna.post(case_url(case, "presence"), {"leave": "1"}).status_code == 204
    response = bram.post(case_url(case, "presence"), {"since": since})
    assert "Anna Peeters" not in response.content.decode()
    assert "Nobody else has this case open." in response.content.decode()


# --- who may do what --------------------------------------------------------------------

ACTIONS = {
    "reply": {"text": "Dag", "visibility": "public"},
    "note": {"text": "Notitie"},
    "assign": {"assignee": ""},
    "status": {"action": "close", "closing_reason": "spam"},
    "priority": {"priority": "urgent"},
    "tags": {"tags": "gekaapt"},
    "labels": {"message_type": "complaint"},
    "merge": {"target": 1},
    "split": {"messages": [1]},
    "retry": {"delivery": 1},
}


def case_snapshot(case: Case) -> tuple[Any, ...]:
    case = fresh(case)
    return (
        case.status,
        case.priority,
        case.tags,
        case.message_type,
        case.assignee_id,
        CaseEvent.objects.filter(case=case).count(),
        Message.objects.count(),
    )


def test_a_non_member_gets_404_on_every_inbox_page(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    before = case_snapshot(case)
    client = signed_in("carla")  # analyst elsewhere, no member of Stad Voorbeeld
    assert client.get(INBOX).status_code == 404
    counts = client.get(COUNTS)
    assert counts.status_code == 404
    assert b"data-view-count" not in counts.content
    assert client.get(case_url(case)).status_code == 404
    for action, data in [*ACTIONS.items(), ("presence", {})]:
        response = client.post(case_url(case, action), data)
        assert response.status_code == 404, action
        assert b"Stad Voorbeeld" not in response.content
    assert case_snapshot(case) == before


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_members_without_case_permissions_get_403_and_change_nothing(
    signed_in: Callable[[str], Client], generic: GenericAccount, role: str
) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    tenancy_services.set_membership(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"), user=user("carla"), role=role
    )
    before = case_snapshot(case)
    client = signed_in("carla")
    assert client.get(INBOX).status_code == 403
    assert client.get(COUNTS).status_code == 403
    assert client.get(case_url(case)).status_code == 403
    for action, data in [*ACTIONS.items(), ("presence", {})]:
        assert client.post(case_url(case, action), data).status_code == 403, action
    assert case_snapshot(case) == before
    start = client.get("/o/stad-voorbeeld/").content.decode()
    assert f'href="{INBOX}"' not in start


def test_agents_reach_the_inbox_from_the_navigation_and_their_start_page(
    signed_in: Callable[[str], Client],
) -> None:
    page = signed_in("anna").get("/o/stad-voorbeeld/").content.decode()
    assert page.count(f'href="{INBOX}"') == 2  # the main navigation and the desk
    page = signed_in("bram").get("/o/stad-voorbeeld/").content.decode()
    assert f'href="{INBOX}"' in page


def test_writes_need_post(signed_in: Callable[[str], Client], generic: GenericAccount) -> None:
    case = make_case(generic, "e1", "Vraag over afval")
    client = signed_in("bram")
    for action in [*ACTIONS, "presence"]:
        assert client.get(case_url(case, action)).status_code == 405, action


# --- untrusted citizen text -------------------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def test_citizen_text_is_escaped_everywhere(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    text = f"{PAYLOADS[0]} en {PAYLOADS[1]}\n\"quotes\" & 'apostrophes'"
    generic.post(
        {
            **event("e1", text=text, author="evil"),
            "author": {"id": "evil", "name": PAYLOADS[1]},
            "thread_title": PAYLOADS[0],
            "attachments": [{"kind": "image", "name": PAYLOADS[1], "url": "javascript:alert(1)"}],
        }
    )
    process_all()
    case = Case.objects.get()
    services.add_note(case=case, actor=user("anna"), text=PAYLOADS[0])
    client = signed_in("anna")

    for url in [INBOX, case_url(case)]:
        page = client.get(url).content.decode()
        for payload in PAYLOADS:
            assert payload not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, url
        assert "javascript:alert(1)" not in page
    page = client.get(case_url(case)).content.decode()
    assert (
        "&lt;img src=x onerror=alert(1)&gt;<br>&quot;quotes&quot; &amp; &#x27;apostrophes&#x27;"
        in page
    )
    # The presence fragment escapes names too.
    bram = User.objects.get(username="bram")
    bram.first_name = PAYLOADS[1]
    bram.save()
    anna_view = Client()
    anna_view.force_login(bram)
    anna_view.get(case_url(case))
    fragment = client.post(case_url(case, "presence"), {}).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in fragment
    assert PAYLOADS[1] not in fragment


def test_the_composer_warns_before_publishing_personal_data(
    generic: GenericAccount, signed_in: Callable[[str], Client]
) -> None:
    case = make_case(generic, "pd1", "Wat is mijn rekeningnummer bij jullie?")
    anna = signed_in("anna")
    url = f"/o/stad-voorbeeld/inbox/{case.number}/reply/"
    text = "Stort op BE71 0961 2345 6769 of bel 0470 12 34 56."
    page = anna.post(url, {"text": text, "visibility": "public"})
    html = page.content.decode()
    assert 'id="personal-data-confirm"' in html
    assert "a bank account number, a phone number" in html  # anna reads Loket in English
    assert not Message.objects.filter(direction="outbound").exists()
    anna.post(url, {"text": text, "visibility": "private"})
    assert Message.objects.get(direction="outbound").visibility == "private"
