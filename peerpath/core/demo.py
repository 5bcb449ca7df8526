"""Invented demo data, so a newcomer sees PeerPath as a charity would run it.

Each app adds its part to ``seed_demo`` as it arrives. Never available in production settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from peerpath.accounts.models import Organisation
from peerpath.accounts.services import organisation_create
from peerpath.safeguarding.services import crisis_contacts_seed_defaults

DEMO_ORGANISATION_SLUG = "harbour-parents"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


# Filled as sign-in and roles arrive; `make run` prints them.
DEMO_ACCOUNTS: list[DemoAccount] = []


def demo_allowed() -> None:
    if not settings.PEERPATH_DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demo data is never loaded with these settings.")


def database_is_empty() -> bool:
    return not Organisation.objects.exists()


@transaction.atomic
def seed_demo() -> Organisation:
    """Create the invented charity "Harbour Parents Peer Support" and its demo content."""
    demo_allowed()
    organisation = organisation_create(
        actor=None,
        name="Harbour Parents Peer Support",
        slug=DEMO_ORGANISATION_SLUG,
        contact_email="hello@harbour-parents.example",
        contact_phone="01632 960 111",
    )
    crisis_contacts_seed_defaults(organisation=organisation, actor=None)
    return organisation
