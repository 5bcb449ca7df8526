from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from peerpath.accounts.site import site_identity
from peerpath.safeguarding.models import Urgency
from peerpath.safeguarding.querysets import crisis_contacts_for_organisation

logger = logging.getLogger(__name__)


@require_safe
def help_now(request: HttpRequest) -> HttpResponse:
    try:
        contacts = list(crisis_contacts_for_organisation(site_identity().organisation_id))
    except DatabaseError:
        # This page must answer even when the database does not: the template then shows
        # the fixed emergency and Samaritans numbers (hazard H3).
        logger.exception("Crisis contacts unavailable; showing the fixed fallback")
        contacts = []
    return render(
        request,
        "safeguarding/help_now.jinja",
        {
            "emergency": [c for c in contacts if c.urgency == Urgency.EMERGENCY],
            "urgent": [c for c in contacts if c.urgency == Urgency.URGENT],
            "support": [c for c in contacts if c.urgency == Urgency.SUPPORT],
        },
    )
