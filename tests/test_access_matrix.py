"""Every URL in the project, visited as every persona.

Each named URL needs an entry in ACCESS below. Adding a URL without deciding who may open it
fails ``test_every_url_has_an_access_rule``; removing an entry fails it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, membership_of
from peerpath.accounts.choices import Role

STAFF = frozenset(
    {
        "supporter_matched",
        "supporter_unmatched",
        "moderator",
        "coordinator",
        "org_admin",
        "outsider",
    }
)
EVERYONE_SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}


@dataclass(frozen=True)
class Rule:
    """Who gets what. ``allowed`` get ``ok``; other signed-in people get 404/403."""

    kind: str  # "public", "login_stage", "signed_in", "restricted", "admin"
    allowed: frozenset[str] = frozenset()
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda ctx: {})
    ok: tuple[int, ...] = (200,)
    method: str = "get"  # POST-only addresses are tried with an empty POST
    # Signed out, a page that explains how to sign in (with the crisis routes) instead of the
    # sign-in redirect: the status she gets.
    signed_out: int | None = None


def public(ok: tuple[int, ...] = (200, 302), **kw: Any) -> Rule:
    return Rule("public", ok=ok, **kw)


def login_stage(**kw: Any) -> Rule:
    """A step inside signing in: without a sign-in in progress it sends you back to the start."""
    return Rule("login_stage", ok=(200, 302), **kw)


def signed_in(ok: tuple[int, ...] = (200, 302), **kw: Any) -> Rule:
    return Rule("signed_in", allowed=EVERYONE_SIGNED_IN, ok=ok, **kw)


def restricted(*allowed: str, **kw: Any) -> Rule:
    return Rule("restricted", allowed=frozenset(allowed), **kw)


# An allowed admin may still get 403 where the admin itself forbids an action (adding an
# organisation, deleting an audit event); what matters is that nobody else gets in.
ADMIN = Rule("admin", allowed=frozenset({"org_admin", "outsider"}), ok=(200, 302, 403))
# Safeguarding leads get in too, for the site's own pages and the safeguarding pages only: the
# coordinator persona is one of the charity's further leads (``_safeguarding_setup``).
ADMIN_AND_LEADS = Rule(
    "admin", allowed=frozenset({"org_admin", "outsider", "coordinator"}), ok=(200, 302, 403)
)
ADMIN_SITE_PAGES = frozenset(
    {
        "admin:index",
        "admin:jsi18n",
        "admin:login",
        "admin:password_change",
        "admin:password_change_done",
    }
)
# The safeguarding set-up, and the alert tier each check-in risk answer raises.
SAFEGUARDING_ADMIN_PREFIX = ("admin:safeguarding_", "admin:checkins_risktier")


def _supervised(ctx: dict[str, Any]) -> dict[str, Any]:
    """The unmatched peer supporter's record in her charity."""
    place = membership_of(ctx["supporter_unmatched"], Role.PEER_SUPPORTER)
    return {"slug": ctx["organisation"].slug, "public_id": place.public_id}


def _match_kwargs(ctx: dict[str, Any], name: str = "") -> dict[str, Any]:
    kwargs: dict[str, Any] = {"public_id": ctx["match"].public_id}
    if name in {"goal_done", "step_add"}:
        kwargs["goal_id"] = ctx["goal"].public_id
    if name == "step_done":
        kwargs["step_id"] = ctx["step"].public_id
    return kwargs


ACCESS: dict[str, Rule] = {
    # Public pages.
    "core:home": public(ok=(200,)),
    "core:privacy": public(ok=(200,)),
    "core:accessibility": public(ok=(200,)),
    "core:cookies": public(ok=(200,)),
    "safeguarding:help_now": public(ok=(200,)),
    "core:healthz": public(ok=(200,)),
    "accounts:your_information": public(ok=(200,)),
    "accounts:invitation_accept": public(
        ok=(404,), kwargs=lambda ctx: {"token": "not-a-real-token"}
    ),
    # Her own account: anyone signed in, about themselves only.
    "accounts:account_home": signed_in(ok=(200,)),
    "accounts:account_profile": signed_in(ok=(200,)),
    "accounts:account_consent": signed_in(ok=(200,)),
    "accounts:account_data": signed_in(ok=(200,)),
    "accounts:account_data_json": signed_in(ok=(200,)),
    "accounts:account_data_page": signed_in(ok=(200,)),
    "accounts:account_delete": signed_in(ok=(200,)),
    "accounts:account_supporter_profile": restricted("supporter_matched", "supporter_unmatched"),
    # Notifications.
    "notifications:inbox": signed_in(ok=(200,)),
    "notifications:notification_preferences": signed_in(ok=(200,)),
    "notifications:mobile_check": restricted(*STAFF),
    "notifications:inbox_mark_read": signed_in(ok=(302,), method="post"),
    "notifications:push_subscribe": signed_in(ok=(400,), method="post"),  # an empty form is refused
    "notifications:push_unsubscribe": signed_in(ok=(200,), method="post"),
    "notifications:notification_open": restricted(
        "member", kwargs=lambda ctx: {"public_id": ctx["notification"].public_id}, ok=(302,)
    ),
    "notifications:service_worker": public(ok=(200,)),
    # Bookings: hers alone.
    "bookings:my_bookings": signed_in(ok=(200,)),
    "bookings:booking_create": signed_in(
        ok=(302,), method="post", kwargs=lambda ctx: {"public_id": ctx["session"].public_id}
    ),
    "bookings:booking_cancel": restricted(
        "member",
        ok=(302,),
        method="post",
        kwargs=lambda ctx: {"public_id": ctx["booking"].public_id},
    ),
    "bookings:booking_accept": restricted(
        "member",
        ok=(302,),
        method="post",
        kwargs=lambda ctx: {"public_id": ctx["booking"].public_id},
    ),
    "bookings:calendar_feed_create": signed_in(ok=(302,), method="post"),
    "bookings:calendar_feed_reset": signed_in(ok=(302,), method="post"),
    # Her private calendar feed: the secret address is the key, so no sign-in.
    "bookings:calendar_feed": public(ok=(404,), kwargs=lambda ctx: {"token": "not-a-real-token"}),
    # The register: the charity's coordinators and admins, and the group's facilitators.
    "bookings:session_register": restricted(
        "coordinator", "org_admin", kwargs=lambda ctx: {"public_id": ctx["session"].public_id}
    ),
    # Saved searches: hers alone.
    "directory:saved_search_create": signed_in(ok=(200,)),
    "directory:saved_searches": signed_in(ok=(200,)),
    "directory:saved_search_delete": restricted(
        "member",
        ok=(302,),
        method="post",
        kwargs=lambda ctx: {"public_id": ctx["saved_search"].public_id},
    ),
    # Find support: open to everyone, including its Open Referral UK JSON.
    "directory:openreferral_services": public(ok=(200,)),
    "directory:openreferral_service": public(
        ok=(200,), kwargs=lambda ctx: {"public_id": ctx["service"].public_id}
    ),
    "directory:find_support": public(ok=(200,)),
    "directory:service_detail": public(
        ok=(200,), kwargs=lambda ctx: {"public_id": ctx["service"].public_id}
    ),
    "directory:service_calendar": public(
        ok=(200,), kwargs=lambda ctx: {"public_id": ctx["service"].public_id}
    ),
    "notifications:notification_failures": restricted(
        "org_admin", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    "notifications:notification_failure_retry": restricted(
        "org_admin",
        kwargs=lambda ctx: {
            "slug": ctx["organisation"].slug,
            "public_id": ctx["failed_delivery"].public_id,
        },
        ok=(302,),
        method="post",
    ),
    # Staff pages.
    "accounts:staff_home": restricted(*STAFF),
    "accounts:staff_member_detail": restricted(
        "member",
        "supporter_matched",
        "coordinator",
        "org_admin",
        kwargs=lambda ctx: {"public_id": membership_of(ctx["member"], Role.MEMBER).public_id},
    ),
    "accounts:staff_members": restricted(
        "coordinator", "org_admin", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    "accounts:staff_member_create": restricted(
        "coordinator", "org_admin", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    "accounts:staff_invitations": restricted(
        "org_admin", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    "audit:audit_search": restricted(
        "org_admin", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    # Listings, places, times and sessions, and the gaps: the charity's coordinators and admins.
    **{
        name: restricted(
            "coordinator", "org_admin", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
        )
        for name in (
            "directory:staff_listings",
            "directory:staff_listing_create",
            "directory:staff_location_create",
            "directory:staff_gaps",
        )
    },
    **{
        name: restricted(
            "coordinator",
            "org_admin",
            kwargs=lambda ctx: {
                "slug": ctx["organisation"].slug,
                "public_id": ctx["service"].public_id,
            },
        )
        for name in (
            "directory:staff_listing",
            "directory:staff_listing_edit",
            "directory:staff_sessions",
            "directory:staff_schedule_create",
        )
    },
    **{
        name: restricted(
            "coordinator",
            "org_admin",
            ok=(302,),
            method="post",
            kwargs=lambda ctx: {
                "slug": ctx["organisation"].slug,
                "public_id": ctx["service"].public_id,
            },
        )
        for name in ("directory:staff_listing_checked",)
    },
    # Taking a listing down starts with a page saying who will be told.
    "directory:staff_listing_active": restricted(
        "coordinator",
        "org_admin",
        kwargs=lambda ctx: {
            "slug": ctx["organisation"].slug,
            "public_id": ctx["service"].public_id,
        },
    ),
    **{
        name: restricted(
            "coordinator",
            "org_admin",
            kwargs=lambda ctx: {
                "slug": ctx["organisation"].slug,
                "public_id": ctx["session"].public_id,
            },
        )
        for name in ("directory:staff_session_cancel", "directory:staff_session_move")
    },
    "directory:staff_location_edit": restricted(
        "coordinator",
        "org_admin",
        kwargs=lambda ctx: {
            "slug": ctx["organisation"].slug,
            "public_id": ctx["session"].service.location.public_id,
        },
    ),
    "directory:staff_schedule_end": restricted(
        "coordinator",
        "org_admin",
        kwargs=lambda ctx: {
            "slug": ctx["organisation"].slug,
            "public_id": _schedule(ctx["service"]).public_id,
        },
    ),
    # Safeguarding. Asking for contact: members. Alerts: the charity's coordinators and admins
    # (and its safeguarding leads); the alerts she raised: any staff, her own only.
    "safeguarding:ask_for_contact": restricted("member", "other_member", signed_out=200),
    "safeguarding:ask_for_contact_sent": restricted("member", "other_member"),
    "safeguarding:alerts_home": restricted("coordinator", "org_admin", "outsider", ok=(302,)),
    **{
        name: restricted(
            "coordinator", "org_admin", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
        )
        for name in (
            "safeguarding:alerts_dashboard",
            "safeguarding:alerts_list",
            "safeguarding:alerts_numbers",
            "safeguarding:rota",
        )
    },
    # The new address is shown in the answer itself, never stored.
    "safeguarding:duty_feed_create": restricted(
        "coordinator",
        "org_admin",
        ok=(200,),
        method="post",
        kwargs=lambda ctx: {"slug": ctx["organisation"].slug},
    ),
    "safeguarding:alerts_raised": restricted(*STAFF),
    "safeguarding:alert_detail": restricted(
        "coordinator", "org_admin", kwargs=lambda ctx: {"public_id": ctx["alert"].public_id}
    ),
    # Already acknowledged: the link leads on to the alert itself.
    "safeguarding:alert_acknowledge": restricted(
        "coordinator",
        "org_admin",
        ok=(302,),
        kwargs=lambda ctx: {"public_id": ctx["alert"].public_id},
    ),
    **{
        name: restricted(
            "coordinator",
            "org_admin",
            ok=(400,),  # an empty form is sent back with its errors
            method="post",
            kwargs=lambda ctx: {"public_id": ctx["alert"].public_id},
        )
        for name in (
            "safeguarding:alert_record",
            "safeguarding:alert_follow_up",
            "safeguarding:alert_hand_over",
            "safeguarding:alert_close",
        )
    },
    "safeguarding:alert_follow_up_done": restricted(
        "coordinator",
        "org_admin",
        ok=(302,),
        method="post",
        kwargs=lambda ctx: {
            "public_id": ctx["alert"].public_id,
            "follow_up_id": ctx["follow_up"].public_id,
        },
    ),
    # Staff who may see the member raise an alert about her: her matched supporter too.
    "safeguarding:alert_raise_for_member": restricted(
        "supporter_matched",
        "coordinator",
        "org_admin",
        kwargs=lambda ctx: {"public_id": membership_of(ctx["member"], Role.MEMBER).public_id},
    ),
    "safeguarding:duty_feed": public(ok=(404,), kwargs=lambda ctx: {"token": "not-a-real-token"}),
    # Check-ins: a member's own (both members agreed to health data use, ``_checkins``).
    **{
        name: restricted("member", "other_member", ok=(200,))
        for name in ("checkins:home", "checkins:sharing", "checkins:reminders")
    },
    **{
        name: restricted(
            "member", "other_member", ok=(200,), kwargs=lambda ctx: {"instrument_id": "gad7"}
        )
        for name in ("checkins:before", "checkins:trend")
    },
    "checkins:start": restricted(
        "member",
        "other_member",
        ok=(302,),
        method="post",
        kwargs=lambda ctx: {"instrument_id": "gad7"},
    ),
    "checkins:question": restricted(
        "member", kwargs=lambda ctx: {"public_id": ctx["draft"].public_id, "number": 1}
    ),
    # Asks first (GET); the POST throws the answers away.
    "checkins:discard": restricted(
        "member", kwargs=lambda ctx: {"public_id": ctx["draft"].public_id}
    ),
    # Only after a risk answer; otherwise back to her check-ins.
    "checkins:risk_help": restricted(
        "member", ok=(302,), kwargs=lambda ctx: {"public_id": ctx["draft"].public_id}
    ),
    # The neutral address her reminders carry: on to her check-ins.
    "checkins:reminder_link": signed_in(ok=(302,)),
    "checkins:result": restricted(
        "member", kwargs=lambda ctx: {"public_id": ctx["checkin"].public_id}
    ),
    "checkins:sharing_stop": restricted(
        "member", ok=(302,), method="post", kwargs=lambda ctx: {"public_id": ctx["share"].public_id}
    ),
    # What she shared, for the person she shared it with (her matched supporter) alone.
    "checkins:shared": restricted(
        "supporter_matched", kwargs=lambda ctx: {"public_id": ctx["share"].public_id}
    ),
    # Supervision: the charity's coordinators and safeguarding leads (the coordinator persona
    # is one of its leads; the org admin is neither); her own page, every peer supporter.
    "supervision:overview": restricted(
        "coordinator", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    "supervision:supporter": restricted("coordinator", kwargs=_supervised),
    **{
        name: restricted(
            "coordinator",
            ok=(400,),  # an empty form is sent back with its errors
            method="post",
            kwargs=_supervised,
        )
        for name in (
            "supervision:training_record",
            "supervision:check_record",
            "supervision:session_record",
        )
    },
    # An empty limit gives her the organisation's own.
    "supervision:caseload_set": restricted(
        "coordinator", ok=(302,), method="post", kwargs=_supervised
    ),
    "supervision:wellbeing_followed_up": restricted(
        "coordinator",
        ok=(302,),
        method="post",
        kwargs=lambda ctx: {**_supervised(ctx), "checkin_id": ctx["wellbeing"].public_id},
    ),
    "supervision:mine": restricted("supporter_matched", "supporter_unmatched"),
    "supervision:wellbeing": restricted(
        "supporter_matched", "supporter_unmatched", ok=(400,), method="post"
    ),
    # One-to-one support (``_buddying``): the member is matched with supporter_matched, has a
    # goal with a step, and has asked again; the request waits on supporter_unmatched's answer.
    "buddying:mine": restricted("member", "other_member"),
    "buddying:ask": restricted("member", "other_member", ok=(200, 302)),
    "buddying:withdraw": restricted("member", "other_member", ok=(200, 302)),
    "buddying:someone_else": restricted("member", kwargs=_match_kwargs),
    "buddying:match": restricted("member", kwargs=_match_kwargs),
    "buddying:match_staff": restricted("supporter_matched", "coordinator", kwargs=_match_kwargs),
    "buddying:contact_log": restricted("supporter_matched", kwargs=_match_kwargs),
    **{
        f"buddying:{name}{suffix}": restricted(
            allowed, ok=(302, 400), method="post", kwargs=lambda ctx, n=name: _match_kwargs(ctx, n)
        )
        for name in ("agreement", "goal_add", "goal_done", "step_add", "step_done")
        for suffix, allowed in (("", "member"), ("_staff", "supporter_matched"))
    },
    "buddying:step_remind": restricted(
        "member", ok=(302,), method="post", kwargs=lambda ctx: _match_kwargs(ctx, "step_done")
    ),
    "buddying:pause": restricted(
        "supporter_matched", "coordinator", ok=(302,), method="post", kwargs=_match_kwargs
    ),
    "buddying:review": restricted(
        "supporter_matched", "coordinator", ok=(302,), method="post", kwargs=_match_kwargs
    ),
    "buddying:end": restricted("supporter_matched", "coordinator", kwargs=_match_kwargs),
    # After a planned ending, for her alone.
    "buddying:goodbye": restricted(
        "member", kwargs=lambda ctx: {"public_id": ctx["ended_match"].public_id}
    ),
    "buddying:interest_take": restricted(
        "coordinator",
        ok=(302,),
        method="post",
        kwargs=lambda ctx: {
            "slug": ctx["organisation"].slug,
            "public_id": ctx["interest"].public_id,
        },
    ),
    "buddying:matches": restricted(
        "coordinator", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    "buddying:queue_home": restricted("coordinator", "outsider", ok=(302,)),
    "buddying:queue": restricted(
        "coordinator", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    "buddying:propose_all": restricted(
        "coordinator", kwargs=lambda ctx: {"slug": ctx["organisation"].slug}
    ),
    "buddying:request_detail": restricted(
        "coordinator",
        kwargs=lambda ctx: {
            "slug": ctx["organisation"].slug,
            "public_id": ctx["support_request"].public_id,
        },
    ),
    "buddying:propose": restricted(
        "coordinator",
        ok=(400,),
        method="post",
        kwargs=lambda ctx: {
            "slug": ctx["organisation"].slug,
            "public_id": ctx["support_request"].public_id,
        },
    ),
    "buddying:proposal": restricted(
        "supporter_unmatched", kwargs=lambda ctx: {"public_id": ctx["proposal"].public_id}
    ),
    # Signing in (django-allauth).
    "account_login": public(),
    "account_logout": public(),
    "account_inactive": public(),
    "account_signup": public(),
    "account_email_verification_sent": public(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key_done": public(),
    "account_confirm_login_code": login_stage(),
    "account_confirm_email": public(kwargs=lambda ctx: {"key": "not-a-real-key"}),
    "account_reset_password_from_key": public(
        kwargs=lambda ctx: {"uidb36": "zz", "key": "not-a-real-key"}
    ),
    "mfa_authenticate": login_stage(),
    "account_reauthenticate": signed_in(),
    "account_email": signed_in(),
    "account_change_password": signed_in(),
    "account_set_password": signed_in(),
    "mfa_index": signed_in(),
    "mfa_reauthenticate": signed_in(),
    "mfa_activate_totp": signed_in(),
    # Only someone with an authenticator has these; allauth answers 404 to everyone else.
    "mfa_deactivate_totp": restricted(*STAFF, ok=(200, 302)),
    "mfa_view_recovery_codes": restricted(*STAFF, ok=(200, 302)),
    "mfa_generate_recovery_codes": signed_in(),
    "mfa_download_recovery_codes": restricted(*STAFF, ok=(200, 302)),
    "usersessions_list": signed_in(),
    # The admin has no sign-in or sign-out of its own: both lead to the project's pages.
    "admin:logout": public(ok=(302,)),
    # Without its query parameters the autocomplete answers 403 even to an org admin.
    # Organisations have no public page of their own, so "view on site" finds nothing.
    "admin:view_on_site": Rule("admin", allowed=frozenset({"org_admin", "outsider"}), ok=(404,)),
    "admin:autocomplete": Rule(
        "admin", allowed=frozenset({"org_admin", "outsider", "coordinator"}), ok=(403,)
    ),
}

# Django's admin: every admin URL follows one rule (org admins with two-step verification),
# widened to the safeguarding leads for the site's own pages and the safeguarding pages.
ADMIN_PREFIX = "admin:"
# Patterns without a name that are allowed to exist: Django admin's catch-all and its
# redirects from old-style object addresses, all behind the same admin permission.
UNNAMED_ALLOWED_PREFIX = "admin/"


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str | None, str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def all_urls() -> list[tuple[str | None, str, URLPattern]]:
    return list(_walk(get_resolver()))


def rule_for(name: str) -> Rule | None:
    if name in ACCESS:
        return ACCESS[name]
    if name in ADMIN_SITE_PAGES or name.startswith(SAFEGUARDING_ADMIN_PREFIX):
        return ADMIN_AND_LEADS
    if name.startswith(ADMIN_PREFIX):
        return ADMIN
    return None


def test_every_url_has_an_access_rule():
    missing = [
        f"{name or '(unnamed)'} -> /{pattern}"
        for name, pattern, _ in all_urls()
        if (name is None and not pattern.startswith(UNNAMED_ALLOWED_PREFIX))
        or (name and rule_for(name) is None)
    ]
    assert missing == [], "Add these URLs to ACCESS in tests/test_access_matrix.py"
    names = {name for name, _, _ in all_urls() if name}
    stale = sorted(set(ACCESS) - names)  # entries for URLs that were removed
    assert stale == [], f"ACCESS lists URLs that no longer exist: {stale}"


def _admin_kwargs(name: str, pattern: URLPattern, ctx: dict[str, Any]) -> dict[str, Any] | None:
    """Arguments for an admin URL: an object of the admin's own organisation."""
    converters = set(pattern.pattern.regex.groupindex)
    if not converters:
        return {}
    if converters == {"app_label"}:
        return {"app_label": "accounts"}
    if converters == {"content_type_id", "object_id"}:
        from django.contrib.contenttypes.models import ContentType

        organisation = ctx["organisation"]
        return {
            "content_type_id": str(ContentType.objects.get_for_model(organisation).pk),
            "object_id": str(organisation.pk),
        }
    if "object_id" in converters and name.endswith(("_change", "_history", "_delete")):
        from django.apps import apps

        app_label, rest = name[len(ADMIN_PREFIX) :].split("_", 1)
        model_name = rest.rsplit("_", 1)[0]
        model = apps.get_model(app_label, model_name)
        own = ctx["own_objects"].get(model._meta.label)
        if own is None:
            return None
        return {"object_id": str(own.pk)}
    return None


def _delivered_notification(member: Any, organisation: Any) -> Any:
    """A notification that has reached the member's inbox."""
    from peerpath.notifications.models import Delivery, DeliveryStatus
    from peerpath.notifications.services import notify

    notification = notify(
        recipient=member, purpose="session_reminder", link="/", organisation=organisation
    )
    Delivery.objects.filter(notification=notification).update(status=DeliveryStatus.SENT)
    return notification


def _listing(organisation: Any) -> Any:
    import datetime as dt

    from peerpath.directory.models import Service

    return Service.objects.create(
        organisation=organisation,
        name="Helpline",
        kind="helpline",
        summary="Call us.",
        last_checked_on=dt.date(2026, 1, 1),
    )


def _schedule(service: Any) -> Any:
    import datetime as dt

    from django.utils import timezone

    from peerpath.directory.models import Schedule

    return Schedule.objects.create(
        service=service,
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        rrule="FREQ=WEEKLY",
    )


def _session_and_booking(organisation: Any, member: Any) -> tuple[Any, Any]:
    import datetime as dt

    from django.utils import timezone

    from peerpath.bookings.services import booking_create
    from peerpath.directory.models import Location, Occurrence, Service

    location = Location.objects.create(
        organisation=organisation, name="Hall", address="1 High St", area="Exeter"
    )
    service = Service.objects.create(
        organisation=organisation,
        name="Course",
        kind="activity_group",
        summary="A course.",
        location=location,
        booking_required=True,
        capacity=30,
        last_checked_on=dt.date(2026, 1, 1),
    )
    starts = timezone.now() + dt.timedelta(days=3)
    session = Occurrence.objects.create(
        service=service,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        original_starts_at=starts,
        weekday=0,
        time_of_day="morning",
    )
    return session, booking_create(actor=member, occurrence=session)


def _saved_search(member: Any) -> Any:
    from django.http import QueryDict

    from peerpath.directory.alerts import saved_search_create

    return saved_search_create(user=member, data=QueryDict("where=online"))


def _failed_delivery(notification: Any) -> Any:
    from peerpath.notifications.models import Delivery, DeliveryStatus

    return Delivery.objects.create(
        notification=notification,
        channel="sms",
        due_at=notification.due_at,
        status=DeliveryStatus.FAILED,
        last_error="HTTP 400",
    )


def _alert(organisation: Any, personas: dict[str, Any]) -> tuple[Any, Any]:
    """An alert the matched supporter raised about the member, acknowledged by the
    coordinator, with a follow-up."""
    import datetime as dt

    from django.utils import timezone

    from peerpath.safeguarding.services import alert_acknowledge, alert_raise, follow_up_add

    alert = alert_raise(
        actor=personas["supporter_matched"],
        organisation=organisation,
        source="contact_log",
        tier=1,
        member=personas["member"],
        context="She said she wished she wasn't here.",
    )
    alert = alert_acknowledge(actor=personas["coordinator"], alert=alert)
    follow_up = follow_up_add(
        actor=personas["coordinator"],
        alert=alert,
        owner=personas["coordinator"],
        description="Warm contact today",
        due_at=timezone.now() + dt.timedelta(hours=2),
    )
    return alert, follow_up


def _safeguarding_setup(organisation: Any, personas: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt

    from django.utils import timezone

    from peerpath.core.actors import OPERATOR
    from peerpath.safeguarding.models import RotaOverride, RotaSlot, SafeguardingLead
    from peerpath.safeguarding.rota import staffed_hours_for
    from peerpath.safeguarding.services import (
        alert_tiers_seed_defaults,
        rota_override_save,
        rota_slot_save,
        safeguarding_setting_save,
    )

    tiers = alert_tiers_seed_defaults(organisation=organisation, actor=OPERATOR)
    hours = staffed_hours_for(organisation)
    safeguarding_setting_save(actor=OPERATOR, obj=hours, changed=[])
    lead = SafeguardingLead(organisation=organisation, person=personas["coordinator"])
    safeguarding_setting_save(actor=OPERATOR, obj=lead, changed=["person"])
    slot = rota_slot_save(
        actor=OPERATOR,
        slot=RotaSlot(
            organisation=organisation,
            position="primary",
            starts_at=dt.time(8),
            ends_at=dt.time(22),
            rotation_starts_on=dt.date(2026, 1, 5),
        ),
        changed=[],
        people=[personas["coordinator"]],
    )
    now = timezone.now()
    override = rota_override_save(
        actor=OPERATOR,
        override=RotaOverride(
            organisation=organisation,
            position="backup",
            starts_at=now + dt.timedelta(days=1),
            ends_at=now + dt.timedelta(days=1, hours=4),
            person=personas["org_admin"],
        ),
        changed=[],
    )
    return {
        "safeguarding.AlertTier": tiers[0],
        "safeguarding.StaffedHours": hours,
        "safeguarding.SafeguardingLead": lead,
        "safeguarding.RotaSlot": slot,
        "safeguarding.RotaOverride": override,
    }


def _risk_tier(organisation: Any) -> Any:
    from peerpath.checkins.models import RiskTier
    from peerpath.checkins.services import risk_tier_save
    from peerpath.core.actors import OPERATOR

    row = RiskTier(organisation=organisation, instrument="phq9", answer_score=1, tier=1)
    return risk_tier_save(actor=OPERATOR, obj=row, changed=["tier"])


def _supervision(organisation: Any, personas: dict[str, Any]) -> dict[str, Any]:
    """A training module, the supervision interval, and a wellbeing check-in of the unmatched
    supporter asking to talk."""
    from peerpath.core.actors import OPERATOR
    from peerpath.supervision.models import SupervisionPolicy, TrainingModule
    from peerpath.supervision.services import (
        supervision_policy_save,
        training_module_save,
        wellbeing_checkin_submit,
    )

    module = training_module_save(
        actor=OPERATOR,
        obj=TrainingModule(organisation=organisation, name="Safeguarding", valid_for_months=12),
        changed=["name"],
    )
    policy = supervision_policy_save(
        actor=OPERATOR,
        obj=SupervisionPolicy(organisation=organisation, interval_days=31),
        changed=["interval_days"],
    )
    wellbeing = wellbeing_checkin_submit(
        actor=personas["supporter_unmatched"],
        supporter=membership_of(personas["supporter_unmatched"], Role.PEER_SUPPORTER),
        feeling="struggling",
        note="",
        wants_to_talk=True,
    )
    return {
        "wellbeing": wellbeing,
        "own": {"supervision.TrainingModule": module, "supervision.SupervisionPolicy": policy},
    }


def _checkins(personas: dict[str, Any]) -> dict[str, Any]:
    """Both members agreed to health data use; the member has a finished check-in, one she
    has not finished, and shares her results with her matched supporter."""
    from conftest import ensure_consent_texts
    from peerpath.accounts.models import ConsentKind
    from peerpath.accounts.services import consent_give
    from peerpath.checkins.services import (
        checkin_answer,
        checkin_complete,
        checkin_start,
        share_save,
    )

    ensure_consent_texts()
    for name in ("member", "other_member"):
        consent_give(actor=personas[name], user=personas[name], kind=ConsentKind.HEALTH_DATA)
    member = membership_of(personas["member"], Role.MEMBER)
    done = checkin_start(actor=personas["member"], membership=member, instrument_id="gad2")
    for number in (1, 2):
        checkin_answer(actor=personas["member"], checkin=done, item_number=number, option_index=0)
    checkin_complete(actor=personas["member"], checkin=done)
    draft = checkin_start(actor=personas["member"], membership=member, instrument_id="gad7")
    share = share_save(
        actor=personas["member"],
        membership=member,
        viewer=membership_of(personas["supporter_matched"], Role.PEER_SUPPORTER),
        instrument_ids=["gad2"],
    )
    return {"checkin": done, "draft": draft, "share": share}


def _buddying(personas: dict[str, Any]) -> dict[str, Any]:
    """The member's match with supporter_matched (a goal with a step), and a request she made
    since, proposed to supporter_unmatched. Run after ``_checkins`` (health data consent)."""
    from peerpath.buddying.models import Goal, Match, Proposal, Step, SupporterInterest
    from peerpath.buddying.services import support_request_create

    member = membership_of(personas["member"], Role.MEMBER)
    match = Match.objects.get(member=member)
    goal = Goal.objects.create(match=match, words="Sleep more", written_by=personas["member"])
    step = Step.objects.create(goal=goal, words="Nap when the baby naps")
    request = support_request_create(
        actor=personas["member"], member=member, modes=["phone"], rhythm="weekly"
    )
    proposal = Proposal.objects.create(
        request=request,
        supporter=membership_of(personas["supporter_unmatched"], Role.PEER_SUPPORTER),
        proposed_by=personas["coordinator"],
    )
    request.status = "proposed"
    request.save(update_fields=["status"])
    ended_match = Match.objects.create(
        organisation=member.organisation,
        member=member,
        supporter=membership_of(personas["supporter_unmatched"], Role.PEER_SUPPORTER),
        status="ended",
        ended_at=match.created_at,
    )
    interest = SupporterInterest.objects.create(member=member)
    return {
        "ended_match": ended_match,
        "interest": interest,
        "match": match,
        "goal": goal,
        "step": step,
        "support_request": request,
        "proposal": proposal,
    }


def _is_login_redirect(response: Any) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith((reverse("account_login"), reverse("admin:login")))
    )


NAMED = sorted({name for name, _, _ in all_urls() if name})


@pytest.mark.parametrize("name", NAMED)
def test_each_persona_gets_exactly_the_access_its_role_allows(name, personas, organisation):
    from peerpath.safeguarding.tests.factories import CrisisContactFactory

    pattern = next(p for n, _, p in all_urls() if n == name)
    rule = rule_for(name)
    assert rule is not None
    ctx: dict[str, Any] = {**personas, "organisation": organisation}
    ctx["notification"] = _delivered_notification(personas["member"], organisation)
    ctx["failed_delivery"] = _failed_delivery(ctx["notification"])
    ctx["service"] = _listing(organisation)
    ctx["session"], ctx["booking"] = _session_and_booking(organisation, personas["member"])
    ctx["saved_search"] = _saved_search(personas["member"])
    ctx["alert"], ctx["follow_up"] = _alert(organisation, personas)
    safeguarding = _safeguarding_setup(organisation, personas)
    ctx.update(_checkins(personas))
    ctx.update(_buddying(personas))
    supervision = _supervision(organisation, personas)
    ctx["wellbeing"] = supervision["wellbeing"]
    from peerpath.accounts.models import ConsentText
    from peerpath.audit.models import Action
    from peerpath.audit.services import audit_record

    ctx["own_objects"] = {
        "accounts.Organisation": organisation,
        "accounts.Membership": membership_of(personas["org_admin"], Role.ORG_ADMIN),
        "accounts.ConsentText": ConsentText.objects.order_by("pk").first(),
        "safeguarding.CrisisContact": CrisisContactFactory(organisation=organisation),
        **safeguarding,
        "checkins.RiskTier": _risk_tier(organisation),
        **supervision["own"],
        "audit.AuditEvent": audit_record(
            actor=personas["org_admin"],
            action=Action.UPDATE,
            obj=organisation,
            organisation=organisation,
        ),
    }
    if rule.kind == "admin":
        kwargs = _admin_kwargs(name, pattern, ctx)
        assert kwargs is not None, f"Teach _admin_kwargs how to build arguments for {name}"
    else:
        kwargs = rule.kwargs(ctx)
    url = reverse(name, kwargs=kwargs or None)
    outcomes = {}
    for persona in PERSONAS:
        client = Client()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        response = client.post(url) if rule.method == "post" else client.get(url)
        outcomes[persona] = response.status_code
        assert response.status_code < 500, f"{persona} got {response.status_code} at {url}"
        if rule.kind == "login_stage":
            assert response.status_code in rule.ok, f"{persona}: {response.status_code} at {url}"
        elif rule.kind == "public":
            assert response.status_code in rule.ok, f"{persona}: {response.status_code} at {url}"
            assert not _is_login_redirect(response), f"{persona} sent to sign in at {url}"
        elif persona == "anonymous" and rule.signed_out is not None:
            assert response.status_code == rule.signed_out, f"anonymous at {url}"
            assert not _is_login_redirect(response)
        elif persona == "anonymous":
            assert _is_login_redirect(response), f"anonymous: {response.status_code} at {url}"
        elif persona in rule.allowed:
            assert response.status_code in rule.ok, f"{persona}: {response.status_code} at {url}"
            assert not _is_login_redirect(response)
        elif rule.kind == "admin":
            # Signed in without permission: sent to the admin's sign-in, which answers 404.
            assert _is_login_redirect(response) or response.status_code == 404, outcomes
        else:
            assert response.status_code in (403, 404), f"{persona}: {response.status_code} at {url}"
