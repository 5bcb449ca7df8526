from __future__ import annotations

from django.db.models import QuerySet

from peerpath.safeguarding.models import CrisisContact


def crisis_contacts_for_organisation(organisation_id: int | None) -> QuerySet[CrisisContact]:
    """Active contacts of one organisation, in the order its administrators chose."""
    if organisation_id is None:
        return CrisisContact.objects.none()
    return CrisisContact.objects.filter(organisation_id=organisation_id, is_active=True).order_by(
        "position", "name"
    )
