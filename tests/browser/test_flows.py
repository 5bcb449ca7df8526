"""Journeys as people make them, in headless Chromium, with axe on every page they see."""

from __future__ import annotations

import json
import re

from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from conftest import make_person, membership_of
from peerpath.accounts.choices import Role
from tests.browser.conftest import assert_no_axe_violations, authenticator_code, screenshot

PASSWORD = "lighthouse morning tea 42"


def _check(page, name: str) -> None:
    screenshot(page, f"flow-{name}")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


def test_a_new_mother_signs_up_verifies_sets_her_stage_and_downloads_her_data(
    page, live_server, organisation
):
    mail.outbox.clear()
    page.goto(live_server.url + "/auth/signup/")
    _check(page, "signup")
    page.get_by_label("Email address").fill("new.mum@example.org")
    page.get_by_label("Create a password").fill(PASSWORD) if page.get_by_label(
        "Create a password"
    ).count() else page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Create|Sign up|Continue", re.I)).click()
    page.wait_for_url("**/auth/confirm-email/")
    _check(page, "verification-sent")

    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/auth/confirm-email/\S+)", message.body).group(1)
    page.goto(live_server.url + link)
    _check(page, "confirm-email")
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    page.wait_for_url("**/account/")
    _check(page, "account-home")

    page.get_by_role("link", name="Using information about your health and pregnancy").click()
    _check(page, "consent")
    page.get_by_role("button", name="I agree").click()
    page.wait_for_url("**/account/details/")
    page.get_by_label("I am pregnant").check()
    expect(page.get_by_label("Your due date")).to_be_visible()
    expect(page.get_by_label("Your baby's date of birth")).not_to_be_visible()
    page.get_by_role("button", name="Save your details").click()
    # She forgot the date: told beside the field, and her answer is kept.
    expect(page.get_by_text("Enter your due date, or choose another answer.").first).to_be_visible()
    assert page.get_by_label("I am pregnant").is_checked()
    _check(page, "profile-error")
    page.get_by_label("Your due date").fill("2027-03-14")
    page.get_by_label("Your town or area (optional)").fill("Exeter")
    page.get_by_label("Severe sickness in pregnancy (hyperemesis)").check()
    page.get_by_label("Text message").check()
    page.get_by_role("button", name="Save your details").click()
    page.wait_for_url("**/account/")
    expect(page.get_by_text("Your details have been saved.")).to_be_visible()

    page.get_by_role("link", name="Download everything we hold about you").click()
    _check(page, "data")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download it as a file")).click()
    data = json.loads(open(download.value.path()).read())  # noqa: PTH123, SIM115
    profile = data["memberships"][0]["profile"]
    assert data["account"]["email"] == "new.mum@example.org"
    assert profile["due_date"] == "2027-03-14"
    assert profile["experiences"] == ["hyperemesis"]
    assert profile["area"] == "Exeter"


def test_a_coordinator_must_set_up_two_step_and_then_signs_in_with_a_code(
    page, live_server, organisation
):
    coordinator = make_person(
        organisation,
        Role.COORDINATOR,
        mfa=False,
        email="clover@example.org",
        password=PASSWORD,
        display_name="Clover",
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    member = make_person(organisation, Role.MEMBER, display_name="Amira")

    page.goto(live_server.url + "/auth/login/")
    page.get_by_label("Email address").fill("clover@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/auth/2fa/totp/activate/")
    _check(page, "mfa-setup")
    # Staff pages stay closed until it is set up.
    page.goto(live_server.url + "/staff/")
    page.wait_for_url("**/auth/2fa/totp/activate/")

    secret = page.locator("#authenticator-key").text_content().replace(" ", "").strip()
    page.get_by_label("6-digit code from your authenticator app").fill(authenticator_code(secret))
    page.get_by_role("button", name="Turn on two-step verification").click()
    page.wait_for_load_state()
    _check(page, "mfa-done")
    page.goto(live_server.url + "/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff pages"

    page.goto(live_server.url + "/account/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    if "/auth/logout/" in page.url:
        page.get_by_role("button", name=re.compile("Sign out", re.I)).click()
        page.wait_for_load_state()

    # The same 30-second code may not be used twice; a person would wait for the next one.
    cache.clear()
    page.goto(live_server.url + "/auth/login/")
    page.get_by_label("Email address").fill("clover@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/auth/2fa/authenticate/")
    _check(page, "mfa-code")
    page.get_by_label(re.compile("code", re.I)).first.fill("000000")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator(".nhsuk-error-message").first).to_be_visible()
    page.get_by_label(re.compile("code", re.I)).first.fill(authenticator_code(secret))
    page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Members").click()
    page.get_by_role("link", name="Amira").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Amira"
    _check(page, "member-detail")
    assert membership_of(member, Role.MEMBER).public_id.hex[:8] in page.url.replace("-", "")


def test_a_mother_sets_quiet_hours_and_reads_her_messages(page, live_server, organisation):
    from peerpath.notifications.dispatch import deliveries_dispatch
    from peerpath.notifications.services import notify
    from tests.browser.test_every_page import sign_in

    mum = make_person(organisation, Role.MEMBER, display_name="Linnet 120")
    notify(recipient=mum, purpose="session_reminder", link="/account/")
    deliveries_dispatch(worker_id="browser", limit=10, lease_seconds=60)
    sign_in(page, live_server, mum)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Messages (1 new)").click()
    _check(page, "inbox")
    page.get_by_role("link", name=re.compile("Reminders about groups")).click()
    page.wait_for_url("**/account/")
    page.goto(live_server.url + "/account/notifications/")
    page.get_by_label("Quiet from").select_option("22:00")
    page.get_by_label("Quiet until").select_option("")  # forgot to choose the end
    page.get_by_role("button", name="Save your choices").click()
    expect(page.get_by_text("Choose both times").first).to_be_visible()
    assert page.get_by_label("Quiet from").input_value() == "22:00"
    _check(page, "preferences-error")
    page.get_by_label("Quiet until").select_option("07:00")
    page.get_by_role("button", name="Save your choices").click()
    expect(page.get_by_text("Your choices have been saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Messages", exact=True)).to_be_visible()


def test_a_mother_books_a_place_from_a_listing_and_cancels_it(page, live_server, organisation):
    from peerpath.directory.demo import seed_directory
    from peerpath.directory.models import Service
    from tests.browser.test_every_page import sign_in

    seed_directory(organisation)
    course = Service.objects.filter(booking_required=True, location__isnull=False).first()
    mum = make_person(organisation, Role.MEMBER, display_name="Kestrel 41")
    sign_in(page, live_server, mum)
    page.goto(f"{live_server.url}/find-support/{course.public_id}/")
    page.get_by_role("button", name=re.compile("Book a place")).first.click()
    page.wait_for_url("**/account/bookings/")
    expect(page.get_by_text("You have a place.")).to_be_visible()
    _check(page, "my-bookings")
    page.get_by_role("button", name=re.compile("Cancel my place")).click()
    expect(page.get_by_text("Cancelled. Thank you for letting us know.")).to_be_visible()
    expect(page.get_by_text("You have no bookings coming up.")).to_be_visible()
