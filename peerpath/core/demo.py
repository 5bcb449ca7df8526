"""Invented demo data, so a newcomer sees PeerPath as a charity would run it.

Each app adds its part to ``seed_demo`` as it arrives. Never available in production settings:
``seed_demo`` refuses, and demo accounts cannot sign in there (see AccountAdapter).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from peerpath.accounts.choices import ContactMethod, Role, Stage
from peerpath.accounts.models import ConsentKind, Membership, Organisation, User
from peerpath.accounts.services import (
    consent_give,
    member_profile_update,
    membership_grant,
    organisation_create,
    organisation_update,
    supporter_profile_update,
    user_create,
)
from peerpath.buddying.models import Match
from peerpath.core import clock
from peerpath.safeguarding.services import crisis_contacts_seed_defaults

DEMO_ORGANISATION_SLUG = "harbour-parents"
DEMO_EMAIL_DOMAIN = "demo.peerpath.example"
DEMO_PASSWORD = "harbour-demo-2026"  # noqa: S105 - development demo only, refused in production
# The documented demo secret for two-step verification (development only).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - published demo key, development only


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    two_step: bool = False


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("member (pregnant)", f"amelia@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD),
    DemoAccount("member (baby born)", f"bea@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD),
    DemoAccount("peer supporter", f"hazel@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD, two_step=True),
    DemoAccount("peer supporter", f"rowan@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD, two_step=True),
    DemoAccount("moderator", f"maple@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD, two_step=True),
    DemoAccount("coordinator", f"clover@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD, two_step=True),
    DemoAccount("org admin", f"birch@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD, two_step=True),
    DemoAccount(
        "other charity's coordinator", f"river@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD, two_step=True
    ),
]


def is_demo_email(email: str) -> bool:
    return email.lower().endswith(f"@{DEMO_EMAIL_DOMAIN}")


def demo_allowed() -> None:
    if not settings.PEERPATH_DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demo data is never loaded with these settings.")


def database_is_empty() -> bool:
    return not Organisation.objects.exists()


def _person(
    name: str, email: str, organisation: Organisation, *roles: Role, two_step: bool = False
) -> User:
    from allauth.account.models import EmailAddress
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    user = user_create(actor=None, email=email, password=DEMO_PASSWORD, display_name=name)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    for role in roles:
        membership_grant(actor=None, user=user, organisation=organisation, role=role)
    consent_give(actor=user, user=user, kind=ConsentKind.PRIVACY_NOTICE)
    if two_step:
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)
    return user


def _membership(user: User, role: Role) -> Membership:
    return Membership.objects.get(user=user, role=role, ended_at__isnull=True)


@transaction.atomic
def seed_demo() -> Organisation:
    """Create the invented charity "Harbour Parents Peer Support", its people and contacts."""
    demo_allowed()
    today = clock.today()
    organisation = organisation_create(
        actor=None,
        name="Harbour Parents Peer Support",
        slug=DEMO_ORGANISATION_SLUG,
        contact_email="hello@harbour-parents.example",
        contact_phone="01632 960 111",
    )
    crisis_contacts_seed_defaults(organisation=organisation, actor=None)
    riverside = organisation_create(
        actor=None,
        name="Riverside Mums Network",
        slug="riverside-mums",
        contact_email="hello@riverside-mums.example",
    )
    crisis_contacts_seed_defaults(organisation=riverside, actor=None)

    accounts = {account.email: account for account in DEMO_ACCOUNTS}
    d = DEMO_EMAIL_DOMAIN
    amelia = _person("Amelia (Willow 214)", f"amelia@{d}", organisation, Role.MEMBER)
    bea = _person("Poppy 388", f"bea@{d}", organisation, Role.MEMBER)
    hazel = _person("Hazel", f"hazel@{d}", organisation, Role.PEER_SUPPORTER, two_step=True)
    _person("Rowan", f"rowan@{d}", organisation, Role.PEER_SUPPORTER, two_step=True)
    _person("Maple", f"maple@{d}", organisation, Role.MODERATOR, two_step=True)
    clover = _person("Clover", f"clover@{d}", organisation, Role.COORDINATOR, two_step=True)
    _person("Birch", f"birch@{d}", organisation, Role.ORG_ADMIN, two_step=True)
    _person("River", f"river@{d}", riverside, Role.COORDINATOR, Role.ORG_ADMIN, two_step=True)
    if set(accounts) != {u.email for u in User.objects.filter(email__endswith=d)}:
        raise RuntimeError("DEMO_ACCOUNTS and the people seeded here have drifted apart.")

    organisation_update(actor=None, organisation=organisation, safeguarding_lead=clover)

    consent_give(actor=amelia, user=amelia, kind=ConsentKind.HEALTH_DATA)
    member_profile_update(
        actor=amelia,
        profile=_membership(amelia, Role.MEMBER).member_profile,
        stage=Stage.PREGNANT,
        due_date=today + dt.timedelta(weeks=14),
        area="Exeter",
        languages=["en"],
        experiences=["hyperemesis", "previous_mental_illness"],
        contact_methods=[ContactMethod.IN_APP, ContactMethod.TEXT],
        contact_notes="Mornings are best; please do not leave voicemails.",
    )
    consent_give(actor=bea, user=bea, kind=ConsentKind.HEALTH_DATA)
    member_profile_update(
        actor=bea,
        profile=_membership(bea, Role.MEMBER).member_profile,
        stage=Stage.BABY_BORN,
        baby_birth_date=today - dt.timedelta(weeks=9),
        area="Exmouth",
        languages=["en", "pl"],
        experiences=["nicu", "feeding"],
        contact_methods=[ContactMethod.EMAIL],
    )
    supporter_profile_update(
        actor=hazel,
        profile=_membership(hazel, Role.PEER_SUPPORTER).supporter_profile,
        lived_experiences=["hyperemesis", "birth_trauma"],
        languages=["en"],
        areas=["Exeter", "Crediton"],
        availability={"mon": ["morning"], "wed": ["morning", "evening"], "fri": ["afternoon"]},
    )
    Match.objects.create(
        organisation=organisation,
        member=_membership(amelia, Role.MEMBER),
        supporter=_membership(hazel, Role.PEER_SUPPORTER),
    )
    from peerpath.directory.demo import seed_directory

    seed_directory(organisation)
    _demo_bookings(facilitator=hazel, members=[amelia, bea])
    return organisation


def _demo_bookings(*, facilitator: User, members: list[User]) -> None:
    """Hazel runs the Exeter skills course; Amelia and Poppy have booked its next session."""
    from peerpath.bookings.services import booking_create
    from peerpath.directory.models import Occurrence, Service

    course = Service.objects.filter(name="Mental Health Skills Course, Exeter").first()
    if course is None:
        return
    course.facilitators.add(facilitator)
    session = (
        Occurrence.objects.filter(service=course, starts_at__gt=clock.now(), cancelled=False)
        .order_by("starts_at")
        .first()
    )
    if session is not None:
        for member in members:
            booking_create(actor=member, occurrence=session)
