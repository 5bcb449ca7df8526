"""Finding, booking and being reminded, as two women would, in headless Chromium.

A new visitor searches near her postcode for a morning group where babies are welcome, opens
it, adds it to her calendar, makes an account to book, and gets the reminder the evening
before. A second woman finds it full, joins the waiting list, and is offered the place when
the first woman cancels. The clock is controlled (the live server runs in this process), so
the reminder and the offer happen when they would.
"""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_person
from peerpath.accounts.choices import Role
from tests.browser.conftest import assert_no_axe_violations, screenshot

PASSWORD = "harbour lights at dawn 7"
GROUP = "Mental Health Skills Course, Exeter"  # demo data: Mondays 10am, booking needed


def _check(page, name: str) -> None:
    screenshot(page, f"journey-{name}")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


def _deliver_due_messages() -> int:
    """What the worker does every few seconds."""
    from peerpath.notifications.dispatch import deliveries_dispatch

    return deliveries_dispatch(worker_id="journey", limit=100, lease_seconds=60)


def _sunday_evening_before_a_session(traveller) -> tuple[object, dt.datetime]:
    """Seed the directory, then move to 5:40pm the day before one of the group's sessions."""
    from peerpath.directory.models import Occurrence

    zone = timezone.get_default_timezone()
    session = (
        Occurrence.objects.filter(
            service__name=GROUP, starts_at__gte=timezone.now() + dt.timedelta(days=2)
        )
        .order_by("starts_at")
        .first()
    )
    evening = timezone.localtime(session.starts_at, zone).date() - dt.timedelta(days=1)
    when = timezone.make_aware(dt.datetime.combine(evening, dt.time(17, 40)), zone)
    traveller.move_to(when)
    return session, when


def _she_finds_a_morning_group_near_her_postcode(page, live_server) -> str:
    page.goto(live_server.url + "/find-support/")
    page.get_by_label("Your postcode (optional)").fill("ex4 1al")
    page.get_by_label("Within").select_option("5")
    page.get_by_label("When").select_option("next_week")
    page.get_by_text("More choices: days, times, who it is for").click()
    page.get_by_label("Morning").check()
    page.get_by_label("Babies welcome").check()
    page.get_by_role("button", name="Show what is on").click()
    page.wait_for_url(re.compile(r".*postcode=ex4\+1al.*"))
    _check(page, "search-results")
    result = page.get_by_role("listitem").filter(has_text=GROUP)
    expect(result.get_by_text(re.compile(r"miles? away")).first).to_be_visible()
    result.get_by_role("link", name=GROUP).click()
    page.wait_for_url(re.compile(r".*/find-support/[0-9a-f-]+/$"))
    _check(page, "listing")
    return page.url


def _she_adds_it_to_her_calendar(page) -> None:
    with page.expect_download() as download:
        page.get_by_role("link", name="Add these dates to your calendar").click()
    calendar = open(download.value.path(), encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert "BEGIN:VEVENT" in calendar
    assert "Mental Health Skills Course" in calendar


def _she_makes_an_account_and_books(page, live_server, listing_url) -> None:
    page.get_by_role("link", name="Sign in to book").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email address").fill("first.mum@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Create|Sign up|Continue", re.I)).click()
    page.wait_for_url("**/auth/confirm-email/")
    (confirmation,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/auth/confirm-email/\S+)", confirmation.body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    page.wait_for_load_state()
    if page.url != listing_url:
        page.goto(listing_url)
    page.get_by_role("button", name=re.compile("Book a place")).first.click()
    page.wait_for_url("**/account/bookings/")
    expect(page.get_by_text("You have a place.")).to_be_visible()
    expect(page.get_by_role("link", name=GROUP)).to_be_visible()
    _check(page, "booked")


def _second_woman(browser, page, live_server, organisation):
    from tests.browser.test_every_page import sign_in

    context = browser.new_context(viewport=page.viewport_size)
    second = context.new_page()
    second.viewport_name = f"{page.viewport_name}-second"
    second.console_errors = []
    second.on("pageerror", lambda error: second.console_errors.append(str(error)))
    sign_in(second, live_server, make_person(organisation, Role.MEMBER, display_name="Rowan 88"))
    return context, second


def _she_finds_it_full_and_waits(second, listing_url) -> None:
    second.goto(listing_url)
    second.get_by_role("button", name=re.compile("Book a place")).first.click()
    second.wait_for_url("**/account/bookings/")
    expect(second.get_by_text("It is full, so you are on the waiting list.")).to_be_visible()
    expect(second.get_by_text("On the waiting list", exact=True)).to_be_visible()
    _check(second, "waiting-list")


def _her_reminder_is_in_her_inbox(page, live_server) -> None:
    assert _deliver_due_messages() >= 1
    page.goto(live_server.url + "/account/bookings/")
    page.get_by_role("link", name="Messages (1 new)").click()
    page.get_by_role("link", name=re.compile("Reminders about groups")).click()
    page.wait_for_url("**/account/bookings/")
    reminder_emails = [m for m in mail.outbox if "first.mum@example.org" in m.to]
    assert any("reminder" in m.subject.lower() for m in reminder_emails)


def _the_place_is_offered_and_taken(second, live_server) -> None:
    assert _deliver_due_messages() >= 1
    second.goto(live_server.url + "/")
    second.get_by_role("link", name="Messages (1 new)").click()
    _check(second, "offer-in-inbox")
    second.get_by_role("link", name="A place comes up from a waiting list").click()
    second.wait_for_url("**/account/bookings/")
    expect(second.get_by_text(re.compile(r"^Offered a place"))).to_be_visible()
    _check(second, "offer")
    second.get_by_role("button", name=re.compile("Yes, I will come")).click()
    expect(second.get_by_text("The place is yours.")).to_be_visible()
    expect(second.get_by_text("Booked", exact=True)).to_be_visible()


def test_two_women_find_a_group_book_wait_and_are_offered_a_place(
    page, browser, live_server, organisation
):
    from peerpath.bookings.services import booking_create
    from peerpath.directory.demo import seed_directory

    # Ahead of the real date, so the browser's cookies are not already expired.
    start = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(start, tick=True) as traveller:
        seed_directory(organisation)
        session, evening = _sunday_evening_before_a_session(traveller)
        for number in range(11):  # eleven of the twelve places are taken already
            booking_create(
                actor=make_person(organisation, Role.MEMBER, display_name=f"Booked {number}"),
                occurrence=session,
            )
        mail.outbox.clear()

        listing_url = _she_finds_a_morning_group_near_her_postcode(page, live_server)
        _she_adds_it_to_her_calendar(page)
        _she_makes_an_account_and_books(page, live_server, listing_url)

        traveller.move_to(evening + dt.timedelta(minutes=5))
        context, second = _second_woman(browser, page, live_server, organisation)
        _she_finds_it_full_and_waits(second, listing_url)

        traveller.move_to(evening + dt.timedelta(minutes=21))  # 6pm the day before
        _her_reminder_is_in_her_inbox(page, live_server)

        # She cannot go after all: the place is offered to the woman waiting.
        page.get_by_role("button", name=re.compile("Cancel my place")).click()
        expect(page.get_by_text("Cancelled. Thank you for letting us know.")).to_be_visible()
        _the_place_is_offered_and_taken(second, live_server)
        context.close()
