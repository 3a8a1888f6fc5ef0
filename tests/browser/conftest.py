"""Browser tests: the system's Chromium, driven through Playwright, against Django's live server.

Playwright's own browser download is never used; the tests launch Debian's Chromium. Without
it they are skipped, except on CI (CI=true), where a missing browser is an error.

Playwright's sync API keeps an asyncio event loop running on the main thread while it is
started, so Django's async-safety check would refuse the ORM calls that the test itself makes
(seeding the demo cast, flushing the database afterwards). DJANGO_ALLOW_ASYNC_UNSAFE is set for
exactly as long as Playwright runs: the browser is package-scoped, so it is started once for
all browser tests and stopped, with the variable restored, before any other test runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from loket.cli import demo_cast

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


def _require_chromium() -> None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    reason = f"{CHROMIUM} is not installed; install it with `apt-get install chromium`."
    if os.environ.get("CI") == "true":
        pytest.fail(f"Browser tests must run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    """One headless Chromium for all browser tests."""
    _require_chromium()
    # The test database is created before Playwright's event loop starts on this thread.
    request.getfixturevalue("django_db_setup")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def live_cast(transactional_db: None) -> None:
    """The demo cast, committed, so that the live server's thread sees it."""
    demo_cast.seed()


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Open a fresh browser context (own cookies) on the live server; closed after the test."""
    opened: list[BrowserContext] = []

    def open_context(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext], live_cast: None) -> Page:
    """A page in a fresh context with JavaScript on, the demo cast seeded."""
    return new_context().new_page()
