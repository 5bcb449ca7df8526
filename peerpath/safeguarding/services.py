"""Every change to crisis contacts goes through a function here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, audit_record_many
from peerpath.safeguarding.models import CrisisContact, Nation, Urgency

if TYPE_CHECKING:
    from collections.abc import Iterable

    from peerpath.accounts.models import Organisation
    from peerpath.core.actors import Actor

# The contacts in docs/clinical-safety (source: shared reference CLINICAL.md). Every one is
# seeded unverified: someone must check it before an organisation goes live (hazard H1).
DEFAULT_CRISIS_CONTACTS: tuple[dict[str, Any], ...] = (
    {
        "urgency": Urgency.EMERGENCY,
        "name": "Emergency services",
        "description": (
            "Call 999 or go to A&E if you or your baby are in danger right now, "
            "or if you have hurt yourself badly."
        ),
        "phone": "999",
        "hours": "24 hours, every day",
    },
    {
        "urgency": Urgency.URGENT,
        "nation": Nation.ENGLAND,
        "name": "NHS 111",
        "description": "Call 111 and select the mental health option. For urgent help today.",
        "phone": "111",
        "hours": "24 hours, every day",
    },
    {
        "urgency": Urgency.URGENT,
        "nation": Nation.WALES,
        "name": "NHS 111 Wales",
        "description": "Call 111 and press 2 for mental health support.",
        "phone": "111",
    },
    {
        "urgency": Urgency.URGENT,
        "nation": Nation.SCOTLAND,
        "name": "NHS 24",
        "description": "Call 111 for urgent help.",
        "phone": "111",
    },
    {
        "urgency": Urgency.URGENT,
        "nation": Nation.NORTHERN_IRELAND,
        "name": "Lifeline",
        "description": "Crisis support for anyone in distress or despair.",
        "phone": "0808 808 8000",
    },
    {
        "urgency": Urgency.SUPPORT,
        "name": "Samaritans",
        "description": "Talk to someone about anything that is troubling you. Free to call.",
        "phone": "116 123",
        "email": "jo@samaritans.org",
        "hours": "24 hours, every day",
    },
    {
        "urgency": Urgency.SUPPORT,
        "name": "Shout",
        "description": (
            "If you would rather text than talk. New parents and people affected by baby loss "
            "can text HUG to the same number."
        ),
        "text_number": "85258",
        "text_keyword": "SHOUT",
        "hours": "24 hours, every day",
    },
    {
        "urgency": Urgency.SUPPORT,
        "name": "PANDAS Foundation helpline",
        "description": "Support for parents and families with perinatal mental illness.",
        "phone": "0808 1961 776",
    },
)


@transaction.atomic
def crisis_contacts_seed_defaults(
    *, organisation: Organisation, actor: Actor
) -> list[CrisisContact]:
    """Give an organisation the standard UK contacts, unverified, if it has none yet."""
    if CrisisContact.objects.filter(organisation=organisation).exists():
        return []
    contacts = [
        CrisisContact(organisation=organisation, position=position * 10, **values)
        for position, values in enumerate(DEFAULT_CRISIS_CONTACTS, start=1)
    ]
    CrisisContact.objects.bulk_create(contacts)
    audit_record_many(
        actor=actor, action=Action.CREATE, objects=contacts, organisation=organisation
    )
    return contacts


@transaction.atomic
def crisis_contact_save(
    *, actor: Actor, contact: CrisisContact, changed: Iterable[str]
) -> CrisisContact:
    """Save a contact an admin added or changed (the admin form has set its fields)."""
    adding = contact._state.adding
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if adding else Action.UPDATE,
        obj=contact,
        organisation=contact.organisation,
        fields=changed,
        detail="admin site",
    )
    return contact


@transaction.atomic
def crisis_contact_delete(*, actor: Actor, contact: CrisisContact) -> None:
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=contact,
        organisation=contact.organisation,
        detail="admin site",
    )
    contact.delete()


@transaction.atomic
def crisis_contact_verify(
    *, contact: CrisisContact, actor: Actor, checked_on: dt.date, note: str
) -> CrisisContact:
    """Record that someone checked the number and hours against the service's own source."""
    contact.last_verified_on = checked_on
    contact.verification_note = note
    contact.save(update_fields=["last_verified_on", "verification_note", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=contact,
        organisation=contact.organisation,
        fields=["last_verified_on", "verification_note"],
    )
    return contact
