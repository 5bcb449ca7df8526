"""A coordinator puts a new group on Find support, cancels one of its sessions and looks for
the gaps, in headless Chromium with axe on every page she sees."""

from __future__ import annotations

import datetime as dt
import re

from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.accounts.tests.factories import totp_code
from peerpath.core import clock
from peerpath.directory.models import Service
from tests.browser.conftest import assert_no_axe_violations, screenshot

PASSWORD = "harbour lights at dusk 7"


def _check(page, name: str) -> None:
    screenshot(page, f"listings-{name}")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


def _sign_in_with_a_code(page, live_server, organisation) -> None:
    coordinator = make_person(
        organisation,
        Role.COORDINATOR,
        email="wren@example.org",
        password=PASSWORD,
        display_name="Wren",
    )
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    page.goto(live_server.url + "/auth/login/")
    page.get_by_label("Email address").fill("wren@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/auth/2fa/authenticate/")
    page.get_by_label(re.compile("code", re.I)).first.fill(totp_code())
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url("**/staff/")


def test_a_coordinator_adds_a_weekly_group_cancels_a_session_and_sees_the_gaps(
    page, live_server, organisation
):
    _sign_in_with_a_code(page, live_server, organisation)
    page.get_by_role("link", name="Listings and sessions on Find support").click()
    _check(page, "list-empty")
    page.get_by_role("link", name="Add a listing").click()
    # A mistake first: it is at a place, but no place is chosen. What she typed stays.
    page.get_by_label("Name", exact=True).fill("Evening Bumps Chat")
    page.get_by_label("What kind of support is it?").select_option("online_group")
    page.get_by_label("In one sentence").fill("A relaxed online chat for mums-to-be.")
    page.get_by_role("checkbox", name="Pregnant").check()
    page.get_by_role("radio", name="At a place").check()
    page.get_by_role("button", name="Add the listing").click()
    expect(page.get_by_text("Choose the place, or add it first.").first).to_be_visible()
    assert page.get_by_label("Name", exact=True).input_value() == "Evening Bumps Chat"
    _check(page, "form-error")
    page.get_by_role("radio", name="Online", exact=True).check()
    page.get_by_role("button", name="Add the listing").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Evening Bumps Chat"
    _check(page, "listing")

    page.get_by_role("link", name="Add when it runs").click()
    first = clock.today() + dt.timedelta(days=1)
    page.get_by_label("Date of the first session").fill(first.isoformat())
    page.get_by_label("Start time").fill("19:30")
    page.get_by_role("radio", name="Every week").check()
    _check(page, "schedule")
    page.get_by_role("button", name="Add the sessions").click()
    expect(page.get_by_text(re.compile(r"Added: Every \w+day, 19:30 to 21:00"))).to_be_visible()

    # Women can find it straight away.
    service = Service.objects.get(name="Evening Bumps Chat")
    page.goto(live_server.url + "/find-support/?when=four_weeks&where=online")
    expect(page.get_by_role("link", name="Evening Bumps Chat").first).to_be_visible()
    page.get_by_role("link", name="Evening Bumps Chat").first.click()
    expect(page.get_by_text("Just turn up. You do not need to book.")).to_be_visible()

    page.goto(f"{live_server.url}/staff/{organisation.slug}/listings/{service.public_id}/")
    page.get_by_role("link", name=re.compile("^Sessions")).click()
    _check(page, "sessions")
    page.get_by_role("link", name=re.compile("^Cancel")).first.click()
    page.get_by_label(re.compile("A short note")).fill("Our host is away. Back next week.")
    _check(page, "cancel")
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_text("The session is cancelled.")).to_be_visible()
    expect(page.get_by_text("Cancelled", exact=True).first).to_be_visible()
    page.goto(f"{live_server.url}/find-support/{service.public_id}/")
    expect(page.get_by_text("Our host is away. Back next week.")).to_be_visible()

    page.goto(f"{live_server.url}/staff/{organisation.slug}/listings/")
    page.get_by_role("link", name="See where and when there is nothing on").click()
    page.get_by_label("Who for").select_option("pregnant")
    page.get_by_label("Area").select_option("online")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table").get_by_text("None").first).to_be_visible()
    expect(page.get_by_text("No morning sessions on any day.").first).to_be_visible()
    _check(page, "gaps")
