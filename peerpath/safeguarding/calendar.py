"""Her own duty shifts as a private calendar feed, like her bookings feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _
from icalendar import Event

from peerpath.accounts.access import roles_by_organisation
from peerpath.accounts.models import Organisation, User
from peerpath.core import clock
from peerpath.directory.calendar import new_calendar
from peerpath.safeguarding.models import DutyPosition
from peerpath.safeguarding.rota import shifts

PAST = dt.timedelta(days=7)
AHEAD = dt.timedelta(days=56)


def duty_calendar(user: User, *, rota_url: Callable[[Organisation], str]) -> bytes:
    """Her shifts from a week ago to eight weeks ahead, in every organisation she is staff of."""
    calendar = new_calendar("Your duty shifts", _("Your duty shifts"), feed=True)
    now = clock.now()
    organisations = Organisation.objects.filter(pk__in=list(roles_by_organisation(user)))
    for organisation in organisations:
        for shift in shifts(organisation, now - PAST, now + AHEAD):
            if shift.person is None or shift.person.pk != user.pk:
                continue
            event = Event()
            stamp = int(shift.starts_at.timestamp())
            event.add("uid", f"duty-{organisation.public_id}-{shift.position}-{stamp}@peerpath")
            event.add("dtstamp", now)
            event.add("dtstart", shift.starts_at)
            event.add("dtend", shift.ends_at)
            label = (
                _("On duty for alerts")
                if shift.position == DutyPosition.PRIMARY
                else _("Backup for alerts")
            )
            event.add("summary", f"{label}: {organisation.name}")
            event.add("description", rota_url(organisation))
            event.add("url", rota_url(organisation))
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
    return bytes(calendar.to_ical())
