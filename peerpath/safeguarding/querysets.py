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


def members_with_open_alerts(organisation_id: int, user_ids: list[int]) -> set[int]:
    """Which of these people have an alert in this organisation that is not closed yet (for
    queues that put risk first)."""
    from peerpath.safeguarding.models import Alert, AlertStatus

    return set(
        Alert.objects.filter(organisation_id=organisation_id, member_id__in=user_ids)
        .exclude(status=AlertStatus.CLOSED)
        .values_list("member_id", flat=True)
    )
