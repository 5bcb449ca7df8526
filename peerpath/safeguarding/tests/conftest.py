from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.accounts.models import Organisation, User
from peerpath.accounts.services import organisation_update
from peerpath.core.actors import OPERATOR
from peerpath.jobs.worker import Worker
from peerpath.notifications.channels.sms import MemorySmsBackend
from peerpath.notifications.models import Notification
from peerpath.safeguarding.models import DutyPosition, RotaSlot
from peerpath.safeguarding.services import (
    alert_tiers_seed_defaults,
    crisis_contacts_seed_defaults,
    rota_slot_save,
)

LONDON = ZoneInfo("Europe/London")


def london(*args: int) -> dt.datetime:
    """A London wall-clock moment as an aware datetime."""
    return dt.datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


# A Tuesday in March, before the clocks change: staffed (8am to 10pm) at 10am.
IN_HOURS = london(2027, 3, 2, 10, 0)


@dataclass
class Duty:
    organisation: Organisation
    primary: User
    backup: User
    lead: User
    supporter: User
    member: User


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def duty(organisation: Organisation) -> Duty:
    """A charity with the reference tiers, staffed 8am to 10pm, Ash on duty, Bay as backup
    and Cedar its safeguarding lead; every one of them has a mobile."""
    primary = make_person(organisation, Role.COORDINATOR, display_name="Ash", phone="+447700900001")
    backup = make_person(organisation, Role.COORDINATOR, display_name="Bay", phone="+447700900002")
    lead = make_person(organisation, Role.ORG_ADMIN, display_name="Cedar", phone="+447700900003")
    supporter = make_person(organisation, Role.PEER_SUPPORTER, display_name="Hazel")
    member = make_person(organisation, Role.MEMBER, display_name="Sunflower 101")
    organisation_update(actor=OPERATOR, organisation=organisation, safeguarding_lead=lead)
    alert_tiers_seed_defaults(organisation=organisation, actor=OPERATOR)
    crisis_contacts_seed_defaults(organisation=organisation, actor=OPERATOR)
    for position, person in ((DutyPosition.PRIMARY, primary), (DutyPosition.BACKUP, backup)):
        rota_slot_save(
            actor=OPERATOR,
            slot=RotaSlot(
                organisation=organisation,
                position=position,
                starts_at=dt.time(8, 0),
                ends_at=dt.time(22, 0),
                rotation_starts_on=dt.date(2027, 1, 4),
            ),
            changed=[],
            people=[person],
        )
    return Duty(organisation, primary, backup, lead, supporter, member)


def run_worker() -> None:
    """What the worker process does, until nothing is due. In the test's transaction: the
    worker's own connection housekeeping would close it (the worker process itself is run in
    the reliability tests)."""
    with patch("peerpath.jobs.worker.close_old_connections"):
        Worker(poll_seconds=0, lease_seconds=60, worker_id="test-worker").run(until_idle=True)


def pages(person: User, purpose: str = "safeguarding_alert") -> int:
    return Notification.objects.filter(recipient=person, purpose=purpose).count()
