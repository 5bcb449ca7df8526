"""Every page built so far, at phone and desktop widths: zero axe violations, no CSP errors."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peerpath.core.demo import seed_demo
from tests.browser.conftest import assert_no_axe_violations, screenshot

# Addresses that answer something other than an HTML page.
NOT_PAGES = {"healthz"}


def _parameterless_page_names(resolver: URLResolver | None = None) -> list[str]:
    names: list[str] = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names += _parameterless_page_names(pattern)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and not pattern.pattern.converters
            and pattern.name not in NOT_PAGES
        ):
            names.append(pattern.name)
    return sorted(set(names))


PAGES = [*_parameterless_page_names(), "not-found"]


@pytest.fixture
def demo(transactional_db):
    return seed_demo()


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_and_calm(page, live_server, demo, name):
    address = "/no-such-page/" if name == "not-found" else reverse(name)
    response = page.goto(live_server.url + address)
    assert response.status == (404 if name == "not-found" else 200)
    assert page.locator("h1").count() == 1
    assert page.get_by_role("link", name="Get help now").first.is_visible()
    screenshot(page, name)
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


def test_get_help_now_is_one_tap_from_the_home_page(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Get help now").first.click()
    page.wait_for_url("**/help-now/")
    assert page.get_by_role("heading", level=1).inner_text() == "Get help now"
    assert page.get_by_role("link", name="Call 999").first.get_attribute("href") == "tel:999"


def test_pages_work_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Get help now").first.click()
        page.wait_for_url("**/help-now/")
        assert page.get_by_role("link", name="Call 116 123").is_visible()
    finally:
        context.close()
