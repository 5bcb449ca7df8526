"""Check-ins as she makes them, in headless Chromium through the live server, with axe on
every page anyone sees, at 390 px and 1280 px (the ``page`` fixture's two widths).

Harbour has the reference tiers, staffed hours of 8am to 10pm and Ash on duty. At 10am the
day after the test's clock starts (staffed), Sunflower does the PHQ-9, one question a page,
and answers question 9 "Several days": the routes that answer now come at once, her result
shows the crisis card before any score, and Ash's alerts dashboard shows the alert. Over three
weeks (a week apart on the test's clock) she does the GAD-7 three times and sees its trend, a
chart with three markers and a table with three rows. She shares
her GAD-7 with Hazel, her matched peer supporter, who opens it from her staff home; when she
stops sharing, Hazel's reload is the "Page not found" page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from conftest import membership_of
from peerpath.accounts.choices import Role
from peerpath.checkins import instruments
from peerpath.checkins.tests.conftest import consenting
from peerpath.core import clock
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.tests.conftest import LONDON, Duty, duty, pages
from tests.browser.conftest import VIEWPORTS, assert_no_axe_violations, screenshot
from tests.browser.test_every_page import sign_in

__all__ = ["duty"]  # the fixture, used by name


def _staffed_mornings() -> list[dt.datetime]:
    """10am in London on the day after the test's clock starts, then a week and two weeks
    later: staffed (8am to 10pm, every day) and after everything the fixtures made, whatever
    instant the run starts at (the nights the clocks change included)."""
    tomorrow = clock.now().astimezone(LONDON).date() + dt.timedelta(days=1)
    return [
        dt.datetime.combine(tomorrow + dt.timedelta(weeks=n), dt.time(10), tzinfo=LONDON)
        for n in range(3)
    ]


def _short(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"  # as her trend table writes it, e.g. 2 Mar 2027


# Her GAD-7 answers each week (every scored question alike): 14, then 7, then 0 out of 21.
GAD7_WEEKS = ("More than half the days", "Several days", "Not at all")
GAD7_RESULTS = ("14 out of 21", "7 out of 21", "0 out of 21")


def _check(page: Any, name: str, *, shot: bool = True) -> None:
    """A screenshot (of each main page), zero axe violations and no console or CSP errors."""
    page.wait_for_load_state()
    if shot:
        screenshot(page, f"checkins-journey-{name}")
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


def _person(browser: Any, viewport: str) -> Any:
    """Another person's browser at the same width, errors gathered as the ``page`` fixture
    gathers them."""
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.viewport_name = viewport
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    return page


def _answer_socket(route: Any) -> None:
    """The dashboard's websocket, answered here: this WSGI live server has none (the real one
    is checked through uvicorn by test_alerts_journey)."""

    def on_message(message: str | bytes) -> None:
        if json.loads(message).get("type") == "ping":
            route.send(json.dumps({"type": "pong"}))

    route.on_message(on_message)


def _choose(page: Any, answer: str) -> None:
    """Tap the answer's label, as she would."""
    page.locator("label", has_text=re.compile(rf"^\s*{re.escape(answer)}\s*$")).click()
    assert page.get_by_label(answer, exact=True).is_checked()


QUESTION = re.compile(r"/check-ins/answers/[0-9a-f-]+/(\d+)/$")
RISK_HELP = re.compile(r"/check-ins/answers/[0-9a-f-]+/help/$")
RESULT = re.compile(r"/check-ins/results/[0-9a-f-]+/$")


def _crisis_card_first(page: Any, *, before: str) -> None:
    """The routes that answer now: "Call 999" (a tel: link, visible), then the Samaritans,
    both before the words ``before``."""
    call = page.get_by_role("link", name="Call 999")
    expect(call).to_be_visible()
    assert call.get_attribute("href") == "tel:999"
    words = page.locator("main").inner_text()
    assert words.index("Call 999") < words.index("Samaritans") < words.index(before), words


def _next_page(page: Any, left: str) -> str:
    """Wait until the page after ``left`` (a question, the help after a risk answer, or the
    result) has loaded; its address."""
    page.wait_for_url(
        lambda url: url != left and any(p.search(url) for p in (QUESTION, RISK_HELP, RESULT))
    )
    page.wait_for_load_state()
    return str(page.url)


def _do_check_in(page: Any, instrument_id: str, answers: dict[int, str], name: str) -> list[str]:
    """From its "before you start" page: start, then each question on its own page, tapping
    the label of ``answers[number]`` (unscored questions, when asked, left out) and Continue,
    to her result. After a risk answer the help page comes at once: checked, then she carries
    on. The pages' "question n of m" captions, in order."""
    instrument = instruments.get(instrument_id)
    items = {item.number: item for item in instrument.items}
    expect(page.get_by_role("heading", level=1)).to_have_text(str(instrument.title))
    _check(page, f"{name}-before")
    here = str(page.url)
    page.get_by_role("button", name="Start").click()
    captions: list[str] = []
    while True:
        here = _next_page(page, here)
        if RESULT.search(here):
            return captions
        if RISK_HELP.search(here):
            expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")
            _crisis_card_first(page, before="Carry on with the questions")
            expect(page.locator("#team-told")).to_contain_text("We have let the team at")
            _check(page, f"{name}-risk-help")
            page.get_by_role("link", name="Carry on with the questions").click()
            continue
        item = items[int(QUESTION.search(here).group(1))]
        expect(page.get_by_role("heading", level=1)).to_have_text(str(item.text))
        # Scored questions are counted; the optional one is "one more question".
        caption = page.get_by_text(
            re.compile(rf"question {len(captions) + 1} of \d+")
            if item.scored
            else re.compile("one more question, which you can leave out")
        )
        expect(caption).to_be_visible()
        captions.append(caption.inner_text())
        assert page.locator("[name=answer]").count() == len(item.options)
        _check(page, f"{name}-question-{item.number}", shot=len(captions) == 1 or item.risk)
        if item.number in answers:
            _choose(page, answers[item.number])
        else:
            assert not item.scored, f"question {item.number} needs an answer"
        page.get_by_role("button", name="Continue").click()


def test_a_risk_answer_reaches_the_duty_coordinator_then_her_trend_and_sharing(  # noqa: PLR0915 - one journey, step by step
    page: Any, browser: Any, live_server: Any, duty: Duty
) -> None:
    from peerpath.buddying.services import match_create
    from peerpath.safeguarding.models import Alert

    site = live_server.url
    weeks = _staffed_mornings()
    member = consenting(duty.member)
    match_create(
        actor=OPERATOR,
        member=membership_of(member, Role.MEMBER),
        supporter=membership_of(duty.supporter, Role.PEER_SUPPORTER),
    )

    # 1. A staffed Tuesday morning: the PHQ-9, "Not at all" to 1-8 and "Several days" to 9.
    with time_machine.travel(weeks[0], tick=True):
        sign_in(page, live_server, member)
        page.goto(site + reverse("checkins:home"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Check in with yourself")
        _check(page, "home")
        page.get_by_role("link", name="PHQ-9", exact=True).click()
        expect(page.get_by_text("Only you see your answers", exact=False)).to_be_visible()
        phq9 = {**dict.fromkeys(range(1, 9), "Not at all"), 9: "Several days"}
        captions = _do_check_in(page, "phq9", phq9, "phq9")
        # The nine scored questions, then the optional one (asked: she had a problem).
        assert len(captions) == 10, captions  # and the help page straight after question 9
        assert captions[-1].endswith("one more question, which you can leave out"), captions

        # 2. Her result: the crisis card (999, then the Samaritans) before any score.
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")
        _crisis_card_first(page, before="Your score is")
        score = page.get_by_text(re.compile(r"^Your score is 1 out of 27"))
        expect(score).to_be_visible()
        call = page.get_by_role("link", name="Call 999")
        assert call.bounding_box()["y"] < score.bounding_box()["y"]
        expect(page.locator("#team-told")).to_contain_text(
            "We have let the team at Harbour Parents Peer Support know. Someone will contact you"
        )
        _check(page, "phq9-result-risk")
        alert = Alert.objects.get(member=member)
        assert alert.source == "check_in"
        assert "PHQ-9, question 9" in alert.context
        assert pages(duty.primary) == 1  # Ash, on duty, was paged

        # 3. Ash's dashboard shows it.
        ash = _person(browser, page.viewport_name)
        try:
            ash.route_web_socket(re.compile(r"/ws/"), _answer_socket)
            sign_in(ash, live_server, duty.primary)
            ash.goto(
                site
                + reverse("safeguarding:alerts_dashboard", kwargs={"slug": duty.organisation.slug})
            )
            expect(ash.get_by_role("heading", level=1)).to_contain_text("Alerts")
            expect(ash.get_by_text("This list updates by itself.")).to_be_visible()
            row = ash.locator(f'[data-pp-alert="{alert.public_id}"]')
            expect(row).to_contain_text("Sunflower 101: check-in answer")
            expect(row).to_contain_text("Tier 1")
            expect(ash.locator("[data-pp-alert]")).to_have_count(1)
            _check(ash, "alerts-dashboard")
        finally:
            ash.context.close()

        # 4a. The same morning, her first GAD-7.
        page.get_by_role("link", name="Back to check-ins").click()
        page.get_by_role("link", name="GAD-7", exact=True).click()
        gad7 = dict.fromkeys(range(1, 8), GAD7_WEEKS[0])
        _do_check_in(page, "gad7", gad7, "gad7-week-1")
        expect(page.get_by_text(f"Your score is {GAD7_RESULTS[0]}.", exact=False)).to_be_visible()
        _check(page, "gad7-result-week-1")

    def gad7_again(week: int) -> None:
        """A week on: signed in again (her last session has long ended), the GAD-7 again."""
        sign_in(page, live_server, member)
        page.goto(site + reverse("checkins:before", kwargs={"instrument_id": "gad7"}))
        gad7 = dict.fromkeys(range(1, 8), GAD7_WEEKS[week])
        _do_check_in(page, "gad7", gad7, f"gad7-week-{week + 1}")
        expect(
            page.get_by_text(f"Your score is {GAD7_RESULTS[week]}.", exact=False)
        ).to_be_visible()
        _check(page, f"gad7-result-week-{week + 1}", shot=week == 2)

    # 4b. A week later, and a week after that; then her trend.
    with time_machine.travel(weeks[1], tick=True):
        gad7_again(1)
    with time_machine.travel(weeks[2], tick=True):
        gad7_again(2)
        page.get_by_role("link", name=re.compile(r"^See how your .*answers have changed")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("GAD-7")
        page.wait_for_url(re.compile(r"/check-ins/gad7/trend/$"))
        chart = page.locator("svg.pp-trend-chart")
        expect(chart).to_be_visible()
        expect(chart.locator(".pp-trend-chart__markers circle")).to_have_count(3)
        rows = page.locator("table.nhsuk-table tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.nth(0)).to_contain_text(_short(weeks[2].date()))  # newest first
        expect(rows.nth(0)).to_contain_text(GAD7_RESULTS[2])
        expect(rows.nth(2)).to_contain_text(_short(weeks[0].date()))
        expect(rows.nth(2)).to_contain_text(GAD7_RESULTS[0])
        _check(page, "gad7-trend")

        # 5. She shares her GAD-7, not her PHQ-9, with Hazel.
        page.get_by_role("link", name="Share your results").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Share your results")
        _check(page, "sharing")
        page.get_by_label("Hazel (Peer supporter)").check()
        page.get_by_label("PHQ-9", exact=True).uncheck()
        page.get_by_label("GAD-7", exact=True).check()
        page.get_by_role("button", name="Share", exact=True).click()
        expect(page.get_by_text("Hazel can now see the results you chose.")).to_be_visible()
        expect(page.get_by_text("Can see: GAD-7")).to_be_visible()
        _check(page, "sharing-shared")

        hazel = _person(browser, page.viewport_name)
        try:
            sign_in(hazel, live_server, duty.supporter)
            hazel.goto(site + reverse("accounts:staff_home"))
            expect(hazel.get_by_role("heading", name="Check-ins shared with you")).to_be_visible()
            _check(hazel, "staff-home")
            # Its own words, apart from her name's link to the member's page higher up.
            shared_link = hazel.get_by_role("link", name="Check-ins from Sunflower 101")
            expect(shared_link).to_have_attribute("href", re.compile("^/staff/shared-check-ins/"))
            shared_link.click()
            expect(hazel.get_by_role("heading", level=1)).to_have_text(
                "Check-ins Sunflower 101 shares with you"
            )
            expect(hazel.get_by_role("heading", level=2, name="GAD-7")).to_be_visible()
            assert "PHQ-9" not in hazel.locator("main").inner_text()
            expect(
                hazel.locator("svg.pp-trend-chart .pp-trend-chart__markers circle")
            ).to_have_count(3)
            expect(hazel.locator("table.nhsuk-table tbody tr")).to_have_count(3)
            _check(hazel, "shared")

            # She sees that Hazel looked.
            page.reload()
            looked = f"Hazel looked on {weeks[2].day} {weeks[2]:%B %Y} at 10:"
            expect(page.get_by_text(looked)).to_be_visible()

            # 6. She stops sharing; Hazel's reload is "Page not found".
            page.get_by_role("button", name="Stop sharing with Hazel").click()
            expect(page.get_by_text("Hazel can no longer see your results.")).to_be_visible()
            expect(page.get_by_text("Can see: GAD-7")).to_have_count(0)
            _check(page, "sharing-stopped")
            response = hazel.reload()
            assert response is not None
            assert response.status == 404
            expect(hazel.get_by_role("heading", level=1)).to_have_text("Page not found")
            assert "Sunflower" not in hazel.locator("body").inner_text()
            _check(hazel, "shared-after-stop")
        finally:
            hazel.context.close()
