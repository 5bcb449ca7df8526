"""Amelia and Poppy have booked the next session of the Exeter skills course, which Hazel
runs (the directory's demo step names her as its facilitator)."""

from __future__ import annotations

from peerpath.bookings.services import booking_create
from peerpath.core import clock
from peerpath.core.demo import DemoWorld, demo_step
from peerpath.directory.demo import SKILLS_COURSE
from peerpath.directory.models import Occurrence


@demo_step
def seed(world: DemoWorld) -> None:
    session = (
        Occurrence.objects.filter(
            service__name=SKILLS_COURSE, starts_at__gt=clock.now(), cancelled=False
        )
        .order_by("starts_at")
        .first()
    )
    if session is not None:
        for name in ("amelia", "bea"):
            booking_create(actor=world.people[name], occurrence=session)
