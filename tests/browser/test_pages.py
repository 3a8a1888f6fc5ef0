"""What a person sees in a real browser: signing in, the organisation and language switchers
(with and without JavaScript), the skip link, login throttling, and a screenshot.

Texts that come from the translation catalogues are looked up through Django's own gettext, so
these tests follow the catalogues. Only the few literal UI strings marked "UI STRINGS" below
pin exact wording in Dutch, French and English; adjust them if the catalogues choose otherwise.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import BrowserContext, Locator, Page, Response, expect

from loket.cli.demo_cast import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# UI STRINGS: the literal translations these tests expect; adjust here if the catalogues differ.
TEAMS_LINK = {"nl": "Teams", "fr": "Équipes", "en": "Teams"}
SIGN_OUT_BUTTON = {"nl": "Afmelden", "fr": "Se déconnecter", "en": "Sign out"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def translated(language: str, text: str) -> str:
    """A UI string as the live server shows it in this language, from the same catalogues."""
    with translation.override(language):
        return translation.gettext(text)


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> Response | None:
    """Fill in and submit the real login form; the response the browser ends up with."""
    page.goto("/login/")
    login_form = page.locator("main form[action='/login/']")
    login_form.locator("input[name='username']").fill(username)
    login_form.locator("input[name='password']").fill(password)
    with page.expect_navigation() as navigation:
        login_form.locator("button[type='submit']").click()
    return navigation.value


def at_path(path: str) -> re.Pattern[str]:
    return re.compile(r"^https?://[^/]+" + re.escape(path) + "$")


def heading(page: Page) -> Locator:
    return page.locator("main h1")


def test_agent_signs_in_and_sees_only_her_own_organisation(page: Page) -> None:
    sign_in(page, "anna")

    expect(page).to_have_url(at_path("/o/stad-voorbeeld/"))
    expect(heading(page)).to_have_text("Stad Voorbeeld")
    switcher = page.locator("select#organisation-switcher")
    expect(switcher.locator("option")).to_have_text(["Stad Voorbeeld"])
    expect(switcher).to_have_value("stad-voorbeeld")

    response = page.goto("/o/vlaamse-overheid/")
    assert response is not None
    assert response.status == 404
    expect(heading(page)).to_have_text(translated("nl", "Page not found"))
    expect(page.locator("main")).not_to_contain_text("Vlaamse overheid")
    expect(page.locator("main a[href='/']")).to_have_text(
        translated("nl", "Back to your start page")
    )


def test_language_switcher_submits_on_change_and_the_choice_sticks(page: Page) -> None:
    sign_in(page, "anna")
    html = page.locator("html")
    language = page.locator("select#language-switcher")
    teams_link = page.locator("nav.main-nav a[href$='/teams/']")
    sign_out = page.locator("header .account button[type='submit']")

    expect(html).to_have_attribute("lang", "nl")
    expect(language).to_have_value("nl")
    # With JavaScript the select submits itself, so its button is hidden.
    expect(page.locator("form.language button[type='submit']")).to_be_hidden()
    # UI STRINGS
    expect(teams_link).to_have_text(TEAMS_LINK["nl"])
    expect(sign_out).to_have_text(SIGN_OUT_BUTTON["nl"])

    with page.expect_navigation():
        language.select_option("fr")
    expect(page).to_have_url(at_path("/o/stad-voorbeeld/"))
    expect(html).to_have_attribute("lang", "fr")
    expect(language).to_have_value("fr")

    teams_link.click()
    expect(page).to_have_url(at_path("/o/stad-voorbeeld/teams/"))
    expect(html).to_have_attribute("lang", "fr")
    expect(language).to_have_value("fr")
    # UI STRINGS
    expect(teams_link).to_have_text(TEAMS_LINK["fr"])
    expect(sign_out).to_have_text(SIGN_OUT_BUTTON["fr"])

    with page.expect_navigation():
        language.select_option("en")
    expect(page).to_have_url(at_path("/o/stad-voorbeeld/teams/"))
    expect(html).to_have_attribute("lang", "en")
    expect(language).to_have_value("en")
    # UI STRINGS
    expect(teams_link).to_have_text(TEAMS_LINK["en"])
    expect(sign_out).to_have_text(SIGN_OUT_BUTTON["en"])


def test_organisation_switcher_moves_between_organisations(page: Page) -> None:
    sign_in(page, "carla")
    page.goto("/o/vlaamse-overheid/")
    expect(heading(page)).to_have_text("Vlaamse overheid")
    switcher = page.locator("select#organisation-switcher")
    expect(switcher.locator("option")).to_have_text(["Agentschap Opgroeien", "Vlaamse overheid"])

    with page.expect_navigation():
        switcher.select_option(label="Agentschap Opgroeien")
    expect(page).to_have_url(at_path("/o/opgroeien/"))
    expect(heading(page)).to_have_text("Agentschap Opgroeien")
    expect(switcher).to_have_value("opgroeien")

    with page.expect_navigation():
        switcher.select_option(label="Vlaamse overheid")
    expect(page).to_have_url(at_path("/o/vlaamse-overheid/"))
    expect(heading(page)).to_have_text("Vlaamse overheid")
    expect(switcher).to_have_value("vlaamse-overheid")


def test_everything_works_without_javascript(
    new_context: Callable[..., BrowserContext], live_cast: None
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "carla")
    expect(page).to_have_url(re.compile(r"/o/[a-z-]+/$"))

    page.goto("/o/vlaamse-overheid/")
    language_form = page.locator("form.language")
    language_button = language_form.locator("button[type='submit']")
    expect(language_button).to_be_visible()
    language_form.locator("select#language-switcher").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "nl")  # nothing submitted yet
    with page.expect_navigation():
        language_button.click()
    expect(page).to_have_url(at_path("/o/vlaamse-overheid/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("select#language-switcher")).to_have_value("fr")

    switch_form = page.locator("form.switcher")
    switch_button = switch_form.locator("button[type='submit']")
    expect(switch_button).to_be_visible()
    switch_form.locator("select#organisation-switcher").select_option("opgroeien")
    with page.expect_navigation():
        switch_button.click()
    expect(page).to_have_url(at_path("/o/opgroeien/"))
    expect(heading(page)).to_have_text("Agentschap Opgroeien")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_first_tab_on_the_login_page_reaches_the_skip_link(page: Page) -> None:
    page.goto("/login/")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused(timeout=1_000)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page: Page) -> None:
    sign_in(page, "anna")
    expect(heading(page)).to_have_text("Stad Voorbeeld")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).not_to_be_in_viewport()  # off-screen until it has focus

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text(translated("nl", "Skip to main content"))
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_in_viewport()  # shown on focus, not only to screen readers

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_too_many_wrong_passwords_lock_the_login_out(page: Page) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    lock_out_heading = translated("nl", "Too many failed sign-in attempts")

    for _attempt in range(limit - 1):
        response = sign_in(page, "anna", "not-the-password")
        assert response is not None
        assert response.status == 200
        expect(page.locator("main .form-errors[role='alert']")).to_be_visible()
        expect(page.locator("main input[name='password']")).to_be_visible()

    # Failure number `limit` already answers with the lock-out page ...
    response = sign_in(page, "anna", "not-the-password")
    assert response is not None
    assert response.status == settings.AXES_HTTP_RESPONSE_CODE
    assert response.status in {403, 429}
    expect(heading(page)).to_have_text(lock_out_heading)
    expect(page.locator("main input[name='password']")).to_have_count(0)

    # ... and the next attempt, even with the right password, does not sign in.
    response = sign_in(page, "anna", DEMO_PASSWORD)
    assert response is not None
    assert response.status == settings.AXES_HTTP_RESPONSE_CODE
    expect(heading(page)).to_have_text(lock_out_heading)
    expect(page.locator("select#organisation-switcher")).to_have_count(0)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_screenshot_of_the_start_page_is_a_png(page: Page, tmp_path: Path) -> None:
    sign_in(page, "bram")
    expect(heading(page)).to_have_text("Stad Voorbeeld")

    screenshot = tmp_path / "start-page.png"
    page.screenshot(path=screenshot, full_page=True)

    data = screenshot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])  # from the IHDR chunk
    viewport = page.viewport_size
    assert viewport is not None
    assert width == viewport["width"]
    assert height >= viewport["height"]
