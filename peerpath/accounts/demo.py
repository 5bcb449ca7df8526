"""The demo charities and their people: a member who is pregnant, one whose baby is born,
peer supporters, a moderator, a coordinator (the safeguarding lead), an organisation admin, and
a coordinator of a second charity. Development only (``peerpath.core.demo``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
from peerpath.core import clock
from peerpath.core.actors import DEMO
from peerpath.core.demo import DemoWorld, demo_step

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


def database_is_empty() -> bool:
    return not Organisation.objects.exists()


def membership(user: User, role: Role) -> Membership:
    return Membership.objects.get(user=user, role=role, ended_at__isnull=True)


def _person(
    name: str, email: str, organisation: Organisation, *roles: Role, two_step: bool = False
) -> User:
    from allauth.account.models import EmailAddress
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    user = user_create(actor=DEMO, email=email, password=DEMO_PASSWORD, display_name=name)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    for role in roles:
        membership_grant(actor=DEMO, user=user, organisation=organisation, role=role)
    consent_give(actor=user, user=user, kind=ConsentKind.PRIVACY_NOTICE)
    if two_step:
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)
    return user


@demo_step
def seed(world: DemoWorld) -> None:
    today = clock.today()
    organisation = organisation_create(
        actor=DEMO,
        name="Harbour Parents Peer Support",
        slug=DEMO_ORGANISATION_SLUG,
        contact_email="hello@harbour-parents.example",
        contact_phone="01632 960 111",
    )
    riverside = organisation_create(
        actor=DEMO,
        name="Riverside Mums Network",
        slug="riverside-mums",
        contact_email="hello@riverside-mums.example",
    )
    world.organisations = {o.slug: o for o in (organisation, riverside)}

    d = DEMO_EMAIL_DOMAIN
    people = {
        "amelia": _person("Amelia (Willow 214)", f"amelia@{d}", organisation, Role.MEMBER),
        "bea": _person("Poppy 388", f"bea@{d}", organisation, Role.MEMBER),
        "hazel": _person("Hazel", f"hazel@{d}", organisation, Role.PEER_SUPPORTER, two_step=True),
        "rowan": _person("Rowan", f"rowan@{d}", organisation, Role.PEER_SUPPORTER, two_step=True),
        "maple": _person("Maple", f"maple@{d}", organisation, Role.MODERATOR, two_step=True),
        "clover": _person("Clover", f"clover@{d}", organisation, Role.COORDINATOR, two_step=True),
        "birch": _person("Birch", f"birch@{d}", organisation, Role.ORG_ADMIN, two_step=True),
        "river": _person(
            "River", f"river@{d}", riverside, Role.COORDINATOR, Role.ORG_ADMIN, two_step=True
        ),
    }
    world.people = people
    if {account.email for account in DEMO_ACCOUNTS} != {u.email for u in people.values()}:
        raise RuntimeError("DEMO_ACCOUNTS and the people seeded here have drifted apart.")

    organisation_update(actor=DEMO, organisation=organisation, safeguarding_lead=people["clover"])

    amelia, bea, hazel = people["amelia"], people["bea"], people["hazel"]
    consent_give(actor=amelia, user=amelia, kind=ConsentKind.HEALTH_DATA)
    member_profile_update(
        actor=amelia,
        profile=membership(amelia, Role.MEMBER).member_profile,
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
        profile=membership(bea, Role.MEMBER).member_profile,
        stage=Stage.BABY_BORN,
        baby_birth_date=today - dt.timedelta(weeks=9),
        area="Exmouth",
        languages=["en", "pl"],
        experiences=["nicu", "feeding"],
        contact_methods=[ContactMethod.EMAIL],
    )
    supporter_profile_update(
        actor=hazel,
        profile=membership(hazel, Role.PEER_SUPPORTER).supporter_profile,
        lived_experiences=["hyperemesis", "birth_trauma"],
        languages=["en"],
        areas=["Exeter", "Crediton"],
        availability={"mon": ["morning"], "wed": ["morning", "evening"], "fri": ["afternoon"]},
    )
