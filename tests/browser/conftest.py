"""Playwright on Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def open_page(browser, live_server):
    """A new page at a given viewport, with the live server as its base URL."""
    contexts = []

    def make(viewport):
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def screenshots_folder(config):
    """Where the journeys save their last page: TRANQUIL_SCREENSHOTS, or test-results/journeys."""
    folder = os.environ.get("TRANQUIL_SCREENSHOTS") or config.rootpath / "test-results" / "journeys"
    return Path(folder).resolve()


@pytest.fixture(scope="session")
def journey_screenshots(request):
    folder = screenshots_folder(request.config)
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[SCREENSHOTS_USED] = True
    return folder


SCREENSHOTS_USED = pytest.StashKey[bool]()


def pytest_terminal_summary(terminalreporter, config):
    # Printed in the summary so the folder shows without -s.
    if config.stash.get(SCREENSHOTS_USED, False):
        terminalreporter.write_line(f"journey screenshots: {screenshots_folder(config)}")
