"""What every page with the crisis routes needs: the contacts grouped by how urgent they are,
and whether someone is reading now. Both answer even when the database does not (hazard H3)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError

from peerpath.core import clock
from peerpath.safeguarding.models import Nation, Urgency
from peerpath.safeguarding.querysets import crisis_contacts_for_organisation
from peerpath.safeguarding.rota import (
    is_staffed,
    next_staffed_words,
    staffed_hours_for,
    staffed_hours_words,
)

logger = logging.getLogger(__name__)


def crisis_contacts_context(organisation_id: int | None) -> dict[str, list[Any]]:
    """The organisation's crisis contacts for ``safeguarding/_crisis_first.jinja``."""
    try:
        contacts = list(crisis_contacts_for_organisation(organisation_id))
    except DatabaseError:
        # This page must answer even when the database does not: the template then shows
        # the fixed emergency and Samaritans numbers (hazard H3).
        logger.exception("Crisis contacts unavailable; showing the fixed fallback")
        contacts = []
    return {
        "emergency": [c for c in contacts if c.urgency == Urgency.EMERGENCY],
        "urgent": [c for c in contacts if c.urgency == Urgency.URGENT],
        "support": [c for c in contacts if c.urgency == Urgency.SUPPORT],
        "round_the_clock": [
            c for c in contacts if c.open_all_hours and c.urgency != Urgency.EMERGENCY
        ],
        # Urgent lines of Wales, Scotland and Northern Ireland, whose hours are not confirmed.
        "other_nations": [
            c
            for c in contacts
            if c.urgency == Urgency.URGENT
            and not c.open_all_hours
            and c.nation not in {Nation.UK, Nation.ENGLAND}
        ],
    }


def staffed_context(organisation_id: int) -> dict[str, Any]:
    """Whether someone reads alerts now, the staffed hours and when they next begin."""
    try:
        hours = staffed_hours_for(organisation_id)
    except DatabaseError:
        # Pages with the crisis routes must answer without the database (hazard H3).
        logger.exception("Staffed hours unavailable; saying nothing about them")
        return {"staffed_now": False, "hours_words": "", "next_staffed_words": ""}
    now = clock.now()
    return {
        "staffed_now": is_staffed(hours, now),
        "hours_words": staffed_hours_words(hours),
        "next_staffed_words": next_staffed_words(hours, now),
    }
