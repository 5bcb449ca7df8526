"""What accounts holds about a person: her account, memberships, profiles, consents,
invitations, the safeguarding-lead role, her sign-in records (allauth) and the admin's history.
Registered with ``peerpath.core.privacy``; run by ``peerpath.accounts.subject_rights``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from peerpath.accounts.models import (
    ConsentRecord,
    Invitation,
    MemberProfile,
    Membership,
    Organisation,
    SupporterProfile,
    User,
)
from peerpath.accounts.services import (
    member_profile_erase,
    membership_end,
    organisation_update,
    supporter_profile_erase,
)
from peerpath.core.actors import Actor
from peerpath.core.privacy import PersonalData, register

ERASED_DISPLAY_NAME = "Former member"


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def erased_email(user: User) -> str:
    return f"erased-{user.public_id}@erased.invalid"


def export(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("created_at")
    )
    member_profiles = {
        p.membership_id: p for p in MemberProfile.objects.filter(membership__user=user)
    }
    supporter_profiles = {
        p.membership_id: p for p in SupporterProfile.objects.filter(membership__user=user)
    }
    entries = []
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
        entries.append(entry)
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "phone": user.phone,
            "joined": _date(user.created_at),
            "last_sign_in": _date(user.last_login),
        },
        "memberships": entries,
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
        "other_email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "safeguarding_lead_for": sorted(
            Organisation.objects.filter(safeguarding_lead=user).values_list("name", flat=True)
        ),
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    """Removed: email, display name, phone, password, two-step verification, every profile
    detail, every session. Kept: consent records (proof of what was agreed) and the bare
    memberships, now ended, which later safeguarding records may point to."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    for profile in MemberProfile.objects.filter(membership__user=user).select_related(
        "membership__organisation", "membership__user"
    ):
        member_profile_erase(actor=actor, profile=profile)
    for supporter in SupporterProfile.objects.filter(membership__user=user).select_related(
        "membership__organisation"
    ):
        supporter_profile_erase(actor=actor, profile=supporter)
    for membership in Membership.objects.filter(user=user, ended_at__isnull=True).select_related(
        "organisation", "user"
    ):
        membership_end(actor=actor, membership=membership, detail="erasure")
    for organisation in Organisation.objects.filter(safeguarding_lead=user):
        organisation_update(actor=actor, organisation=organisation, safeguarding_lead=None)
    Invitation.objects.filter(Q(email=user.email.lower()) | Q(accepted_by=user)).update(
        email=erased_email(user), updated_at=now
    )
    _forget_admin_history(user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = erased_email(user)
    user.display_name = ERASED_DISPLAY_NAME
    user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.erased_at = now
    user.session_epoch += 1
    user.save()


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


register(
    PersonalData(
        app="accounts",
        export=export,
        erase=erase,
        models=(
            "accounts.User",
            "accounts.MemberProfile",
            "accounts.SupporterProfile",
            "accounts.Invitation",
            "accounts.Organisation",
            "account.EmailAddress",
            "mfa.Authenticator",
            "usersessions.UserSession",
            "admin.LogEntry",
        ),
        kept={
            "accounts.Membership": "ended, not deleted: later safeguarding records may point "
            "to it; it holds no detail about her once her profile is blanked",
            "accounts.ConsentRecord": "proof of what she agreed to and when (UK GDPR Art. 7(1))",
        },
    )
)
