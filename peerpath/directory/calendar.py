"""iCalendar (ICS) files so a woman can put sessions in her phone's calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event, vText

from peerpath.core import clock
from peerpath.directory.models import Occurrence, Service


def calendar_name(name: str) -> vText:
    """A calendar's name on one line, escaped as text: X- properties are not escaped unless
    typed, and a lone CR would start a new line for parsers that split on it."""
    return vText(" ".join(str(name).split()))


def new_calendar(product: str, name: str, *, feed: bool = False) -> Calendar:
    """An empty calendar named ``name``. A ``feed`` (a private address a calendar app keeps
    fetching) asks to be checked for changes every hour; many apps check less often."""
    calendar = Calendar()
    calendar.add("prodid", f"-//PeerPath//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", calendar_name(name))
    if feed:
        calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    return calendar


def service_calendar(service: Service, occurrences: Iterable[Occurrence], *, url: str) -> bytes:
    calendar = new_calendar("Find support", service.name)
    where = f"{service.location.name}, {service.location.address}" if service.location else "Online"
    for occurrence in occurrences:
        event = Event()
        event.add("uid", f"{occurrence.public_id}@peerpath")
        event.add("dtstamp", clock.now())
        event.add("dtstart", occurrence.starts_at)
        event.add("dtend", occurrence.ends_at)
        event.add("summary", service.name)
        event.add("location", where)
        event.add("description", f"{service.summary}\n{url}")
        event.add("url", url)
        if occurrence.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
