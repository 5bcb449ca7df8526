"""What the directory tells the apps above it, inside the change's own transaction.

The directory does not know who booked what: bookings registers receivers for these hooks in
``peerpath/bookings/reactions.py`` and tells the people booked (see ``peerpath.core.hooks``).
A receiver that raises rolls the whole change back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peerpath.core.hooks import hook

if TYPE_CHECKING:
    from peerpath.core.actors import Actor
    from peerpath.directory.models import Occurrence, Service


@hook
def session_cancelled(*, actor: Actor, occurrence: Occurrence) -> None:
    """One session was cancelled (it is saved as cancelled)."""


@hook
def session_moved(*, actor: Actor, occurrence: Occurrence, previous_starts_at: dt.datetime) -> None:
    """One session was moved from ``previous_starts_at`` to its (saved) new time."""


@hook
def listing_place_changed(*, actor: Actor, services: Sequence[Service]) -> None:
    """Where these listings meet changed: the place, its address or directions, online or not,
    or how to join. Called once per change, after the listings or their place are saved."""


@hook
def listing_capacity_changed(*, actor: Actor, service: Service) -> None:
    """The number of places at a listing's sessions, or whether booking is needed, changed."""


@hook
def count_people_booked(*, sessions: Sequence[Occurrence], counts: dict[int, int]) -> None:
    """Add to ``counts`` (by session pk) the people holding a place at each session (for the
    staff pages that say how many will be told)."""


@dataclass
class Headcount:
    """A count the receivers of a hook add to (a hook returns nothing)."""

    people: int = 0


@hook
def count_people_booked_ahead(*, service: Service, headcount: Headcount) -> None:
    """Add to ``headcount`` the people who hold or wait for a place at the listing's future
    sessions (asked before a listing is taken down, to say how many will be told)."""
