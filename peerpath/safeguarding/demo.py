"""Each demo charity starts with the standard UK crisis contacts (marked as needing checking)
and the four response tiers. The Exeter charity has a duty rota: Clover and Birch take turns
on duty and as backup, a week at a time, 8am to 10pm, each with a checked mobile; Amelia asked
for contact yesterday and Clover is handling it."""

from __future__ import annotations

import datetime as dt

from peerpath.accounts.services import user_update
from peerpath.core import clock
from peerpath.core.actors import DEMO
from peerpath.core.demo import DemoWorld, demo_step
from peerpath.notifications.services import phone_check_record
from peerpath.safeguarding.models import AlertSource, DutyPosition, RotaSlot
from peerpath.safeguarding.services import (
    alert_acknowledge,
    alert_raise,
    alert_record_action,
    alert_tiers_seed_defaults,
    crisis_contacts_seed_defaults,
    follow_up_add,
    rota_slot_save,
)


@demo_step
def seed(world: DemoWorld) -> None:
    for organisation in world.organisations.values():
        crisis_contacts_seed_defaults(organisation=organisation, actor=DEMO)
        alert_tiers_seed_defaults(organisation=organisation, actor=DEMO)
    organisation = world.organisation
    clover, birch = world.people["clover"], world.people["birch"]
    # Numbers set aside for drama (Ofcom): texts go to var/sms/outbox.log in development.
    for person, phone in ((clover, "07700 900101"), (birch, "07700 900102")):
        user_update(actor=DEMO, user=person, phone=phone)
        phone_check_record(actor=DEMO, user=person)
    today = clock.local_now().date()
    for position, people in (
        (DutyPosition.PRIMARY, [clover, birch]),
        (DutyPosition.BACKUP, [birch, clover]),
    ):
        rota_slot_save(
            actor=DEMO,
            slot=RotaSlot(
                organisation=organisation,
                position=position,
                starts_at=dt.time(8, 0),
                ends_at=dt.time(22, 0),
                rotation_starts_on=today - dt.timedelta(days=today.weekday()),
            ),
            changed=["position", "starts_at", "ends_at"],
            people=people,
        )
    amelia = world.people["amelia"]
    if not amelia.phone:
        user_update(actor=DEMO, user=amelia, phone="07700 900201")
    alert = alert_raise(
        actor=amelia,
        organisation=organisation,
        source=AlertSource.MEMBER_REQUEST,
        tier=1,
        member=amelia,
        context="I have not slept properly in days and I feel like I am failing at everything.",
        contact_preference={"how": "text", "when": "mornings", "voicemail": "no"},
    )
    alert = alert_acknowledge(actor=clover, alert=alert)
    alert_record_action(
        actor=clover,
        alert=alert,
        kind="message",
        text="Sent the warm message by text; she replied that tomorrow morning suits.",
    )
    follow_up_add(
        actor=clover,
        alert=alert,
        owner=clover,
        description="Warm call, as she asked, in the morning",
        due_at=clock.now() + dt.timedelta(hours=18),
    )
