"""The public contact form in a real browser: by keyboard and without JavaScript, the error
summary, the visible focus, and embedded in an iframe on another website (allowed or not)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect
from pytest_httpserver import HTTPServer

from loket.channels import services as channel_services
from loket.channels.models import ChannelAccount, InboundEvent
from loket.tenancy.models import Organisation
from loket.web import webform_views

pytestmark = pytest.mark.browser


def translated(text: str, language: str = "nl") -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # The live server runs in this process: the robot may be quicker than a person.
    monkeypatch.setattr(webform_views, "MIN_FILL_SECONDS", 0)


def webform(embed_origins: list[str] | None = None) -> ChannelAccount:
    account, _secret = channel_services.create_account(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        connector="webform",
        name="Contactformulier",
        config={"embed_origins": embed_origins or [], "send_confirmation": False},
    )
    return account


@pytest.fixture
def no_script_page(new_context: Callable[..., BrowserContext], live_cast: None) -> Page:
    return new_context(java_script_enabled=False).new_page()


def test_the_form_works_by_keyboard_without_javascript(no_script_page: Page) -> None:
    page = no_script_page
    account = webform()
    page.goto(f"/form/{account.public_id}/")
    expect(page.locator("h1")).to_have_text("Contact Stad Voorbeeld")

    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.name"))
    fields = ["id_name", "id_email", "id_subject", "id_message", "id_consent"]
    assert [element for element in reached if element in fields] == fields
    assert "id_website" not in reached  # the honeypot is never reached

    page.focus("#id_name")
    page.keyboard.type("Lotte")
    page.keyboard.press("Tab")
    page.keyboard.type("lotte@voorbeeld-burger.invalid")
    page.focus("#id_message")
    page.keyboard.type("Wanneer is het containerpark open?")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the consent box
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text(translated("Your message was sent"))
    reference = page.locator(".webform-reference").inner_text()
    [event] = InboundEvent.objects.all()
    assert reference == event.event_key[:8].upper()


def test_the_error_summary_takes_the_focus_and_leads_to_the_field(page: Page) -> None:
    account = webform()
    page.goto(f"/form/{account.public_id}/?lang=fr")
    page.get_by_role("button", name=translated("Send", "fr")).click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(translated("Enter your question or message", "fr"))
    summary.get_by_role("link", name=translated("Enter your question or message", "fr")).click()
    expect(page.locator("#id_message")).to_be_focused()
    expect(page.locator("#id_message")).to_have_attribute("aria-invalid", "true")
    # Keyboard focus is visible: the project's outline.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = page.locator("#id_message").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    assert not InboundEvent.objects.exists()


def host_page(httpserver: HTTPServer, form_url: str) -> str:
    httpserver.expect_request("/contact").respond_with_data(
        "<!doctype html><title>Stad Voorbeeld</title><h1>Contact</h1>"
        f'<iframe id="form" title="Contactformulier" src="{form_url}" '
        'style="width:100%;height:60rem"></iframe>',
        content_type="text/html",
    )
    return str(httpserver.url_for("/contact"))


def test_an_allowed_website_embeds_the_form_and_it_works_inside(
    page: Page, live_server: Any, httpserver: HTTPServer
) -> None:
    origin = httpserver.url_for("/").rstrip("/")
    account = webform(embed_origins=[origin])
    page.goto(host_page(httpserver, f"{live_server.url}/form/{account.public_id}/?embed=1"))
    frame = page.frame_locator("#form")
    frame.locator("#id_message").fill("Mag ik mijn grofvuil zelf brengen?")
    frame.locator("#id_consent").check()
    frame.get_by_role("button", name=translated("Send")).click()
    expect(frame.locator("h1")).to_have_text(translated("Your message was sent"))
    assert InboundEvent.objects.count() == 1


def test_another_website_cannot_frame_the_form(
    page: Page, live_server: Any, httpserver: HTTPServer
) -> None:
    account = webform(embed_origins=["https://www.voorbeeld.be"])
    form_url = f"{live_server.url}/form/{account.public_id}/?embed=1"
    with page.expect_response(form_url) as answer:
        page.goto(host_page(httpserver, form_url))
    assert answer.value.status == 200  # served, but the browser refuses to show it here
    page.wait_for_timeout(500)
    frame = next(f for f in page.frames if f.parent_frame is not None)
    assert frame.locator("#id_message").count() == 0  # blocked by frame-ancestors
    # The same address on its own shows the form.
    page.goto(form_url)
    expect(page.locator("#id_message")).to_be_visible()
