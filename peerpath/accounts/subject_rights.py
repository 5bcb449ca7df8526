"""Her rights over what is held about her: a copy of everything, and erasure."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from peerpath.accounts.models import (
    ConsentRecord,
    Invitation,
    MemberProfile,
    Membership,
    SupporterProfile,
    User,
)
from peerpath.audit.models import Action, AuditEvent
from peerpath.audit.services import audit_record
from peerpath.core import clock
from peerpath.directory.models import SavedSearch
from peerpath.notifications.models import (
    Notification,
    NotificationPreference,
    PushSubscription,
)

ERASED_DISPLAY_NAME = "Former member"
ERASED_PROFILE_FIELDS = (
    "area",
    "baby_birth_date",
    "contact_methods",
    "contact_notes",
    "due_date",
    "experiences",
    "languages",
    "stage",
)


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def member_data_export(*, actor: User, user: User) -> dict[str, Any]:
    """Everything PeerPath holds about this person, in plain structures (for JSON and HTML)."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("created_at")
    )
    member_profiles = {
        p.membership_id: p for p in MemberProfile.objects.filter(membership__user=user)
    }
    supporter_profiles = {
        p.membership_id: p for p in SupporterProfile.objects.filter(membership__user=user)
    }
    data: dict[str, Any] = {
        "exported_at": clock.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "phone": user.phone,
            "joined": _date(user.created_at),
            "last_sign_in": _date(user.last_login),
        },
        "memberships": [],
        "consents": [
            {
                "text": record.text.title,
                "version": record.text.version,
                "decision": record.decision,
                "method": record.method,
                "when": _date(record.created_at),
            }
            for record in ConsentRecord.objects.filter(user=user).select_related("text")
        ],
        "other_email_addresses": _email_addresses(user),
        "matches": _matches(user),
        "notifications": [
            {"when": _date(n.due_at), "what": n.get_purpose_display(), "read": _date(n.read_at)}
            for n in Notification.objects.filter(recipient=user).order_by("-due_at")[:500]
        ],
        "notification_choices": _notification_choices(user),
        "bookings": _bookings(user),
        "groups_you_run": sorted(user.facilitated_services.values_list("name", flat=True)),
        "private_calendar_address": _has_calendar_feed(user),
        "saved_searches": [
            {"search": saved.description, "since": _date(saved.created_at)}
            for saved in SavedSearch.objects.filter(user=user)
        ],
        "activity": [
            {
                "when": _date(event.at),
                "what": event.get_action_display(),
                "record": event.object_type,
            }
            for event in AuditEvent.objects.filter(actor=user).order_by("-at")[:500]
        ],
    }
    for membership in memberships:
        entry: dict[str, Any] = {
            "organisation": membership.organisation.name,
            "role": membership.get_role_display(),
            "since": _date(membership.created_at),
            "ended": _date(membership.ended_at),
        }
        member = member_profiles.get(membership.pk)
        if member is not None:
            entry["profile"] = {
                "stage": member.get_stage_display() if member.stage else "",
                "due_date": _date(member.due_date),
                "baby_birth_date": _date(member.baby_birth_date),
                "area": member.area,
                "languages": member.languages,
                "experiences": member.experiences,
                "contact_methods": member.contact_methods,
                "contact_notes": member.contact_notes,
            }
        supporter = supporter_profiles.get(membership.pk)
        if supporter is not None:
            entry["supporter_profile"] = {
                "lived_experiences": supporter.lived_experiences,
                "languages": supporter.languages,
                "areas": supporter.areas,
                "availability": supporter.availability,
                "capacity": supporter.capacity,
            }
        data["memberships"].append(entry)
    audit_record(actor=actor, action=Action.EXPORT, obj=user)
    return data


@transaction.atomic
def user_erase(*, actor: User, user: User) -> User:
    """Anonymise her. Keeps only what law and safeguarding require, and shows it to nobody new.

    Removed: email, display name, phone, password, two-step verification, every profile detail,
    every session. Kept: consent records and the audit log (proof of what was agreed and who
    looked), and the bare memberships and matches, now ended, which later safeguarding records
    may point to. Nothing kept becomes visible to anyone who could not see it before.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    now = clock.now()
    audit_record(actor=actor, action=Action.DELETE, obj=user, detail="erasure")
    for profile in MemberProfile.objects.filter(membership__user=user).select_related(
        "membership__organisation"
    ):
        profile.stage = ""
        profile.due_date = None
        profile.baby_birth_date = None
        profile.area = ""
        profile.languages = []
        profile.experiences = []
        profile.contact_methods = []
        profile.contact_notes = ""
        profile.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=profile,
            organisation=profile.membership.organisation,
            fields=ERASED_PROFILE_FIELDS,
            detail="erasure",
        )
    for supporter in SupporterProfile.objects.filter(membership__user=user).select_related(
        "membership__organisation"
    ):
        supporter.lived_experiences = []
        supporter.languages = []
        supporter.areas = []
        supporter.availability = {}
        supporter.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=supporter,
            organisation=supporter.membership.organisation,
            fields=["areas", "availability", "languages", "lived_experiences"],
            detail="erasure",
        )
    open_memberships = list(
        Membership.objects.filter(user=user, ended_at__isnull=True).select_related("organisation")
    )
    Membership.objects.filter(pk__in=[m.pk for m in open_memberships]).update(
        ended_at=now, updated_at=now
    )
    for membership in open_memberships:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=membership,
            organisation=membership.organisation,
            fields=["ended_at"],
            detail="erasure",
        )
    _end_matches(actor=actor, user=user, now=now)
    erased_email = f"erased-{user.public_id}@erased.invalid"
    Invitation.objects.filter(Q(email=user.email.lower()) | Q(accepted_by=user)).update(
        email=erased_email, updated_at=now
    )
    _forget_admin_history(user)
    PushSubscription.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    _cancel_bookings_and_searches(actor=actor, user=user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = erased_email
    user.display_name = ERASED_DISPLAY_NAME
    user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.erased_at = now
    user.session_epoch += 1
    user.save()
    return user


def _end_matches(*, actor: User, user: User, now: Any) -> None:
    """Her matches end with her: a supporter stops seeing her, and a supporter who leaves
    stops holding places for mothers who would wait for replies that never come."""
    from peerpath.buddying.models import Match, MatchStatus

    matches = list(
        Match.objects.filter(
            Q(member__user=user) | Q(supporter__user=user), status=MatchStatus.ACTIVE
        ).select_related("organisation")
    )
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(
        status=MatchStatus.ENDED, ended_at=now, updated_at=now
    )
    for match in matches:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=match,
            organisation=match.organisation,
            fields=["ended_at", "status"],
            detail="erasure",
        )


def _cancel_bookings_and_searches(*, actor: User, user: User) -> None:
    """Her places go to the next person waiting; her saved searches stop."""
    from peerpath.bookings.models import OPEN_STATUSES, Booking, CalendarFeed
    from peerpath.bookings.services import booking_cancel

    for booking in Booking.objects.filter(
        member=user, status__in=OPEN_STATUSES, occurrence__starts_at__gt=clock.now()
    ).select_related("occurrence__service"):
        booking_cancel(actor=actor, booking=booking)
    SavedSearch.objects.filter(user=user).delete()
    user.facilitated_services.clear()
    # Her private calendar address stops working.
    CalendarFeed.objects.filter(user=user).delete()


def _bookings(user: User) -> list[dict[str, Any]]:
    from peerpath.bookings.models import Booking

    return [
        {
            "session": booking.occurrence.service.name,
            "when": _date(booking.occurrence.starts_at),
            "status": booking.get_status_display(),
            "came": booking.attended,
            "first_visit": booking.first_visit,
            "booked": _date(booking.created_at),
        }
        for booking in Booking.objects.filter(member=user)
        .select_related("occurrence__service")
        .order_by("-occurrence__starts_at")[:500]
    ]


def _has_calendar_feed(user: User) -> bool:
    """Whether she has a private calendar address (the address itself is not exported)."""
    from peerpath.bookings.models import CalendarFeed

    return CalendarFeed.objects.filter(user=user).exists()


def _forget_admin_history(user: User) -> None:
    """The admin's history copies each object's name when it is changed; blank hers."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    memberships = [
        str(pk) for pk in Membership.objects.filter(user=user).values_list("pk", flat=True)
    ]
    for model, ids in ((User, [str(user.pk)]), (Membership, memberships)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids
        ).update(object_repr="(erased)")


def _email_addresses(user: User) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user)
    ]


def _matches(user: User) -> list[dict[str, Any]]:
    from peerpath.buddying.models import Match

    rows = Match.objects.filter(Q(member__user=user) | Q(supporter__user=user)).select_related(
        "member__user", "supporter__user"
    )
    return [
        {
            "you_are": "supported" if match.member.user_id == user.pk else "supporter",
            "with": (
                match.supporter.user.display_name
                if match.member.user_id == user.pk
                else match.member.user.display_name
            ),
            "status": match.get_status_display(),
            "since": _date(match.created_at),
            "ended": _date(match.ended_at),
        }
        for match in rows
    ]


def _notification_choices(user: User) -> dict[str, Any]:
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        return {"saved": False}
    return {
        "saved": True,
        "all_off": preference.all_off,
        "quiet_from": str(preference.quiet_start or ""),
        "quiet_until": str(preference.quiet_end or ""),
        "channels": preference.channels,
        "phones_and_computers_with_notifications": PushSubscription.objects.filter(
            user=user
        ).count(),
    }
