"""Every change to people, organisations, roles, profiles and consents goes through here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from peerpath.accounts import hooks
from peerpath.accounts.access import forget_roles
from peerpath.accounts.choices import Role
from peerpath.accounts.models import (
    ConsentDecision,
    ConsentKind,
    ConsentMethod,
    ConsentRecord,
    ConsentText,
    Invitation,
    MemberProfile,
    Membership,
    Organisation,
    SupporterProfile,
    User,
)
from peerpath.accounts.pseudonyms import pseudonym
from peerpath.accounts.site import forget_site_identity
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, changed_fields
from peerpath.core import clock
from peerpath.core.actors import SIGN_UP, Actor
from peerpath.core.services import UNSET, Unset, apply_changes, given
from peerpath.core.tokens import secret_token, token_hash

INVITATION_DAYS = 7
HEALTH_FIELDS = ("stage", "due_date", "baby_birth_date", "experiences")


class ConsentRequiredError(Exception):
    """Health details were given without explicit consent to use them."""


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    name: str,
    slug: str,
    contact_email: str = "",
    contact_phone: str = "",
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, slug=slug, contact_email=contact_email, contact_phone=contact_phone
    )
    audit_record(actor=actor, action=Action.CREATE, obj=organisation, organisation=organisation)
    transaction.on_commit(forget_site_identity)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str | Unset = UNSET,
    contact_email: str | Unset = UNSET,
    contact_phone: str | Unset = UNSET,
    safeguarding_lead: User | Unset | None = UNSET,
    default_caseload: int | Unset = UNSET,
) -> Organisation:
    values = given(
        name=name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        safeguarding_lead=safeguarding_lead,
        default_caseload=default_caseload,
    )
    fields = apply_changes(organisation, values)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=organisation,
        organisation=organisation,
        fields=fields,
    )
    transaction.on_commit(forget_site_identity)
    return organisation


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    email: str,
    password: str | None = None,
    display_name: str = "",
    phone: str = "",
) -> User:
    user = User.objects.create_user(
        email=email, password=password, display_name=display_name or pseudonym(), phone=phone
    )
    audit_record(actor=actor, action=Action.CREATE, obj=user, fields=["email", "display_name"])
    return user


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user: User,
    display_name: str | Unset = UNSET,
    preferred_language: str | Unset = UNSET,
    phone: str | Unset = UNSET,
) -> User:
    values = given(display_name=display_name, preferred_language=preferred_language, phone=phone)
    before = {name: getattr(user, name) for name in values}
    for name, value in values.items():
        setattr(user, name, value)
    user.save(update_fields=[*values, "updated_at"])
    fields = changed_fields(before, user)
    if fields:
        audit_record(actor=actor, action=Action.UPDATE, obj=user, fields=fields)
    return user


@transaction.atomic
def membership_grant(
    *, actor: Actor, user: User, organisation: Organisation, role: Role | str
) -> Membership:
    """Give a role (creating the matching profile); granting a role held already is a no-op."""
    existing = Membership.objects.filter(
        user=user, organisation=organisation, role=role, ended_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    if role == Role.MEMBER:
        MemberProfile.objects.create(membership=membership)
    elif role == Role.PEER_SUPPORTER:
        SupporterProfile.objects.create(
            membership=membership, capacity=organisation.default_caseload
        )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=membership,
        organisation=organisation,
        fields=["role"],
    )
    forget_roles(user)
    return membership


@transaction.atomic
def membership_end(
    *,
    actor: Actor,
    membership: Membership,
    ended_at: dt.datetime | None = None,
    detail: str = "",
) -> Membership:
    """End a role (now, unless an admin gives the moment it ended)."""
    membership.ended_at = ended_at or clock.now()
    membership.save(update_fields=["ended_at", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=membership,
        organisation=membership.organisation,
        fields=["ended_at"],
        detail=detail,
    )
    forget_roles(membership.user)
    return membership


MEMBER_PROFILE_ERASED: dict[str, Any] = {
    "area": "",
    "baby_birth_date": None,
    "contact_methods": [],
    "contact_notes": "",
    "due_date": None,
    "experiences": [],
    "languages": [],
    "stage": "",
}
SUPPORTER_PROFILE_ERASED: dict[str, Any] = {
    "areas": [],
    "availability": {},
    "languages": [],
    "lived_experiences": [],
}


def _profile_erase(
    *, actor: Actor, profile: MemberProfile | SupporterProfile, blanks: dict[str, Any]
) -> None:
    for name, value in blanks.items():
        setattr(profile, name, value)
    profile.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=profile,
        organisation=profile.membership.organisation,
        fields=blanks,
        detail="erasure",
    )


@transaction.atomic
def member_profile_erase(*, actor: Actor, profile: MemberProfile) -> MemberProfile:
    """Blank every detail she gave (erasure); the empty profile stays for the membership."""
    _profile_erase(actor=actor, profile=profile, blanks=MEMBER_PROFILE_ERASED)
    return profile


@transaction.atomic
def supporter_profile_erase(*, actor: Actor, profile: SupporterProfile) -> SupporterProfile:
    _profile_erase(actor=actor, profile=profile, blanks=SUPPORTER_PROFILE_ERASED)
    return profile


# Consent --------------------------------------------------------------------------------------


def current_consent_text(kind: ConsentKind | str) -> ConsentText:
    text = ConsentText.objects.filter(kind=kind).order_by("-version").first()
    if text is None:
        raise LookupError(f"No {kind} text has been published.")
    return text


def has_consent(user: User, kind: ConsentKind | str) -> bool:
    """True when her latest decision on this kind of consent is 'given'."""
    latest = (
        ConsentRecord.objects.filter(user=user, text__kind=kind)
        .order_by("-created_at", "-pk")
        .values_list("decision", flat=True)
        .first()
    )
    return latest == ConsentDecision.GIVEN


@transaction.atomic
def consent_text_publish(
    *, actor: Actor, kind: ConsentKind | str, title: str, body: str
) -> ConsentText:
    latest = ConsentText.objects.filter(kind=kind).order_by("-version").first()
    text = ConsentText.objects.create(
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        title=title,
        body=body,
        published_at=clock.now(),
    )
    audit_record(actor=actor, action=Action.CREATE, obj=text)
    return text


@transaction.atomic
def consent_give(
    *,
    actor: User,
    user: User,
    kind: ConsentKind | str,
    method: ConsentMethod | str = ConsentMethod.ONLINE,
) -> ConsentRecord:
    record = ConsentRecord.objects.create(
        user=user,
        text=current_consent_text(kind),
        decision=ConsentDecision.GIVEN,
        method=method,
        recorded_by=None if actor == user else actor,
    )
    audit_record(actor=actor, action=Action.CREATE, obj=record, fields=["decision"])
    return record


@transaction.atomic
def consent_withdraw(*, actor: User, user: User, kind: ConsentKind | str) -> ConsentRecord:
    """Withdraw consent. Withdrawing health-data consent removes the health details held."""
    record = ConsentRecord.objects.create(
        user=user,
        text=current_consent_text(kind),
        decision=ConsentDecision.WITHDRAWN,
        method=ConsentMethod.ONLINE if actor == user else ConsentMethod.PHONE,
        recorded_by=None if actor == user else actor,
    )
    audit_record(actor=actor, action=Action.CREATE, obj=record, fields=["decision"])
    if kind == ConsentKind.HEALTH_DATA:
        profiles = MemberProfile.objects.filter(membership__user=user)
        for profile in profiles:
            member_profile_update(
                actor=actor,
                profile=profile,
                stage="",
                due_date=None,
                baby_birth_date=None,
                experiences=[],
            )
        hooks.health_data_consent_withdrawn(actor=actor, user=user)
    return record


# Member profile -------------------------------------------------------------------------------


@transaction.atomic
def member_profile_update(
    *,
    actor: Actor,
    profile: MemberProfile,
    stage: str | Unset = UNSET,
    due_date: dt.date | Unset | None = UNSET,
    baby_birth_date: dt.date | Unset | None = UNSET,
    area: str | Unset = UNSET,
    languages: list[str] | Unset = UNSET,
    experiences: list[str] | Unset = UNSET,
    contact_methods: list[str] | Unset = UNSET,
    contact_notes: str | Unset = UNSET,
) -> MemberProfile:
    """Change what she has told us. Health details need her current health-data consent."""
    values = given(
        stage=stage,
        due_date=due_date,
        baby_birth_date=baby_birth_date,
        area=area,
        languages=languages,
        experiences=experiences,
        contact_methods=contact_methods,
        contact_notes=contact_notes,
    )
    giving_health_details = any(
        values.get(name) not in (None, "", []) for name in HEALTH_FIELDS if name in values
    )
    if giving_health_details and not has_consent(profile.membership.user, ConsentKind.HEALTH_DATA):
        raise ConsentRequiredError("Consent to use health information has not been given.")
    fields = apply_changes(profile, values)
    if fields:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=profile,
            organisation=profile.membership.organisation,
            fields=fields,
        )
    return profile


@transaction.atomic
def supporter_profile_update(
    *,
    actor: Actor,
    profile: SupporterProfile,
    lived_experiences: list[str] | Unset = UNSET,
    languages: list[str] | Unset = UNSET,
    areas: list[str] | Unset = UNSET,
    capacity: int | Unset | None = UNSET,
    availability: dict[str, list[str]] | Unset = UNSET,
) -> SupporterProfile:
    values = given(
        lived_experiences=lived_experiences,
        languages=languages,
        areas=areas,
        capacity=capacity,
        availability=availability,
    )
    fields = apply_changes(profile, values)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=profile,
        organisation=profile.membership.organisation,
        fields=fields,
    )
    return profile


# Sign-up and accounts made by staff ------------------------------------------------------------


@transaction.atomic
def member_register(*, user: User, organisation: Organisation | None) -> Membership | None:
    """A person who signed up herself joins the installation's organisation as a member."""
    if organisation is None:
        return None
    membership = membership_grant(
        actor=user, user=user, organisation=organisation, role=Role.MEMBER
    )
    consent_give(actor=user, user=user, kind=ConsentKind.PRIVACY_NOTICE)
    return membership


@transaction.atomic
def member_create_on_behalf(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    display_name: str,
    consent_method: ConsentMethod | str,
) -> User:
    """A coordinator makes an account for a woman who asked for one, recording her consent.

    The caller sends her a link to choose her own password; nobody else ever knows it.
    """
    from allauth.account.models import EmailAddress

    user = user_create(actor=actor, email=email, display_name=display_name)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    membership_grant(actor=actor, user=user, organisation=organisation, role=Role.MEMBER)
    consent_give(actor=actor, user=user, kind=ConsentKind.PRIVACY_NOTICE, method=consent_method)
    return user


@transaction.atomic
def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: Role | str
) -> tuple[Invitation, str]:
    """Returns the invitation and its one-time token (only its hash is stored)."""
    if role not in {choice.value for choice in Role} or role == Role.MEMBER:
        raise ValueError("Invitations are for staff roles.")
    token = secret_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.lower(),
        role=role,
        invited_by=actor,
        token_hash=token_hash(token),
        expires_at=clock.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=invitation,
        organisation=organisation,
        fields=["email", "role"],
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation this token belongs to, or None if unknown, used, revoked or expired."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(
            token_hash=token_hash(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=clock.now(),
        )
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    if user.email.lower() != invitation.email:
        raise PermissionError("This invitation was sent to a different email address.")
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(
        actor=user,
        action=Action.UPDATE,
        obj=invitation,
        organisation=invitation.organisation,
        fields=["accepted_at"],
    )
    return membership_grant(
        actor=user, user=user, organisation=invitation.organisation, role=invitation.role
    )


@transaction.atomic
def invitation_signup(*, invitation: Invitation, password: str, display_name: str) -> User:
    """A newcomer creates her account from an invitation and takes up its role."""
    from allauth.account.models import EmailAddress

    user = user_create(
        actor=SIGN_UP, email=invitation.email, password=password, display_name=display_name
    )
    # The link arrived at this address, so the address is verified.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=invitation,
        organisation=invitation.organisation,
        fields=["revoked_at"],
    )
    return invitation


# Security -------------------------------------------------------------------------------------


@transaction.atomic
def sessions_end_elsewhere(*, request: HttpRequest, user: User) -> None:
    """Sign out of every other device: used after a password or two-step verification change."""
    from django.contrib.auth import update_session_auth_hash

    User.objects.filter(pk=user.pk).update(session_epoch=user.session_epoch + 1)
    user.refresh_from_db(fields=["session_epoch"])
    if request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
    audit_record(actor=user, action=Action.UPDATE, obj=user, fields=["session_epoch"])
