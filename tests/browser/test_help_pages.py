"""Asking for contact while signed out, in headless Chromium, checked by axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, screenshot


def test_signed_out_asking_for_contact_shows_the_routes_first_and_leads_to_sign_in(
    page, live_server, organisation
):
    page.goto(live_server.url + "/help-now/")
    page.get_by_role("link", name="Ask us to contact you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Talk to someone")
    words = page.locator("main").inner_text()
    assert words.index("999") < words.index("Sign in to ask")
    screenshot(page, "ask-signed-out")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors
    page.get_by_role("link", name="Sign in to ask").click()
    page.wait_for_url("**/auth/login/?next=*")
