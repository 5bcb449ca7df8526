"""Safeguarding records about her are kept; her place on the duty rota is not.

Her copy of everything lists the requests for contact she made herself. Alerts raised by
others about her, and their logs, are safeguarding records: kept at erasure (the Data (Use and
Access) Act 2025 safeguarding basis; Working Together 2023 asks that decisions are recorded)
and given in a subject access request only after a person has reviewed them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from peerpath.core.privacy import PersonalData, register
from peerpath.safeguarding.models import (
    Alert,
    AlertSource,
    RotaOverride,
    RotaTurn,
    SafeguardingLead,
)
from peerpath.safeguarding.services import duty_feed_delete, rota_person_remove

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor

KEPT_REASON = (
    "a safeguarding record: kept under the safeguarding basis and reviewed by a person "
    "before it is disclosed"
)


def export(user: User) -> dict[str, Any]:
    return {
        "requests_for_contact": [
            {
                "asked": alert.created_at.isoformat(),
                "how_to_contact": alert.contact_preference,
                "status": alert.get_status_display(),
            }
            for alert in Alert.objects.filter(
                member=user, raised_by=user, source=AlertSource.MEMBER_REQUEST
            ).order_by("-created_at")[:200]
        ],
        "duty_rota_turns": RotaTurn.objects.filter(person=user).count(),
        "duty_rota_changes": RotaOverride.objects.filter(person=user).count(),
        "further_safeguarding_lead_for": list(
            SafeguardingLead.objects.filter(person=user).values_list(
                "organisation__name", flat=True
            )
        ),
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    rota_person_remove(actor=actor, person=user, now=now)
    duty_feed_delete(actor=actor, user=user)


register(
    PersonalData(
        app="safeguarding",
        export=export,
        erase=erase,
        models=(
            "safeguarding.RotaTurn",
            "safeguarding.SafeguardingLead",
            "safeguarding.DutyFeed",
        ),
        kept={
            "safeguarding.Alert": KEPT_REASON,
            "safeguarding.AlertAction": KEPT_REASON,
            "safeguarding.FollowUp": KEPT_REASON,
            "safeguarding.RotaOverride": "past changes to the duty rota show who was on duty "
            "when an alert came in; they point at the anonymised account",
        },
    )
)
