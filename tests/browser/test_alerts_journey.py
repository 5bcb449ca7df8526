"""The safety net end to end, as its people use it, on PeerPath served as `make run` serves it:
uvicorn (pages and websockets) and a worker process, texts to a Twilio-shaped fake on
127.0.0.1, the test's clock. Harbour is staffed now, Ash is on duty and Bay is her backup, and
each paging tier waits one minute for someone to acknowledge (as a lead may set it).

Sunflower asks for contact from her phone. Ash's open dashboard shows it without reloading,
and she is texted, but she does not acknowledge. A minute later Bay is texted; she opens the
link on her phone, signs in with two-step verification and acknowledges; the leads are never
paged; she closes it with a decision not to refer, and Ash's dashboard shows that too. Every
page is checked with axe at 390 px and 1280 px. Bounded: stops by itself within 4 minutes.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    VIEWPORTS,
    assert_no_axe_violations,
    authenticator_code,
    screenshot,
)
from tests.clocked import run_clocked
from tests.fakes.providers import FakeProviders
from tests.processes import free_port, fresh_database, process_env, running, start, wait_for_port

pytestmark = pytest.mark.processes

DEADLINE_SECONDS = 240
SENT_HEADING = "We have your request"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
# A page that waits on the server, a worker and a browser sharing two cores: a minute at most.
NAVIGATION_MS = 60_000

REPORT = """
import django, json
django.setup()
from django.db.models import Count
from peerpath.jobs.models import Job
from peerpath.notifications.models import Notification
from peerpath.safeguarding.models import Alert
alert = Alert.objects.get()
steps = Job.objects.filter(task="safeguarding.escalate").order_by("due_at")
print(json.dumps({
    "status": alert.status,
    "owner": str(alert.owner) if alert.owner else None,
    "referral_decision": alert.referral_decision,
    "pages": dict(
        Notification.objects.filter(purpose="safeguarding_alert")
        .values_list("recipient__display_name").annotate(n=Count("pk"))
    ),
    "steps": [[job.arguments["step"], job.status] for job in steps],
}))
"""


def _check(page: Any, name: str) -> None:
    """axe at both widths, a screenshot at each, and no console or CSP errors."""
    for viewport, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.viewport_name = viewport
        screenshot(page, f"alerts-{name}")
        assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


def _person(browser: Any, viewport: str) -> Any:
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
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    return page


def _sign_in(page: Any, url: str, email: str, *, staff: bool) -> None:
    """From any page that needs it: sign in, and for staff the authenticator's code. Asking
    for contact signed out shows the routes that answer now and a button to sign in."""
    page.goto(url)
    if not staff:
        page.get_by_role("link", name="Sign in to ask").click()
    page.wait_for_url(re.compile(r"/auth/login/"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("lighthouse morning tea 42")
    page.get_by_role("button", name="Sign in").click()
    if staff:
        page.wait_for_url(re.compile(r"/auth/2fa/authenticate/"))
        page.get_by_label(re.compile("code", re.I)).first.fill(authenticator_code(DEMO_TOTP_SECRET))
        with page.expect_navigation(timeout=NAVIGATION_MS):
            page.get_by_role("button", name="Continue", exact=True).click()
        assert "/auth/2fa/" not in page.url, page.locator("main").inner_text()
    page.wait_for_load_state()


def _wait(what: str, started: float, condition: Any) -> Any:
    while True:
        found = condition()
        if found:
            return found
        assert time.monotonic() - started < DEADLINE_SECONDS, f"gave up waiting for {what}"
        time.sleep(0.25)


def test_her_request_reaches_the_dashboard_live_and_the_backup_acknowledges_from_her_text(  # noqa: PLR0915 - one journey, step by step
    browser: Any, tmp_path: Path
) -> None:
    started = time.monotonic()
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    with FakeProviders() as fake:
        env = process_env(
            tmp_path,
            sms_url=fake.url,
            database_url=fresh_database("peerpath_alerts_journey"),
            redis=True,
        )
        env["PEERPATH_BASE_URL"] = site
        run_clocked(env, "manage.py", "migrate", "--noinput", "-v0", timeout=120)
        people = json.loads(
            run_clocked(env, "-m", "tests.duty_seed", "--minutes", "1", "--sign-in").stdout
        )

        def report() -> dict[str, Any]:
            return dict(json.loads(run_clocked(env, "-c", REPORT).stdout))

        def texts_to(name: str) -> list[str]:
            digits = people[name]["phone"][-6:]
            return [m["body"] for m in fake.state.accepted.values() if m["to"].endswith(digits)]

        server = start(
            env,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--no-access-log",
            log=tmp_path / "uvicorn.log",
        )
        worker = start(env, "manage.py", "worker", log=tmp_path / "worker.log")
        with running(server, worker):
            wait_for_port(port)

            # Ash, on duty at her desk, has the dashboard open.
            ash = _person(browser, "desktop")
            _sign_in(ash, f"{site}/staff/alerts/", people["Ash"]["email"], staff=True)
            expect(ash.get_by_role("heading", level=1)).to_contain_text("Alerts")
            expect(ash.get_by_text("This list updates by itself.")).to_be_visible()
            expect(ash.locator("[data-pp-alert]")).to_have_count(0)
            _check(ash, "dashboard-empty")
            ash.set_viewport_size(VIEWPORTS["desktop"])
            ash.evaluate("window.ppStillThisPage = true")

            # Sunflower, on her phone, asks for someone to call her.
            sunflower = _person(browser, "phone")
            _sign_in(
                sunflower,
                f"{site}/help-now/talk-to-someone/",
                people["Sunflower"]["email"],
                staff=False,
            )
            expect(sunflower.get_by_role("heading", level=1)).to_have_text("Talk to someone")
            words = sunflower.locator("main").inner_text()
            assert "reads these" in words
            assert "Nobody is reading these right now" not in words
            assert words.index("999") < words.index("Ask us to contact you")
            _check(sunflower, "ask-in-hours")
            sunflower.get_by_label("A phone call").check()
            sunflower.get_by_label("No, please do not leave a message").check()
            sunflower.get_by_role("button", name="Ask us to contact me").click()
            expect(sunflower.get_by_role("heading", level=1)).to_have_text(SENT_HEADING)
            _check(sunflower, "asked")

            # It appears on Ash's dashboard by itself, and Ash is texted at once.
            expect(ash.locator("[data-pp-alert]")).to_have_count(1, timeout=10_000)
            assert ash.evaluate("window.ppStillThisPage") is True  # no reload
            expect(ash.locator("[data-pp-alert]")).to_contain_text("Sunflower")
            _check(ash, "dashboard-live")
            _wait("Ash's text", started, lambda: texts_to("Ash"))

            # Ash does not acknowledge. A minute later, Bay is texted.
            bay_texts = _wait("Bay's text", started, lambda: texts_to("Bay"))
            body = bay_texts[0]
            assert body.startswith("PeerPath: an alert needs you.")
            assert "Sunflower" not in body
            link = body.split()[-1]
            assert link.startswith(f"{site}/staff/alerts/")
            assert link.endswith("/acknowledge/")

            # Bay opens it on her phone: sign-in, two-step verification, then one button.
            bay = _person(browser, "phone")
            _sign_in(bay, link, people["Bay"]["email"], staff=True)
            assert bay.url == link
            _check(bay, "acknowledge")
            bay.get_by_role("button", name="I am handling this").click()
            bay.wait_for_load_state()
            expect(
                bay.get_by_text("It is yours. Nobody else will be paged for it.")
            ).to_be_visible()
            _check(bay, "acknowledged")
            expect(ash.locator("[data-pp-alert]")).to_contain_text("Bay", timeout=10_000)

            # The leads' step comes due a minute after Bay's page and finds nothing to do.
            state = _wait(
                "the leads' step to come due",
                started,
                lambda: (r := report())["steps"] and r["steps"][-1] == [2, "sent"] and r,
            )
            assert state["status"] == "acknowledged"
            assert state["owner"] == "Bay"
            assert state["pages"] == {"Ash": 1, "Bay": 1}
            assert texts_to("Cedar") == []

            # Bay closes it, with her decision and its reasons.
            bay.get_by_label("Supported; peer support continues").check()
            bay.get_by_label("Decided not to make a safeguarding referral").check()
            bay.get_by_label("What was decided and why").fill(
                "Talked for twenty minutes; she has a plan for tonight and her GP on Monday."
            )
            bay.get_by_role("button", name="Close the alert").click()
            bay.wait_for_load_state()
            _check(bay, "closed")
            expect(ash.locator("[data-pp-alert]")).to_have_count(0, timeout=10_000)
            expect(ash.get_by_text("Supported; peer support continues")).to_be_visible()
            assert ash.evaluate("window.ppStillThisPage") is True
            _check(ash, "dashboard-closed")
            assert report()["referral_decision"] == "not_referred"
