"""Playwright fixtures: one headless Debian Chromium per session, a fresh context per test.

Nothing is downloaded: the browser is /usr/bin/chromium and axe-core comes from node_modules.
Without them the tests skip locally and fail in CI, so a CI run can never pass by skipping.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Route, sync_playwright

from partnerships.seed.loader import load_partnerships

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SITE_STYLESHEET = settings.BASE_DIR / "static" / "build" / "site.css"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PREREQUISITES = {
    CHROMIUM: "Debian's Chromium (apt-get install chromium)",
    AXE_SCRIPT: "axe-core from npm (make frontend)",
    SITE_STYLESHEET: "the front-end build in static/build/ (make frontend)",
}


@dataclass
class BrowserLog:
    """What went wrong in the browser during one test, for the test to assert on."""

    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


def require_prerequisites() -> None:
    missing = [f"{path} ({what})" for path, what in PREREQUISITES.items() if not path.exists()]
    if not missing:
        return
    message = "Browser tests need: " + "; ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(message + ". CI is set, so this is a failure rather than a skip.", pytrace=False)
    pytest.skip(message)


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    require_prerequisites()
    # Between calls, the sync API leaves its event loop marked as running in this thread, so Django would
    # refuse every database query here (seeding, flushing) as if it came from async code. It does not.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as running:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def site_url(transactional_db, live_server) -> str:
    """The live server's address, with the seed content loaded (the live server only sees committed data),
    and no pages cached by an earlier test (flushing the database does not empty the cache's table)."""
    load_partnerships()
    cache.clear()
    return live_server.url


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def context(browser: Browser, site_url: str, browser_log: BrowserLog) -> Iterator[BrowserContext]:
    # bypass_csp lets axe be injected under the site's no-inline-script policy.
    context = browser.new_context(bypass_csp=True)

    def block(route: Route) -> None:
        browser_log.foreign_requests.append(route.request.url)
        route.abort()

    context.route(lambda url: origin(url) != origin(site_url), block)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, browser_log: BrowserLog) -> Page:
    page = context.new_page()

    def record_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            browser_log.console_errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", record_console)
    page.on("pageerror", lambda error: browser_log.console_errors.append(f"Uncaught {error}"))
    return page
