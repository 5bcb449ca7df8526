"""Browser tests: Debian's Chromium, headless, driven by Playwright, checked by axe.

Where /usr/bin/chromium is absent these tests skip with a loud message, except in CI
(CI=true), where they fail: .ci/run installs Chromium so they always run there.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("PEERPATH_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = (
            f"\n\n*** BROWSER TESTS NOT RUN: {CHROMIUM} is missing. "
            "Install it with `apt-get install chromium`. ***\n"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
    # happen before or between page loads, never concurrently with them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=VIEWPORTS[request.param])  # type: ignore[attr-defined]
    page = context.new_page()
    page.viewport_name = request.param
    errors: list[str] = []

    def on_console(message: object) -> None:
        # A failed load is reported below with its address; CSP refusals arrive here.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):  # type: ignore[attr-defined]
            errors.append(message.text)  # type: ignore[attr-defined]

    def on_response(response: object) -> None:
        request = response.request  # type: ignore[attr-defined]
        if response.status >= 400 and request.resource_type != "document":  # type: ignore[attr-defined]
            errors.append(f"{response.status} {response.url}")  # type: ignore[attr-defined]

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


# Near Heavitree, Exeter, one of the demo directory's places (peerpath/directory/demo.py).
DEMO_LOCATION = {"latitude": 50.7231, "longitude": -3.5049}


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def located_page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    """A page whose browser she has allowed to share a location near the demo towns."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=VIEWPORTS[request.param],
        geolocation=DEMO_LOCATION,
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.viewport_name = request.param
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


def authenticator_code(secret: str) -> str:
    """The code an authenticator app shows now, taken well inside its 30 seconds: a code read
    just before the window turns would be refused by the time the page sends it."""
    import time

    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 8:  # seconds: wait for the next code, as a person would
        time.sleep(left + 0.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def screenshot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_name}.png"  # type: ignore[attr-defined]
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def assert_no_axe_violations(page: object) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
