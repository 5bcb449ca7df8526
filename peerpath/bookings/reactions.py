"""How bookings reacts to changes in the directory (``peerpath.directory.hooks``), in the
same transaction: the people booked are told, and more places go to people waiting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from peerpath.bookings import querysets
from peerpath.bookings.services import (
    Change,
    bookings_place_changed,
    bookings_places_changed,
    bookings_session_changed,
)
from peerpath.directory import hooks

if TYPE_CHECKING:
    from peerpath.core.actors import Actor
    from peerpath.directory.models import Occurrence, Service


@hooks.session_cancelled.register
def tell_people_booked_of_a_cancellation(*, actor: Actor, occurrence: Occurrence) -> None:
    bookings_session_changed(actor=actor, occurrence=occurrence, change=Change.CANCELLED)


@hooks.session_moved.register
def tell_people_booked_of_a_move(
    *, actor: Actor, occurrence: Occurrence, previous_starts_at: dt.datetime
) -> None:
    bookings_session_changed(
        actor=actor,
        occurrence=occurrence,
        change=Change.MOVED,
        previous_starts_at=previous_starts_at,
    )


@hooks.listing_place_changed.register
def tell_people_booked_of_a_new_place(*, actor: Actor, services: Sequence[Service]) -> None:
    bookings_place_changed(actor=actor, services=services)


@hooks.listing_capacity_changed.register
def offer_places_to_people_waiting(*, actor: Actor, service: Service) -> None:
    bookings_places_changed(actor=actor, service=service)


@hooks.count_people_booked.register
def count_people_booked(*, sessions: Sequence[Occurrence], counts: dict[int, int]) -> None:
    for occurrence_id, people in querysets.people_booked(sessions).items():
        counts[occurrence_id] = counts.get(occurrence_id, 0) + people


@hooks.count_people_booked_ahead.register
def count_people_booked_ahead(*, service: Service, headcount: hooks.Headcount) -> None:
    headcount.people += querysets.people_booked_ahead(service)
