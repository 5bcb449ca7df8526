"""Amelia has checked in on her worry (GAD-7) every two weeks for six weeks, and once on her
mood (PHQ-9); she has a fortnightly reminder. Nothing is shared: she chooses that herself."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership
from peerpath.checkins.models import CheckIn
from peerpath.checkins.services import (
    checkin_answer,
    checkin_complete,
    checkin_start,
    reminder_save,
)
from peerpath.core import clock
from peerpath.core.actors import DEMO
from peerpath.core.demo import DemoWorld, demo_step

# Option positions for each question, oldest first: her worry easing over six weeks.
GAD7 = ((2, 2, 2, 1, 1, 2, 1), (1, 2, 1, 1, 1, 1, 1), (1, 1, 1, 0, 1, 1, 0), (0, 1, 1, 0, 0, 1, 0))
PHQ9 = (1, 1, 2, 2, 1, 1, 1, 0, 0)


def _done(
    membership: Membership, instrument_id: str, answers: tuple[int, ...], days_ago: int
) -> None:
    checkin = checkin_start(actor=DEMO, membership=membership, instrument_id=instrument_id)
    for number, index in enumerate(answers, start=1):
        checkin_answer(actor=DEMO, checkin=checkin, item_number=number, option_index=index)
    checkin = checkin_complete(actor=DEMO, checkin=checkin)
    when = clock.now() - dt.timedelta(days=days_ago)
    CheckIn.objects.filter(pk=checkin.pk).update(
        created_at=when, completed_at=when, completed_on=timezone.localdate(when)
    )


@demo_step
def seed(world: DemoWorld) -> None:
    membership = Membership.objects.get(
        user=world.people["amelia"], role=Role.MEMBER, ended_at__isnull=True
    )
    for weeks_ago, answers in zip((6, 4, 2, 0), GAD7, strict=True):
        _done(membership, "gad7", answers, days_ago=weeks_ago * 7 + 1)
    _done(membership, "phq9", PHQ9, days_ago=15)
    reminder_save(actor=DEMO, membership=membership, every_days=14, at_hour=10)
