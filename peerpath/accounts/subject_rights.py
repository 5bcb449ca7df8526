"""Her rights over what is held about her: a copy of everything, and erasure."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerpath.accounts.models import (
    ConsentRecord,
    MemberProfile,
    Membership,
    SupporterProfile,
    User,
)
from peerpath.audit.models import Action, AuditEvent
from peerpath.audit.services import audit_record
from peerpath.core import clock

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
    for session in UserSession.objects.filter(user=user):
        session.end()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"erased-{user.public_id}@erased.invalid"
    user.display_name = ERASED_DISPLAY_NAME
    user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.erased_at = now
    user.session_epoch += 1
    user.save()
    return user
