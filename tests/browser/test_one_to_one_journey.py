"""One-to-one peer support as its people use it, in headless Chromium through the live server,
with axe on every page anyone sees, at 390 px and 1280 px (the ``page`` fixture's two widths).

Harbour is the buddying tests' charity (Sunflower 12, who agreed to the use of health data;
Clover, a coordinator; Hazel, trained, checked and supervised on 20 February; Ivy, whose
supervision of 5 January has lapsed) with the safeguarding tests' duty rota (Ash on duty, 8am
to 10pm). Everything happens at fixed London moments, whatever instant the run starts at:

1. Tuesday 2 March 2027, 10am: from her account page Sunflower asks for a peer supporter
   (phone or in person, every week, Exeter, Monday mornings, English, hyperemesis) and sees
   what happens next and the date we aim for (Tuesday 9 March, 5 working days on).
2. Clover opens "Waiting for a peer supporter" from her staff home, then the request: Hazel is
   suggested with her reasons; Ivy is left out because her supervision lapsed, and cannot be
   asked. Clover asks Hazel.
3. Hazel sees "Could you support Sunflower 12?" on her staff home and says yes.
4. Sunflower sees that Hazel is her peer supporter, adds two goals and a step with a reminder
   for next Tuesday (9 March) at 8:30am. At 8:29 that day the worker sends nothing of it; at
   8:31 it is sent, in her messages, and opening it takes her to her goals.
5. At 10am Hazel logs a phone call and is worried ("someone from the team should contact her
   today"); Ash, on duty, opens the safeguarding alerts page and sees the alert about her.
6. (In 2.) Ivy, whose supervision lapsed, is not offered, and the reason is shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from peerpath.buddying.tests.conftest import Charity, charity
from peerpath.safeguarding.tests.conftest import IN_HOURS, Duty, duty, london, pages
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_checkins_journey import _answer_socket, _person
from tests.browser.test_every_page import sign_in

__all__ = ["charity", "duty"]  # the fixtures, used by name

# Before anything else: the fixtures' supervision dates (20 February, 5 January) must be past,
# and Hazel's 31 days not yet run out, whatever instant the run starts at.
MADE_AT = london(2027, 3, 1, 12, 0)
ASKED_AT = IN_HOURS  # Tuesday 2 March 2027, 10am
REMIND_ON = dt.date(2027, 3, 9)  # next Tuesday, as she chooses it
REMIND_AT = london(2027, 3, 9, 8, 30)
CALLED_AT = london(2027, 3, 9, 10, 0)  # staffed: Ash is on duty
STORY = "Sick every day until 20 weeks. I feel very alone since the baby came."
HOPES = "Someone to talk to in the mornings."
GOALS = ("Get out of the house with the baby", "Sleep when the baby sleeps")
STEP = "Go to the Tuesday baby group"
WORRY = "She has not slept for days and says she cannot cope on her own."


@pytest.fixture(autouse=True)
def _made_on_a_monday() -> Iterator[None]:
    with time_machine.travel(MADE_AT, tick=True):
        yield


def _check(page: Any, name: str, *, shot: bool = True) -> None:
    """A screenshot, zero axe violations and no console or CSP errors."""
    page.wait_for_load_state()
    if shot:
        screenshot(page, f"one-to-one-{name}")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


def _heading(page: Any, words: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(words)


def _flash(page: Any, words: str) -> None:
    expect(page.get_by_text(words, exact=False).first).to_be_visible()


def _reminder_deliveries(member: Any) -> Any:
    from peerpath.notifications.models import Delivery

    return Delivery.objects.filter(
        notification__recipient=member, notification__purpose="step_reminder"
    )


def _deliver_due_messages() -> int:
    """What the worker does every few seconds."""
    from peerpath.notifications.dispatch import deliveries_dispatch

    return deliveries_dispatch(worker_id="one-to-one-journey", limit=200, lease_seconds=60)


def _she_asks(page: Any, site: str) -> None:
    page.goto(site + reverse("accounts:account_home"))
    _heading(page, "Hello, Sunflower 12")
    _check(page, "account")
    page.get_by_role("link", name="Your peer supporter").click()
    _heading(page, "Your peer supporter")
    _check(page, "mine-before")
    page.get_by_role("link", name="Ask for a peer supporter").click()
    _heading(page, "Ask for a peer supporter")
    _check(page, "ask")
    page.get_by_label("Phone calls").check()
    page.get_by_label("Meeting in person").check()
    page.get_by_label("Every week").check()
    page.get_by_label("Your town or area").fill("Exeter")
    page.get_by_role("group", name="Monday").get_by_label("Morning").check()
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Severe sickness in pregnancy (hyperemesis)").check()
    page.get_by_label("What has been happening? (optional)").fill(STORY)
    page.get_by_label("What would you like from a peer supporter? (optional)").fill(HOPES)
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile(r"/peer-supporter/$"))
    _heading(page, "Your peer supporter")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(
        page.get_by_text(
            "We aim to match you by Tuesday 9 March (within 5 working days of asking).",
            exact=False,
        )
    ).to_be_visible()
    expect(page.get_by_text("You asked on 2 March 2027.")).to_be_visible()
    _check(page, "mine-waiting")


def _clover_asks_hazel(clover: Any, site: str, charity: Charity) -> None:
    clover.goto(site + reverse("accounts:staff_home"))
    _heading(clover, "Staff pages")
    _check(clover, "coordinator-staff-home")
    clover.get_by_role("link", name="Waiting for a peer supporter").click()
    _heading(clover, "Waiting for a peer supporter")
    _check(clover, "queue")
    clover.get_by_role("link", name="Sunflower 12").click()
    _heading(clover, "Request from Sunflower 12")
    wish = clover.locator(".nhsuk-summary-list")
    expect(wish).to_contain_text("Phone calls, Meeting in person")
    expect(wish).to_contain_text("Monday morning")
    expect(wish).to_contain_text(STORY)

    suggested = clover.locator("#suggestions + p + ul > li")
    expect(suggested).to_have_count(1)  # the other Hazel, on the duty rota, is not ready
    hazel = suggested.filter(has=clover.get_by_role("heading", name=re.compile(r"^Hazel")))
    expect(hazel).to_contain_text("Shared experience: Severe sickness in pregnancy (hyperemesis)")
    expect(hazel).to_contain_text("Also covers Exeter, so they can meet")
    expect(hazel).to_contain_text("Both free: Monday morning")
    expect(clover.get_by_role("button", name="Ask Ivy")).to_have_count(0)

    # 6. Ivy, whose supervision lapsed, is left out and the page says why.
    expect(clover.get_by_role("heading", level=2, name="Left out")).to_be_visible()
    left_out = clover.locator("h2:text-is('Left out') + ul > li")
    ivy = left_out.filter(has=clover.get_by_role("heading", name="Ivy", exact=True))
    expect(ivy).to_have_count(1)
    expect(ivy).to_contain_text("Last supervision was 5 January 2027; it is due every 31 days")
    _check(clover, "request")

    hazel.get_by_role("button", name="Ask Hazel").click()
    _flash(clover, "Hazel has been asked. You will be told when she answers.")
    expect(clover.get_by_text("Hazel: Waiting for her answer", exact=False)).to_be_visible()
    _check(clover, "request-asked")
    from peerpath.buddying.models import Proposal

    proposal = Proposal.objects.get(request__member=charity.member_place)
    assert proposal.supporter == charity.hazel_place
    assert "Last supervision" not in " ".join(proposal.reasons)


def _hazel_says_yes(hazel: Any, site: str) -> None:
    hazel.goto(site + reverse("accounts:staff_home"))
    _heading(hazel, "Staff pages")
    _check(hazel, "supporter-staff-home-asked")
    hazel.get_by_role("link", name="Could you support Sunflower 12?").click()
    _heading(hazel, "Could you support Sunflower 12?")
    expect(hazel.get_by_text("Clover thinks you would suit her.")).to_be_visible()
    expect(
        hazel.get_by_text("Shared experience: Severe sickness in pregnancy (hyperemesis)")
    ).to_be_visible()
    expect(hazel.get_by_text(HOPES)).to_be_visible()
    _check(hazel, "proposal")
    hazel.get_by_role("button", name="Yes, I will support her").click()
    _heading(hazel, "Staff pages")
    _flash(hazel, "Thank you. Sunflower 12 has been told you will be in touch.")
    expect(hazel.get_by_role("link", name="Sunflower 12", exact=True)).to_be_visible()
    _check(hazel, "supporter-staff-home-matched")


def _she_plans_goals_and_a_step(page: Any, site: str) -> None:
    page.goto(site + reverse("buddying:mine"))
    expect(page.get_by_role("heading", name="Hazel is your peer supporter")).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_have_count(0)
    _check(page, "mine-matched")
    page.get_by_role("link", name="Your goals and steps").click()
    _heading(page, "You and Hazel")
    expect(page.get_by_text("Every week: phone calls, meeting in person")).to_be_visible()
    _check(page, "match-empty")
    for goal in GOALS:
        page.get_by_label("A goal to work towards").fill(goal)
        page.get_by_role("button", name="Add goal").click()
        _flash(page, "Goal added.")
        expect(page.get_by_role("heading", level=3, name=goal)).to_be_visible()
    _check(page, "match-goals")

    card = page.locator(".nhsuk-card").filter(
        has=page.get_by_role("heading", level=3, name=GOALS[0])
    )
    card.get_by_text("Add a step").click()
    card.get_by_label("A small step").fill(STEP)
    card.get_by_label("Remind me on (optional)").fill(REMIND_ON.isoformat())
    card.get_by_label("At", exact=True).select_option(label="8:30am")
    _check(page, "match-step-form", shot=False)
    card.get_by_role("button", name="Add step").click()
    _flash(page, "Step added.")
    card = page.locator(".nhsuk-card").filter(
        has=page.get_by_role("heading", level=3, name=GOALS[0])
    )
    expect(card.get_by_text(STEP, exact=True)).to_be_visible()
    expect(card.get_by_text("Reminder Tuesday 9 March, 8:30am")).to_be_visible()
    _check(page, "match-step")


def _her_messages(page: Any, site: str) -> Any:
    page.goto(site + reverse("notifications:inbox"))
    _heading(page, "Your messages")
    return page.get_by_role("link", name="Reminders of the steps you planned with your peer")


def _hazel_logs_a_worrying_call(hazel: Any, site: str) -> None:
    hazel.goto(site + reverse("accounts:staff_home"))
    hazel.get_by_role("link", name="Sunflower 12", exact=True).click()
    _heading(hazel, "Sunflower 12 and Hazel")
    expect(hazel.get_by_text("No contacts logged yet.")).to_be_visible()
    # The goals and the step they agreed are there for Hazel too.
    expect(hazel.get_by_text(STEP, exact=True)).to_be_visible()
    _check(hazel, "supporter-match")
    hazel.get_by_role("link", name="Log a contact").click()
    _heading(hazel, "Log a contact with Sunflower 12")
    expect(hazel.get_by_label("Date of the contact")).to_have_value(REMIND_ON.isoformat())
    _check(hazel, "contact-log")
    hazel.get_by_label("Phone calls").check()
    hazel.get_by_label("How long, in minutes").fill("25")
    hazel.get_by_label("What you talked about (optional)").fill("Her week, and the baby group.")
    hazel.get_by_label("Yes: someone from the team should contact her today").check()
    hazel.get_by_label("What worries you? (needed if you are worried)").fill(WORRY)
    hazel.get_by_role("button", name="Log contact").click()
    _heading(hazel, "Sunflower 12 and Hazel")
    _flash(hazel, "Contact logged. The person on duty has been told you are worried")
    expect(hazel.get_by_text("worried: alert raised")).to_be_visible()
    _check(hazel, "supporter-match-logged")


def _ash_sees_the_alert(ash: Any, site: str, charity: Charity) -> None:
    from peerpath.safeguarding.models import Alert

    alert = Alert.objects.get(member=charity.member)
    assert alert.source == "contact_log"
    assert alert.tier == 1
    assert WORRY in alert.context
    ash.route_web_socket(re.compile(r"/ws/"), _answer_socket)
    ash.goto(site + reverse("accounts:staff_home"))
    _heading(ash, "Staff pages")
    ash.get_by_role("link", name="Safeguarding alerts").click()
    expect(ash.get_by_role("heading", level=1)).to_contain_text("Alerts")
    expect(ash.get_by_text("This list updates by itself.")).to_be_visible()
    row = ash.locator(f'[data-pp-alert="{alert.public_id}"]')
    expect(row).to_contain_text("Sunflower 12: after a contact with her")
    expect(row).to_contain_text("Tier 1")
    _check(ash, "alerts")


def _she_is_reminded_at_the_time_she_chose(page: Any, live_server: Any, member: Any) -> None:
    """A minute before, the worker sends nothing of it; a minute after, it is in her messages,
    and opening it takes her to her goals."""
    site = live_server.url
    with time_machine.travel(REMIND_AT - dt.timedelta(minutes=1), tick=True):
        _deliver_due_messages()
        assert not _reminder_deliveries(member).filter(status="sent").exists()
        sign_in(page, live_server, member)  # her session of last week has ended
        expect(_her_messages(page, site)).to_have_count(0)
        _check(page, "messages-before")
    with time_machine.travel(REMIND_AT + dt.timedelta(minutes=1), tick=True):
        _deliver_due_messages()
        assert _reminder_deliveries(member).get(channel="in_app").status == "sent"
        reminder = _her_messages(page, site)
        expect(reminder).to_have_count(1)
        _check(page, "messages-reminder")
        reminder.click()
        _heading(page, "You and Hazel")
        expect(page.get_by_text(STEP, exact=True)).to_be_visible()


@contextmanager
def _someone_else(browser: Any, viewport: str, live_server: Any, user: Any) -> Iterator[Any]:
    """Another person's browser at the same width, signed in."""
    other = _person(browser, viewport)
    try:
        sign_in(other, live_server, user)
        yield other
    finally:
        other.context.close()


def test_she_asks_is_matched_plans_steps_is_reminded_and_a_worry_reaches_the_duty_coordinator(
    page: Any, browser: Any, live_server: Any, charity: Charity, duty: Duty
) -> None:
    site = live_server.url
    viewport = page.viewport_name
    assert duty.organisation == charity.organisation

    # 1-3. Tuesday 2 March, 10am: she asks, Clover asks Hazel, Hazel says yes.
    with time_machine.travel(ASKED_AT, tick=True):
        sign_in(page, live_server, charity.member)
        _she_asks(page, site)
        with _someone_else(browser, viewport, live_server, charity.coordinator) as clover:
            _clover_asks_hazel(clover, site, charity)
        with _someone_else(browser, viewport, live_server, charity.hazel) as hazel:
            _hazel_says_yes(hazel, site)

        # 4. Her goals and a step, with a reminder next Tuesday at 8:30am: not sent yet.
        _she_plans_goals_and_a_step(page, site)
        _deliver_due_messages()
        assert _reminder_deliveries(charity.member).exists()
        assert not _reminder_deliveries(charity.member).filter(status="sent").exists()

    _she_is_reminded_at_the_time_she_chose(page, live_server, charity.member)

    # 5. Later that Tuesday morning Hazel logs a worrying call; Ash, on duty, sees the alert.
    with time_machine.travel(CALLED_AT, tick=True):
        with _someone_else(browser, viewport, live_server, charity.hazel) as hazel:
            _hazel_logs_a_worrying_call(hazel, site)
        assert pages(duty.primary) == 1  # Ash was paged
        with _someone_else(browser, viewport, live_server, duty.primary) as ash:
            _ash_sees_the_alert(ash, site, charity)
