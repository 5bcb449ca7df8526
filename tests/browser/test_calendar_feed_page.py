"""Her bookings page, in headless Chromium: she makes her private calendar address, sees it,
and makes a new one; the page stays calm and accessible at phone and desktop widths."""

from __future__ import annotations

from playwright.sync_api import expect

from peerpath.core.actors import OPERATOR
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_every_page import sign_in


def test_she_makes_her_calendar_address_and_replaces_it(page, live_server, organisation, member):
    from peerpath.bookings.models import CalendarFeed
    from peerpath.safeguarding.services import crisis_contacts_seed_defaults

    crisis_contacts_seed_defaults(organisation=organisation, actor=OPERATOR)
    sign_in(page, live_server, member)
    page.goto(live_server.url + "/account/bookings/")
    page.get_by_role("button", name="Make my calendar address").click()
    page.wait_for_load_state()

    address = page.get_by_label("Your private calendar address")
    first = CalendarFeed.objects.get(user=member).token
    assert address.input_value() == f"{live_server.url}/calendar/{first}.ics"
    webcal = page.get_by_role("link", name="Add to my calendar").get_attribute("href")
    assert webcal == f"webcal://{live_server.url.split('://', 1)[1]}/calendar/{first}.ics"
    expect(
        page.get_by_text("Anyone who can see your calendar will see these sessions.")
    ).to_be_visible()
    screenshot(page, "my_bookings-calendar-address")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors

    page.get_by_role("button", name="Make a new address").click()
    page.wait_for_load_state()

    second = CalendarFeed.objects.get(user=member).token
    assert second != first
    expect(page.get_by_text("The old one no longer works.")).to_be_visible()
    assert (
        page.get_by_label("Your private calendar address")
        .input_value()
        .endswith(f"/calendar/{second}.ics")
    )
    assert page.request.get(f"{live_server.url}/calendar/{first}.ics").status == 404
    assert page.request.get(f"{live_server.url}/calendar/{second}.ics").status == 200
