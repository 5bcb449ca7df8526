""" "Use my location" on Find support, in headless Chromium: she allows it and sees groups near
her with distances; she refuses and is told calmly what else to do; without JavaScript the
button never appears."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from peerpath.core.actors import OPERATOR
from tests.browser.conftest import assert_no_axe_violations, screenshot

FAILED = "We could not get your location. You can type a postcode or choose a town instead."


@pytest.fixture
def directory(organisation):
    from peerpath.directory.demo import seed_directory
    from peerpath.safeguarding.services import crisis_contacts_seed_defaults

    crisis_contacts_seed_defaults(organisation=organisation, actor=OPERATOR)
    seed_directory(organisation)
    return organisation


def test_she_allows_her_location_and_sees_what_is_on_near_her(located_page, live_server, directory):
    page = located_page
    page.goto(live_server.url + "/find-support/?where=Exmouth&distance=5&when=four_weeks")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url(re.compile(r".*lat=.*"))

    query = parse_qs(urlsplit(page.url).query)
    assert query["lat"] == ["50.72"]  # rounded to about a kilometre, not 50.7231
    assert query["lng"] == ["-3.50"]
    assert query.get("where", [""]) == [""]  # her location replaces the town chosen before
    expect(page.get_by_text("Near your location")).to_be_visible()
    results = page.locator(".pp-contact").filter(has_text=re.compile(r"(miles|half a mile) away"))
    places = results.locator("p.nhsuk-body-s").all_inner_texts()
    assert any("Exeter" in place for place in places), places
    assert not any("Exmouth" in place for place in places), places  # about 8 miles away
    screenshot(page, "find-support-near-my-location")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors

    page.get_by_role("link", name="Stop using my location").click()
    page.wait_for_load_state()
    assert "lat=" not in page.url
    expect(page.get_by_text("Near your location")).not_to_be_visible()


def test_when_she_says_no_she_is_told_calmly_what_else_to_do(page, live_server, directory):
    page.context.clear_permissions()
    page.goto(live_server.url + "/find-support/")
    page.get_by_role("button", name="Use my location").click()

    message = page.get_by_text(FAILED)
    message.wait_for()
    expect(message).to_be_visible()
    assert "lat=" not in page.url
    expect(page.get_by_label("Your postcode (optional)")).to_be_visible()
    screenshot(page, "find-support-location-refused")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


def test_without_javascript_the_button_never_appears(browser, live_server, directory):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/find-support/")
        expect(page.get_by_role("button", name="Show what is on")).to_be_visible()
        expect(page.get_by_role("button", name="Use my location")).not_to_be_visible()
    finally:
        context.close()
