"""Harbour Parents' training: a foundation course that never expires, and safeguarding and
data protection training that last 12 months (the demo's choice: each charity sets its own).
Hazel is ready to be matched: trained, checked and supervised three weeks ago. Rowan is not:
her last supervision was two months ago and her safeguarding and data protection training
have expired. Rowan has said she is finding it hard and would like to talk."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership
from peerpath.core import clock
from peerpath.core.actors import DEMO
from peerpath.core.demo import DemoWorld, demo_step
from peerpath.supervision.models import CheckOutcome, SupervisionPolicy, TrainingModule
from peerpath.supervision.services import (
    background_check_record,
    supervision_policy_save,
    supervision_session_record,
    training_completion_record,
    training_module_save,
    wellbeing_checkin_submit,
)

MODULES = (
    (
        "Peer support foundation course",
        "Listening, boundaries and signposting: the charity's own course.",
        None,
    ),
    ("Safeguarding training", "Adults and children, and how to raise an alert.", 12),
    ("Data protection training", "Keeping what mothers tell you safe.", 12),
)


def _place(world: DemoWorld, name: str) -> Membership:
    return Membership.objects.get(
        user=world.people[name], role=Role.PEER_SUPPORTER, ended_at__isnull=True
    )


@demo_step
def seed(world: DemoWorld) -> None:
    organisation = world.organisation
    today = clock.today()
    supervision_policy_save(
        actor=DEMO,
        obj=SupervisionPolicy(organisation=organisation, interval_days=31),
        changed=["interval_days"],
    )
    modules = {}
    for name, description, months in MODULES:
        modules[name] = training_module_save(
            actor=DEMO,
            obj=TrainingModule(
                organisation=organisation,
                name=name,
                description=description,
                valid_for_months=months,
            ),
            changed=["name", "description", "valid_for_months"],
        )
    clover = world.people["clover"]
    hazel, rowan = _place(world, "hazel"), _place(world, "rowan")

    # Hazel: everything in date.
    for module in modules.values():
        training_completion_record(
            actor=clover,
            supporter=hazel,
            module=module,
            completed_on=today - relativedelta(months=4),
        )
    background_check_record(
        actor=clover,
        supporter=hazel,
        kind="Enhanced DBS",
        checked_on=today - relativedelta(months=8),
        outcome=CheckOutcome.CLEAR,
        renew_by=today + relativedelta(months=28),
        reference="001234567890",
    )
    supervision_session_record(
        actor=clover,
        supporter=hazel,
        supervisor=clover,
        held_on=today - dt.timedelta(days=21),
        notes="Going well with Amelia. Hazel noticed her own sickness memories coming back.",
        agreed_actions="Hazel to take a week off new matches after Amelia's birth.",
        is_debrief=False,
    )

    # Rowan: checked, but supervision has lapsed and safeguarding training has expired.
    training_completion_record(
        actor=clover,
        supporter=rowan,
        module=modules["Peer support foundation course"],
        completed_on=today - relativedelta(months=18),
    )
    for name in ("Safeguarding training", "Data protection training"):
        training_completion_record(
            actor=clover,
            supporter=rowan,
            module=modules[name],
            completed_on=today - relativedelta(months=13),
        )
    background_check_record(
        actor=clover,
        supporter=rowan,
        kind="Enhanced DBS",
        checked_on=today - relativedelta(months=14),
        outcome=CheckOutcome.CLEAR,
        renew_by=None,
    )
    supervision_session_record(
        actor=clover,
        supporter=rowan,
        supervisor=clover,
        held_on=today - dt.timedelta(days=62),
        notes="Rowan is juggling a new job; fewer evening calls for now.",
        agreed_actions="Book the safeguarding refresher before it expires.",
        is_debrief=False,
    )
    wellbeing_checkin_submit(
        actor=world.people["rowan"],
        supporter=rowan,
        feeling="struggling",
        note="Work has got busy and I feel I am letting people down.",
        wants_to_talk=True,
    )
