"""Every page built so far, at phone and desktop widths, as the person who would see it:
zero axe violations, one h1, "Get help now" visible, no CSP or console errors.

A URL name must be listed in PAGES or NOT_PAGES; a new page without an entry fails
``test_every_page_is_checked_in_the_browser``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from conftest import membership_of
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentKind
from peerpath.accounts.services import consent_give
from peerpath.core.actors import OPERATOR
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.test_access_matrix import NAMED


def _own_listing(ctx, **kwargs):
    """The slug and the demo listing, for the staff pages that manage it."""
    return {"slug": ctx["organisation"].slug, "public_id": ctx["listing"].public_id, **kwargs}


def _checkins(ctx) -> dict[str, Any]:
    """The member's check-ins, made once: GAD-7 three times a week apart (the last today), a
    PHQ-9 she has not finished (questions 1-3 answered, and 9 with a risk answer, which raised
    an alert), a weekly reminder, and her GAD-7 shared with her matched peer supporter."""
    if "checkins" in ctx:
        return ctx["checkins"]
    from peerpath.checkins.services import (
        checkin_answer,
        checkin_complete,
        checkin_start,
        reminder_save,
        share_save,
    )
    from peerpath.core import clock

    member = ctx["member"]
    membership = membership_of(member, Role.MEMBER)

    def answered(instrument_id: str, positions: dict[int, int]):
        checkin = checkin_start(actor=member, membership=membership, instrument_id=instrument_id)
        for number, position in positions.items():
            checkin_answer(actor=member, checkin=checkin, item_number=number, option_index=position)
        return checkin

    done = None
    for weeks_ago, position in ((2, 2), (1, 1), (0, 0)):  # 14 (moderate), 7 (mild), 0
        with time_machine.travel(clock.now() - dt.timedelta(weeks=weeks_ago), tick=False):
            done = checkin_complete(
                actor=member, checkin=answered("gad7", dict.fromkeys(range(1, 8), position))
            )
    draft = answered("phq9", {1: 1, 2: 0, 3: 2, 9: 1})
    draft.refresh_from_db()
    assert draft.alert_id is not None, "her risk answer raised no alert"
    reminder_save(actor=member, membership=membership, every_days=7, at_hour=10)
    supporter = ctx["fixture"]("supporter_matched")
    share = share_save(
        actor=member,
        membership=membership,
        viewer=membership_of(supporter, Role.PEER_SUPPORTER),
        instrument_ids=["gad7"],
    )
    ctx["checkins"] = {"done": done, "draft": draft, "share": share}
    return ctx["checkins"]


def _with_checkins(ctx, **kwargs):
    """Her check-ins made (see ``_checkins``), for a page that takes these kwargs."""
    _checkins(ctx)
    return kwargs


def _supervision(ctx) -> dict[str, Any]:
    """The unmatched peer supporter: trained (one module expiring soon), checked, supervised
    with notes and actions (now lapsed), and she would like to talk."""
    if "supervision" in ctx:
        return ctx["supervision"]
    from peerpath.core import clock
    from peerpath.supervision.models import TrainingModule
    from peerpath.supervision.services import (
        background_check_record,
        supervision_session_record,
        training_completion_record,
        training_module_save,
        wellbeing_checkin_submit,
    )

    organisation = ctx["organisation"]
    supporter = ctx["fixture"]("supporter_unmatched")
    coordinator = ctx["fixture"]("coordinator")
    place = membership_of(supporter, Role.PEER_SUPPORTER)
    today = clock.today()
    for name, months in (("Safeguarding training", 12), ("Foundation course", None)):
        module = training_module_save(
            actor=OPERATOR,
            obj=TrainingModule(organisation=organisation, name=name, valid_for_months=months),
            changed=["name"],
        )
        training_completion_record(
            actor=coordinator,
            supporter=place,
            module=module,
            completed_on=today - dt.timedelta(days=350),
        )
    background_check_record(
        actor=coordinator,
        supporter=place,
        kind="Enhanced DBS",
        checked_on=today - dt.timedelta(days=90),
        outcome="clear",
        renew_by=None,
        reference="001234567890",
    )
    supervision_session_record(
        actor=coordinator,
        supporter=place,
        supervisor=coordinator,
        held_on=today - dt.timedelta(days=40),
        notes="Talked through a hard call.",
        agreed_actions="Take a week off new matches.",
        is_debrief=False,
    )
    wellbeing_checkin_submit(
        actor=supporter, supporter=place, feeling="struggling", note="Busy.", wants_to_talk=True
    )
    ctx["supervision"] = {"place": place}
    return ctx["supervision"]


def _supervised(ctx) -> dict[str, Any]:
    return {"slug": ctx["organisation"].slug, "public_id": _supervision(ctx)["place"].public_id}


def _with_supervision(ctx, **kwargs):
    _supervision(ctx)
    return kwargs


def _buddying(ctx) -> dict[str, Any]:
    """One-to-one support: the member's match with her supporter (agreed weekly by phone and
    text, a goal with a step and its reminder, a contact logged); the other member waiting
    (suggestions and who is left out); a third asked the unmatched supporter to support her."""
    if "buddying" in ctx:
        return ctx["buddying"]
    from conftest import make_person
    from peerpath.buddying.models import Match, Proposal
    from peerpath.buddying.services import (
        contact_log,
        goal_add,
        match_agreement_update,
        match_create,
        match_end_planned,
        step_add,
        support_request_create,
    )
    from peerpath.core import clock

    member = ctx["member"]
    supporter = ctx["fixture"]("supporter_matched")
    match = Match.objects.get(member__user=member)
    match_agreement_update(actor=member, match=match, rhythm="weekly", modes=["phone", "text"])
    goal = goal_add(actor=member, match=match, words="Get out of the house with the baby")
    step_add(
        actor=member,
        goal=goal,
        words="Go to the Tuesday group",
        remind_at=clock.now() + dt.timedelta(days=6),
    )
    contact_log(
        actor=supporter,
        match=match,
        happened_on=clock.today(),
        mode="phone",
        minutes=35,
        talked_about="Sleep, and feeding at night.",
        follow_ups="Find the Tuesday group's address.",
    )
    other = ctx["fixture"]("other_member")
    consent_give(actor=other, user=other, kind=ConsentKind.HEALTH_DATA)
    wish = {
        "modes": ["phone", "in_person"],
        "rhythm": "weekly",
        "area": "Exeter",
        "languages": ["en"],
        "experiences": ["nicu", "feeding"],
        "availability": {"mon": ["morning"], "wed": ["evening"]},
        "story": "My son was in the neonatal unit for three weeks.",
        "hopes": "To talk to another mum whose baby was in NICU.",
    }
    waiting = support_request_create(actor=other, member=membership_of(other, Role.MEMBER), **wish)
    third = make_person(ctx["organisation"], Role.MEMBER, display_name="Poppy 31")
    consent_give(actor=third, user=third, kind=ConsentKind.HEALTH_DATA)
    asked = support_request_create(actor=third, member=membership_of(third, Role.MEMBER), **wish)
    proposal = Proposal.objects.create(
        request=asked,
        supporter=membership_of(ctx["fixture"]("supporter_unmatched"), Role.PEER_SUPPORTER),
        proposed_by=ctx["fixture"]("coordinator"),
        reasons=["Room for 5 more (supporting 1 of 6)", "Speaks English"],
    )
    asked.status = "proposed"
    asked.save(update_fields=["status"])
    # An earlier match of hers that ended as planned, with a goodbye.
    earlier = make_person(ctx["organisation"], Role.PEER_SUPPORTER, display_name="Ivy")
    ended = match_create(
        actor=OPERATOR,
        member=membership_of(member, Role.MEMBER),
        supporter=membership_of(earlier, Role.PEER_SUPPORTER),
    )
    match_end_planned(actor=earlier, match=ended, goodbye="It was lovely to know you. Take care.")
    ctx["buddying"] = {"match": match, "waiting": waiting, "proposal": proposal, "ended": ended}
    return ctx["buddying"]


def _with_buddying(ctx, **kwargs):
    _buddying(ctx)
    return kwargs


def _the_match(ctx):
    return {"public_id": _buddying(ctx)["match"].public_id}


# name: (persona or None for anonymous, how to build its kwargs, expected status)
PAGES: dict[str, tuple[str | None, Any, int]] = {
    "core:home": (None, None, 200),
    "safeguarding:help_now": (None, None, 200),
    "core:privacy": (None, None, 200),
    "core:accessibility": (None, None, 200),
    "core:cookies": (None, None, 200),
    "accounts:your_information": (None, None, 200),
    "accounts:invitation_accept": (None, lambda ctx: {"token": "expired-or-unknown"}, 404),
    "account_login": (None, None, 200),
    "account_signup": (None, None, 200),
    "account_reset_password": (None, None, 200),
    "account_reset_password_done": (None, None, 200),
    "account_reset_password_from_key": (None, lambda ctx: {"uidb36": "zz", "key": "bad"}, 200),
    "account_reset_password_from_key_done": (None, None, 200),
    "account_email_verification_sent": (None, None, 200),
    "account_confirm_email": (None, lambda ctx: {"key": "not-a-real-key"}, 200),
    "account_inactive": (None, None, 200),
    "accounts:account_home": ("member", None, 200),
    "accounts:account_profile": ("member", None, 200),
    "accounts:account_consent": ("member", None, 200),
    "accounts:account_data": ("member", None, 200),
    "accounts:account_data_page": ("member", None, 200),
    "accounts:account_delete": ("member", None, 200),
    "accounts:account_supporter_profile": ("supporter_matched", None, 200),
    "account_logout": ("member", None, 200),
    "account_change_password": ("member", None, 200),
    "account_email": ("member", None, 200),
    "account_reauthenticate": ("member", None, 200),
    "mfa_index": ("member", None, 200),
    "usersessions_list": ("member", None, 200),
    "mfa_view_recovery_codes": ("coordinator", None, 200),
    "accounts:staff_home": ("coordinator", None, 200),
    "accounts:staff_members": ("coordinator", lambda ctx: {"slug": ctx["organisation"].slug}, 200),
    "accounts:staff_member_create": (
        "coordinator",
        lambda ctx: {"slug": ctx["organisation"].slug},
        200,
    ),
    "accounts:staff_member_detail": (
        "coordinator",
        lambda ctx: {"public_id": membership_of(ctx["member"], Role.MEMBER).public_id},
        200,
    ),
    "accounts:staff_invitations": (
        "org_admin",
        lambda ctx: {"slug": ctx["organisation"].slug},
        200,
    ),
    "audit:audit_search": ("org_admin", lambda ctx: {"slug": ctx["organisation"].slug}, 200),
    "notifications:inbox": ("member", None, 200),
    "directory:find_support": (None, None, 200),
    "bookings:my_bookings": ("member", None, 200),
    "directory:service_detail": (None, lambda ctx: {"public_id": ctx["listing"].public_id}, 200),
    "bookings:session_register": (
        "coordinator",
        lambda ctx: {"public_id": _a_booked_session(ctx)},
        200,
    ),
    "directory:saved_search_create": ("member", None, 200),
    "directory:saved_searches": ("member", None, 200),
    "notifications:notification_preferences": ("member", None, 200),
    "notifications:mobile_check": ("coordinator", None, 200),
    "notifications:notification_failures": (
        "org_admin",
        lambda ctx: {"slug": ctx["organisation"].slug},
        200,
    ),
    "directory:staff_listings": (
        "coordinator",
        lambda ctx: {"slug": ctx["organisation"].slug},
        200,
    ),
    "directory:staff_listing_create": (
        "coordinator",
        lambda ctx: {"slug": ctx["organisation"].slug},
        200,
    ),
    "directory:staff_location_create": (
        "coordinator",
        lambda ctx: {"slug": ctx["organisation"].slug},
        200,
    ),
    "directory:staff_gaps": ("coordinator", lambda ctx: {"slug": ctx["organisation"].slug}, 200),
    "directory:staff_listing": ("coordinator", _own_listing, 200),
    "directory:staff_listing_edit": ("coordinator", _own_listing, 200),
    "directory:staff_listing_active": ("coordinator", _own_listing, 200),
    "directory:staff_sessions": ("coordinator", _own_listing, 200),
    "directory:staff_schedule_create": ("coordinator", _own_listing, 200),
    "directory:staff_schedule_end": (
        "coordinator",
        lambda ctx: _own_listing(ctx, public_id=ctx["listing"].schedules.first().public_id),
        200,
    ),
    "directory:staff_location_edit": (
        "coordinator",
        lambda ctx: _own_listing(ctx, public_id=ctx["listing"].location.public_id),
        200,
    ),
    "directory:staff_session_cancel": (
        "coordinator",
        lambda ctx: _own_listing(ctx, public_id=_a_booked_session(ctx)),
        200,
    ),
    "directory:staff_session_move": (
        "coordinator",
        lambda ctx: _own_listing(ctx, public_id=_a_booked_session(ctx)),
        200,
    ),
    "safeguarding:ask_for_contact": ("member", None, 200),
    "safeguarding:ask_for_contact_sent": ("member", None, 200),
    "safeguarding:alert_detail": ("coordinator", lambda ctx: {"public_id": _an_alert(ctx)}, 200),
    "safeguarding:alert_acknowledge": (
        "coordinator",
        lambda ctx: {"public_id": _an_alert(ctx)},
        200,
    ),
    "safeguarding:alert_raise_for_member": (
        "coordinator",
        lambda ctx: {"public_id": membership_of(ctx["member"], Role.MEMBER).public_id},
        200,
    ),
    "safeguarding:alerts_raised": ("supporter_matched", None, 200),
    "safeguarding:rota": ("coordinator", lambda ctx: {"slug": ctx["organisation"].slug}, 200),
    "safeguarding:alerts_numbers": (
        "coordinator",
        lambda ctx: {"slug": ctx["organisation"].slug},
        200,
    ),
    # Check-ins: hers (she agreed to the use of health data), with results, a draft, a
    # reminder and a share; and what she shares, as her matched peer supporter sees it.
    "checkins:home": ("member", _with_checkins, 200),
    "checkins:before": ("member", lambda ctx: _with_checkins(ctx, instrument_id="phq9"), 200),
    "checkins:question": (
        "member",
        lambda ctx: {"public_id": _checkins(ctx)["draft"].public_id, "number": 4},
        200,
    ),
    "checkins:risk_help": (
        "member",
        lambda ctx: {"public_id": _checkins(ctx)["draft"].public_id},
        200,
    ),
    "checkins:discard": (
        "member",
        lambda ctx: {"public_id": _checkins(ctx)["draft"].public_id},
        200,
    ),
    "checkins:result": ("member", lambda ctx: {"public_id": _checkins(ctx)["done"].public_id}, 200),
    "checkins:trend": ("member", lambda ctx: _with_checkins(ctx, instrument_id="gad7"), 200),
    "checkins:sharing": ("member", _with_checkins, 200),
    "checkins:reminders": ("member", _with_checkins, 200),
    "checkins:shared": (
        "supporter_matched",
        lambda ctx: {"public_id": _checkins(ctx)["share"].public_id},
        200,
    ),
    # Supervision: the coordinators' overview and one supporter's record (with every form), and
    # her own page.
    "supervision:overview": (
        "coordinator",
        lambda ctx: {"slug": _supervised(ctx)["slug"]},
        200,
    ),
    "supervision:supporter": ("coordinator", _supervised, 200),
    "supervision:mine": ("supporter_unmatched", _with_supervision, 200),
    # One-to-one support (``_buddying``).
    "buddying:mine": ("member", _with_buddying, 200),
    "buddying:ask": ("member", _with_buddying, 200),
    "buddying:withdraw": ("other_member", _with_buddying, 200),
    "buddying:someone_else": ("member", _the_match, 200),
    "buddying:match": ("member", _the_match, 200),
    "buddying:match_staff": ("supporter_matched", _the_match, 200),
    "buddying:contact_log": ("supporter_matched", _the_match, 200),
    "buddying:end": ("supporter_matched", _the_match, 200),
    "buddying:matches": (
        "coordinator",
        lambda ctx: _with_buddying(ctx, slug=ctx["organisation"].slug),
        200,
    ),
    "buddying:goodbye": (
        "member",
        lambda ctx: {"public_id": _buddying(ctx)["ended"].public_id},
        200,
    ),
    "buddying:queue": (
        "coordinator",
        lambda ctx: _with_buddying(ctx, slug=ctx["organisation"].slug),
        200,
    ),
    "buddying:propose_all": (
        "coordinator",
        lambda ctx: _with_buddying(ctx, slug=ctx["organisation"].slug),
        200,
    ),
    "buddying:request_detail": (
        "coordinator",
        lambda ctx: {
            "slug": ctx["organisation"].slug,
            "public_id": _buddying(ctx)["waiting"].public_id,
        },
        200,
    ),
    "buddying:proposal": (
        "supporter_unmatched",
        lambda ctx: {"public_id": _buddying(ctx)["proposal"].public_id},
        200,
    ),
}

# Not pages a person reads, or steps that only redirect without a sign-in in progress; each
# is covered by the access matrix and the flow tests.
NOT_PAGES = {
    "buddying:queue_home": "redirects to the organisation's queue",
    "buddying:propose": "a button's POST; covered by test_asking_and_matching",
    "buddying:step_remind": "a form's POST; covered by test_the_match",
    "buddying:pause": "a button's POST; covered by test_endings_and_reviews",
    "buddying:review": "a form's POST; covered by test_endings_and_reviews",
    "buddying:interest_take": "a button's POST; covered by test_endings_and_reviews",
    **{
        f"buddying:{name}{suffix}": "a form's POST; covered by test_the_match"
        for name in ("agreement", "goal_add", "goal_done", "step_add", "step_done")
        for suffix in ("", "_staff")
    },
    "core:healthz": "JSON for monitoring",
    "accounts:account_data_json": "a file download",
    "account_set_password": "redirects: everyone here has a password",
    "account_confirm_login_code": "sign-in by code is switched off",
    "mfa_authenticate": "only during a sign-in; covered by test_flows",
    "mfa_reauthenticate": "only when asked to confirm; covered by test_flows",
    "mfa_activate_totp": "needs a fresh sign-in; covered by test_flows",
    "mfa_deactivate_totp": "needs a fresh sign-in",
    "mfa_generate_recovery_codes": "needs a fresh sign-in",
    "mfa_download_recovery_codes": "a file download",
    "notifications:inbox_mark_read": "a button's POST; covered by test_notifications",
    "notifications:notification_open": "redirects to the message's page",
    "notifications:push_subscribe": "JSON for the push script",
    "notifications:push_unsubscribe": "JSON for the push script",
    "notifications:service_worker": "JavaScript for push notifications",
    "directory:service_calendar": "an ICS file; covered by test_directory",
    "directory:openreferral_services": "JSON for other directories",
    "bookings:booking_create": "a button's POST; covered by test_bookings",
    "bookings:booking_cancel": "a button's POST; covered by test_bookings",
    "bookings:booking_accept": "a button's POST; covered by test_bookings",
    "bookings:calendar_feed": "her private ICS feed; covered by test_calendar_feed",
    "bookings:calendar_feed_create": "a button's POST; covered by test_calendar_feed",
    "bookings:calendar_feed_reset": "a button's POST; covered by test_calendar_feed",
    "directory:saved_search_delete": "a button's POST; covered by test_saved_searches",
    "directory:openreferral_service": "JSON for other directories",
    "notifications:notification_failure_retry": "a button's POST; covered by test_notifications",
    "directory:staff_listing_checked": "a button's POST; covered by test_staff_listings",
    "safeguarding:alerts_dashboard": "opens a websocket, which this WSGI test server cannot "
    "answer; checked with axe at both widths, empty, live and after closing, by "
    "test_alerts_journey (uvicorn)",
    "safeguarding:alerts_home": "redirects to her organisation's alerts dashboard",
    "safeguarding:alerts_list": "the dashboard's list alone, fetched by its script",
    "safeguarding:duty_feed": "her private ICS feed; covered by test_rota",
    "safeguarding:duty_feed_create": "a button's POST; covered by test_rota",
    "checkins:start": "a button's POST; covered by test_flow and test_checkins_journey",
    "checkins:reminder_link": "redirects to her check-ins (the link her reminders carry)",
    "checkins:sharing_stop": "a button's POST; covered by test_trend_and_sharing and "
    "test_checkins_journey",
    **{
        f"supervision:{name}": "a form's POST; covered by supervision's test_pages and "
        "test_debriefs_and_wellbeing"
        for name in (
            "training_record",
            "check_record",
            "session_record",
            "caseload_set",
            "wellbeing_followed_up",
            "wellbeing",
        )
    },
    **{
        f"safeguarding:{name}": "a form's POST; covered by test_pages and test_escalation"
        for name in (
            "alert_record",
            "alert_follow_up",
            "alert_follow_up_done",
            "alert_hand_over",
            "alert_close",
        )
    },
}
ADMIN_PREFIX = "admin:"


def test_every_page_is_checked_in_the_browser():
    unlisted = [
        name
        for name in NAMED
        if name not in PAGES and name not in NOT_PAGES and not name.startswith(ADMIN_PREFIX)
    ]
    assert unlisted == [], "Add these to PAGES (or NOT_PAGES with a reason)"


def _something_in_the_inbox_and_a_failure(ctx) -> None:
    from peerpath.notifications.dispatch import deliveries_dispatch
    from peerpath.notifications.models import Delivery, DeliveryStatus
    from peerpath.notifications.services import notify

    notify(recipient=ctx["member"], purpose="session_reminder", organisation=ctx["organisation"])
    deliveries_dispatch(worker_id="browser-test", limit=10, lease_seconds=60)
    failed = notify(
        recipient=ctx["member"], purpose="waiting_list_offer", organisation=ctx["organisation"]
    )
    Delivery.objects.filter(notification=failed, channel="sms").update(
        status=DeliveryStatus.FAILED, last_error="HTTP 400", attempts=1
    )


def _a_listing(organisation):
    from peerpath.directory.demo import seed_directory
    from peerpath.directory.models import Service

    seed_directory(organisation)
    return Service.objects.filter(location__isnull=False).first()


def _an_alert(ctx):
    """An open tier-2 alert about the member, with what she said."""
    from peerpath.safeguarding.services import alert_raise

    alert = alert_raise(
        actor=ctx["member"],
        organisation=ctx["organisation"],
        source="member_request",
        tier=2,
        member=ctx["member"],
        context="I keep thinking everyone would be better off without me.",
        contact_preference={"how": "phone", "when": "after 6pm", "voicemail": "no"},
    )
    return alert.public_id


def _a_booked_session(ctx):
    """A bookable demo session with the member booked on it, for the register."""
    from peerpath.bookings.services import booking_create
    from peerpath.core import clock
    from peerpath.directory.models import Occurrence

    session = Occurrence.objects.filter(
        service__organisation=ctx["organisation"],
        service__booking_required=True,
        starts_at__gt=clock.now(),
        cancelled=False,
    ).earliest("starts_at")
    booking_create(actor=ctx["member"], occurrence=session)
    return session.public_id


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_accessible_and_calm(request, page, live_server, name):
    persona, build_kwargs, status = PAGES[name]
    organisation = request.getfixturevalue("organisation")
    from peerpath.safeguarding.services import crisis_contacts_seed_defaults

    crisis_contacts_seed_defaults(organisation=organisation, actor=OPERATOR)
    ctx = {
        "organisation": organisation,
        "member": request.getfixturevalue("member"),
        "fixture": request.getfixturevalue,
    }
    consent_give(actor=ctx["member"], user=ctx["member"], kind=ConsentKind.HEALTH_DATA)
    _something_in_the_inbox_and_a_failure(ctx)
    ctx["listing"] = _a_listing(organisation)
    if persona:
        sign_in(page, live_server, request.getfixturevalue(persona))
    address = reverse(name, kwargs=build_kwargs(ctx) if build_kwargs else None)
    response = page.goto(live_server.url + address)
    assert response.status == status, page.url
    assert page.locator("h1").count() == 1, page.url
    expect(page.get_by_role("link", name="Get help now").first).to_be_visible()
    screenshot(page, name.replace(":", "-"))
    assert_no_axe_violations(page)
    assert page.console_errors == [], page.console_errors


@pytest.mark.parametrize("address", ["/no-such-page/"])
def test_the_not_found_page_is_accessible(page, live_server, transactional_db, address):
    response = page.goto(live_server.url + address)
    assert response.status == 404
    screenshot(page, "not-found")
    assert_no_axe_violations(page)


def test_get_help_now_is_one_tap_from_the_home_page(page, live_server, organisation):
    from peerpath.safeguarding.services import crisis_contacts_seed_defaults

    crisis_contacts_seed_defaults(organisation=organisation, actor=OPERATOR)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Get help now").first.click()
    page.wait_for_url("**/help-now/")
    assert page.get_by_role("heading", level=1).inner_text() == "Get help now"
    assert page.get_by_role("link", name="Call 999").first.get_attribute("href") == "tel:999"


def test_pages_work_without_javascript(browser, live_server, organisation):
    from peerpath.safeguarding.services import crisis_contacts_seed_defaults

    crisis_contacts_seed_defaults(organisation=organisation, actor=OPERATOR)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Get help now").first.click()
        page.wait_for_url("**/help-now/")
        expect(page.get_by_role("link", name="Call 116 123")).to_be_visible()
    finally:
        context.close()
