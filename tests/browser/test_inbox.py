"""The inbox in a real browser: an agent's whole round (filter, open, correct, reply, close),
the same with the keyboard alone, two agents who see each other on one case, citizen text
that tries to run script, and the pages without JavaScript.

Citizen messages come in as they do in production: signed webhook deliveries to a generic
account, processed by the intake pipeline. Assertions use ids, data attributes and the
database rather than UI wording, so they hold whatever the catalogues say.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from loket.channels import services as channel_services
from loket.channels.models import InboundEvent
from loket.cli.demo_cast import DEMO_PASSWORD
from loket.inbox import intake
from loket.inbox.models import Case, Message
from loket.tenancy.models import Organisation, Team, User
from loket.triage.models import LabelCorrection
from loket.web import inbox_views
from tests.browser.test_pages import sign_in
from tests.conftest import GenericAccount, event

pytestmark = pytest.mark.browser

INBOX = "/o/stad-voorbeeld/inbox/"
CASE_ROWS = "tr[data-case-row]"

# The live server shares the test's in-memory SQLite connection between all its request
# threads and this one (Django does so for in-memory databases). The inbox pages poll, so
# two requests, or a request and the test's own database work, could overlap on that one
# connection ("database table is locked"). One lock makes them take turns; the test takes
# it too whenever it reads or writes the database while pages are open.
DATABASE_TURN = threading.RLock()
HELD_FOR_FLUSH: list[bool] = []


@pytest.fixture(autouse=True)
def one_request_at_a_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    handle = WSGIHandler.__call__

    def in_turn(self: WSGIHandler, environ: Any, start_response: Any) -> Any:
        with DATABASE_TURN:
            return handle(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", in_turn)
    yield
    # The database has been flushed by now: let any late request (a page's farewell) through.
    while HELD_FOR_FLUSH:
        HELD_FOR_FLUSH.pop()
        DATABASE_TURN.release()


@pytest.fixture(autouse=True)
def no_requests_while_flushing(one_request_at_a_time: None, live_cast: None) -> Iterator[None]:
    """Set up after the database and before any browser context, so torn down after the
    contexts closed and before the database is flushed: late requests wait until then."""
    yield
    DATABASE_TURN.acquire()
    HELD_FOR_FLUSH.append(True)


@pytest.fixture(autouse=True)
def no_cached_counts() -> None:
    """The inbox tab counts outlive a request in the cache: each test starts without them."""
    cache.clear()


def generic_account() -> GenericAccount:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    team = Team.objects.get(organisation=organisation, name="Klantencontactcenter")
    account, secret = channel_services.create_account(
        organisation=organisation, connector="generic", name="Website-chat", team=team
    )
    return GenericAccount(account=account, secret=secret, client=Client())


def arrive(account: GenericAccount, *events: dict[str, Any]) -> list[Case]:
    """Deliver citizen messages and run the intake; the cases they ended up in."""
    with DATABASE_TURN:
        for payload in events:
            response = account.post(payload)
            assert response.status_code == 200, response.content
        pending = InboundEvent.objects.filter(status="pending").order_by("pk")
        for pk in pending.values_list("pk", flat=True):
            intake.process_event(pk)
        return [Case.objects.get(messages__external_id=p["event_id"]) for p in events]


def case_path(case: Case) -> str:
    return f"{INBOX}{case.number}/"


def keyboard_sign_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.locator("main input[name='username']").fill(username)
    page.locator("main input[name='password']").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_agent_filters_opens_corrects_replies_and_closes(page: Page, live_cast: None) -> None:
    account = generic_account()
    refuse, lamp = arrive(
        account,
        event("e1", thread="t1", author="jan", text="Wanneer wordt het grof vuil opgehaald?"),
        event("e2", thread="t2", author="els", text="De straatlamp aan het station is kapot"),
    )
    sign_in(page, "anna")
    page.locator("nav.main-nav a[href='/o/stad-voorbeeld/inbox/']").click()
    expect(page).to_have_url(re.compile(re.escape(INBOX) + "$"))
    expect(page.locator(CASE_ROWS)).to_have_count(2)
    # The tab counts arrive after the page: Active, Assigned to me, Unassigned, Overdue.
    counts = page.locator("#inbox-views [data-view-count]")
    expect(counts).to_have_count(4)
    expect(counts.nth(1)).to_have_text("0")
    expect(counts.nth(2)).to_have_text("2")

    # Filtering swaps the list in place and puts the filter in the address.
    page.locator("#filter_query").fill("straatlamp")
    page.locator("form.inbox-filters button[type='submit']").click()
    expect(page.locator(CASE_ROWS)).to_have_count(1)
    expect(page.locator(CASE_ROWS)).to_have_attribute("data-number", str(lamp.number))
    expect(page).to_have_url(re.compile(r"query=straatlamp"))

    page.locator(f"#case-link-{lamp.number}").click()
    expect(page).to_have_url(re.compile(re.escape(case_path(lamp)) + "$"))
    expect(page.locator("main h1")).to_contain_text("De straatlamp aan het station is kapot")
    expect(page.locator("#conversation .message-text")).to_have_text(
        "De straatlamp aan het station is kapot"
    )

    # Triage called it something else: the agent corrects the type.
    page.locator("#label_message_type").select_option("complaint")
    with page.expect_navigation():
        page.locator("#labels button[type='submit']").click()
    expect(page.locator("#label_message_type")).to_have_value("complaint")
    with DATABASE_TURN:
        correction = LabelCorrection.objects.get()
    assert (correction.label, correction.corrected) == ("message_type", "complaint")

    # The composer counts characters against the channel's limit.
    reply = "Dag Els, we sturen iemand langs."
    page.locator("#reply_text").fill(reply)
    expect(page.locator("[data-char-count]")).to_contain_text(f"{len(reply)}")
    expect(page.locator("[data-char-count]")).to_contain_text("5000")
    with page.expect_navigation():
        page.locator("#reply-form button[type='submit']").click()
    outbound = page.locator("#conversation .from-outbound")
    expect(outbound.locator(".message-text")).to_have_text(reply)
    expect(outbound.locator("[data-delivery]")).to_have_attribute("data-delivery", "queued")
    expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "answered")

    page.locator("#status_closing_reason").select_option("resolved")
    with page.expect_navigation():
        page.locator("#close-form button[type='submit']").click()
    expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "closed")

    with DATABASE_TURN:
        lamp.refresh_from_db()
        replies = Message.objects.filter(case=lamp, direction="outbound").count()
        refuse.refresh_from_db()
    assert (lamp.status, lamp.closing_reason, lamp.message_type) == (
        "closed",
        "resolved",
        "complaint",
    )
    assert lamp.first_responded_at is not None
    assert replies == 1
    assert refuse.status == "new"  # the other case was left alone


def test_the_inbox_with_the_keyboard_alone(page: Page, live_cast: None) -> None:
    account = generic_account()
    first, second = arrive(
        account,
        event("e1", thread="t1", author="jan", text="Wanneer wordt het grof vuil opgehaald?"),
        event("e2", thread="t2", author="els", text="De straatlamp aan het station is kapot"),
    )
    keyboard_sign_in(page, "anna")
    page.goto(INBOX)
    newest, older = (
        page.locator(f"#case-link-{second.number}"),
        page.locator(f"#case-link-{first.number}"),
    )

    page.keyboard.press("j")
    expect(newest).to_be_focused()
    expect(page.locator(f"tr[data-number='{second.number}']")).to_have_class(
        re.compile(r"\bis-selected\b")
    )
    outline = newest.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("j")
    expect(older).to_be_focused()
    page.keyboard.press("k")
    expect(newest).to_be_focused()

    # The help opens over the page and closes with Escape.
    page.keyboard.press("?")
    help_dialog = page.locator("dialog#keyboard-help-dialog")
    expect(help_dialog).to_be_visible()
    expect(help_dialog.locator("kbd", has_text="j")).to_be_visible()
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(case_path(second)) + "$"))

    # r: straight to the composer; the key itself is not typed into it.
    page.keyboard.press("r")
    composer = page.locator("#reply_text")
    expect(composer).to_be_focused()
    page.keyboard.type("Dag Els")
    expect(composer).to_have_value("Dag Els")
    expect(page.locator("[data-char-count]")).to_contain_text("7")
    # Shortcuts are ignored while typing: j and n land in the text.
    page.keyboard.type(" jn")
    expect(composer).to_have_value("Dag Els jn")
    page.keyboard.press("Escape")
    expect(composer).not_to_be_focused()

    # n: a note, sent with Tab and Enter.
    page.keyboard.press("n")
    expect(page.locator("#note_text")).to_be_focused()
    page.keyboard.type("Nagevraagd bij @bram")
    page.keyboard.press("Tab")
    expect(page.locator("#notes button[type='submit']")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#notes .note-text")).to_have_text("Nagevraagd bij @bram")

    # e: the reason for closing, chosen with the arrow keys, sent with Tab and Enter.
    page.keyboard.press("e")
    reason = page.locator("#status_closing_reason")
    expect(reason).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(reason).to_have_value("resolved")
    page.keyboard.press("Tab")
    expect(page.locator("#close-form button[type='submit']")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "closed")

    # Tab alone reaches the composer from the top of the page.
    page.reload()
    page.keyboard.press("Tab")  # the skip link first
    expect(page.locator("a.skip-link")).to_be_focused()
    for _press in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "reply_text":
            break
    else:
        pytest.fail("Tab never reached the reply composer")

    # u: back to the inbox.
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("u")
    expect(page).to_have_url(re.compile(re.escape(INBOX) + "$"))


def test_two_agents_see_each_other_on_one_case(
    new_context: Callable[..., BrowserContext],
    live_cast: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(inbox_views, "PRESENCE_POLL_SECONDS", 1)
    account = generic_account()
    (case,) = arrive(account, event("e1", text="Wanneer wordt het grof vuil opgehaald?"))
    anna = new_context().new_page()
    bram = new_context().new_page()
    sign_in(anna, "anna")
    sign_in(bram, "bram")

    anna.goto(case_path(case))
    bram.goto(case_path(case))
    expect(bram.locator("#presence li.presence-viewing")).to_contain_text("Anna Peeters")
    expect(anna.locator("#presence li.presence-viewing")).to_contain_text(
        "Bram Janssens", timeout=5_000
    )

    # Anna starts writing: Bram sees that she is replying.
    anna.locator("#reply_text").click()
    anna.keyboard.type("Dag Jan")
    expect(bram.locator("#presence li.presence-replying")).to_contain_text(
        "Anna Peeters", timeout=5_000
    )

    # A new citizen message: both are offered a reload, nothing is lost from the composer.
    arrive(account, event("e2", text="Het is nog altijd niet opgehaald", in_reply_to="e1"))
    expect(bram.locator("#presence [data-case-changed]")).to_be_visible(timeout=5_000)
    expect(anna.locator("#presence [data-case-changed]")).to_be_visible(timeout=5_000)
    expect(anna.locator("#reply_text")).to_have_value("Dag Jan")

    # Bram leaves: Anna no longer sees him.
    bram.goto(INBOX)
    expect(anna.locator("#presence")).not_to_contain_text("Bram Janssens", timeout=5_000)


PAYLOADS = (
    "<script>window.__xss = 'script'; alert(1)</script>",
    "<img src=x onerror=\"window.__xss = 'img'; alert(1)\">",
)


def test_citizen_text_that_tries_to_run_script_is_shown_as_text(
    new_context: Callable[..., BrowserContext],
    live_cast: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(inbox_views, "LIST_REFRESH_SECONDS", 1)
    monkeypatch.setattr(inbox_views, "PRESENCE_POLL_SECONDS", 1)
    account = generic_account()
    (case,) = arrive(
        account,
        {
            **event("e1", text=f"{PAYLOADS[0]}\n{PAYLOADS[1]}"),
            "author": {"id": "x", "name": PAYLOADS[1]},
            "thread_title": PAYLOADS[0],
        },
    )
    # A colleague whose name carries a payload: it reaches the page through presence polling.
    colleague = User.objects.get(username="bram")
    colleague.first_name = PAYLOADS[1]
    colleague.save()
    page = new_context().new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page, "anna")
    page.goto(INBOX)
    expect(page.locator(f"#case-link-{case.number} .subject")).to_have_text(PAYLOADS[0])
    # The list refreshes itself through htmx: the swapped-in rows are escaped as well.
    with page.expect_response(
        lambda r: r.url.split("?")[0].endswith(INBOX) and r.request.headers.get("hx-request")
    ):
        pass
    expect(page.locator(f"#case-link-{case.number} .subject")).to_have_text(PAYLOADS[0])

    colleague_page = new_context().new_page()
    sign_in(colleague_page, "bram")
    colleague_page.goto(case_path(case))
    page.goto(case_path(case))
    expect(page.locator("#conversation .message-text")).to_have_text(PAYLOADS[0] + PAYLOADS[1])
    expect(page.locator("#conversation .message-meta strong")).to_have_text(PAYLOADS[1])
    expect(page.locator("#conversation .thread")).to_contain_text(PAYLOADS[0])
    expect(page.locator("h1")).to_contain_text(PAYLOADS[0])
    # The presence fragment is put in place by inbox.js: still text, not markup.
    with page.expect_response(lambda r: r.url.endswith("/presence/")):
        pass
    expect(page.locator("#presence li")).to_contain_text(PAYLOADS[1])
    page.wait_for_timeout(1_500)  # a few more polls

    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 1  # inbox.js, nothing else
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


def test_the_inbox_works_without_javascript(
    new_context: Callable[..., BrowserContext], live_cast: None
) -> None:
    account = generic_account()
    closed, lamp = arrive(
        account,
        event("e1", thread="t1", text="Wanneer wordt het grof vuil opgehaald?"),
        event("e2", thread="t2", text="De straatlamp aan het station is kapot"),
    )
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "bram")
    page.goto(INBOX)
    expect(page.locator(CASE_ROWS)).to_have_count(2)
    expect(page.locator("#keyboard-help")).to_be_visible()  # the help is a plain section
    # The tabs are plain links; only the current one is counted without JavaScript.
    expect(page.locator("#inbox-views a")).to_have_count(4)
    expect(page.locator("#inbox-views [data-view-count]")).to_have_text(["2"])

    page.locator("#filter_query").fill("straatlamp")
    with page.expect_navigation():
        page.locator("form.inbox-filters button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"query=straatlamp"))
    expect(page.locator(CASE_ROWS)).to_have_count(1)

    with page.expect_navigation():
        page.locator(f"#case-link-{lamp.number}").click()
    page.locator("#reply_text").fill("We sturen iemand langs.")
    with page.expect_navigation():
        page.locator("#reply-form button[type='submit']").click()
    expect(page.locator("#conversation .from-outbound .message-text")).to_have_text(
        "We sturen iemand langs."
    )

    # Closed cases ask before a reply reopens them, without JavaScript too.
    page.locator("#status_closing_reason").select_option("resolved")
    with page.expect_navigation():
        page.locator("#close-form button[type='submit']").click()
    page.locator("#reply_text").fill("Nog een aanvulling.")
    with page.expect_navigation():
        page.locator("#reply-form button[type='submit']").click()
    confirm = page.locator("#reopen-confirm")
    expect(confirm).to_be_visible()
    with DATABASE_TURN:
        assert Message.objects.filter(case=lamp, direction="outbound").count() == 1
    with page.expect_navigation():
        confirm.locator("button[data-confirm-reopen]").click()
    expect(page.locator("#conversation .from-outbound .message-text")).to_have_text(
        ["We sturen iemand langs.", "Nog een aanvulling."]
    )
    expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "answered")
    with DATABASE_TURN:
        closed.refresh_from_db()
    assert closed.status == "new"
