"""Seed a charity on duty now, in a separate process on its own database (the reliability test
and the ASGI alerts journey).

    python -m tests.clocked -m tests.duty_seed [--alerts N] [--minutes M] [--sign-in]

Harbour is staffed for three hours either side of now, every day, whatever the hour (the
nights the clocks change included): Ash on duty and Bay as backup, both with mobiles; Cedar its
safeguarding lead; Sunflower a member. ``--alerts N`` raises N tier-2 alerts 30 minutes ago that
nobody acknowledged, so each one's step to the backup is overdue. ``--minutes M`` sets every
paging tier's minutes to acknowledge, as a lead may. ``--sign-in`` gives everyone the password
``PASSWORD`` and a verified email address, and the staff two-step verification with the demo
key. Prints the people's emails and mobiles as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

import django

django.setup()

import time_machine  # noqa: E402
from allauth.account.models import EmailAddress  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from peerpath.accounts.choices import Role  # noqa: E402
from peerpath.accounts.models import User  # noqa: E402
from peerpath.accounts.services import (  # noqa: E402
    membership_grant,
    organisation_create,
    organisation_update,
    user_create,
)
from peerpath.accounts.tests.factories import give_mfa  # noqa: E402
from peerpath.core import clock  # noqa: E402
from peerpath.core.actors import OPERATOR  # noqa: E402
from peerpath.safeguarding.models import AlertSource, DutyPosition, RotaSlot, StaffedHours  # noqa: E402
from peerpath.safeguarding.services import (  # noqa: E402
    alert_raise,
    alert_tiers_seed_defaults,
    crisis_contacts_seed_defaults,
    rota_slot_save,
    safeguarding_setting_save,
)

PASSWORD = "lighthouse morning tea 42"
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
PEOPLE = (
    ("Ash", Role.COORDINATOR, "07700 900001"),
    ("Bay", Role.COORDINATOR, "07700 900002"),
    ("Cedar", Role.ORG_ADMIN, "07700 900003"),
    ("Sunflower", Role.MEMBER, "07700 900004"),
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=0)
    parser.add_argument("--minutes", type=int, default=None)
    parser.add_argument("--sign-in", action="store_true")
    options = parser.parse_args()
    now = clock.now()
    raised_at = now - dt.timedelta(minutes=30)
    # Whole hours around the alerts' raising and now: staffed and on the rota at both.
    local = timezone.localtime(raised_at)
    opens = (local - dt.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0).time()
    closes = (local + dt.timedelta(hours=4)).replace(minute=0, second=0, microsecond=0).time()
    with time_machine.travel(raised_at, tick=False), transaction.atomic():
        organisation = organisation_create(
            actor=OPERATOR, name="Harbour Parents Peer Support", slug="harbour"
        )
        people: dict[str, User] = {}
        for name, role, phone in PEOPLE:
            user = user_create(
                actor=OPERATOR,
                email=f"{name.lower()}@example.org",
                phone=phone,
                display_name=name,
                password=PASSWORD if options.sign_in else None,
            )
            membership_grant(actor=OPERATOR, user=user, organisation=organisation, role=role)
            if options.sign_in:
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
                if role != Role.MEMBER:
                    give_mfa(user)
            people[name] = user
        organisation_update(
            actor=OPERATOR, organisation=organisation, safeguarding_lead=people["Cedar"]
        )
        tiers = alert_tiers_seed_defaults(organisation=organisation, actor=OPERATOR)
        crisis_contacts_seed_defaults(organisation=organisation, actor=OPERATOR)
        if options.minutes is not None:
            for tier in tiers:
                if tier.escalate_after_minutes is not None:
                    tier.escalate_after_minutes = options.minutes
                    safeguarding_setting_save(
                        actor=OPERATOR, obj=tier, changed=["escalate_after_minutes"]
                    )
        safeguarding_setting_save(
            actor=OPERATOR,
            obj=StaffedHours(
                organisation=organisation, days=EVERY_DAY, staffed_from=opens, staffed_until=closes
            ),
            changed=["days", "staffed_from", "staffed_until"],
        )
        for position, name in ((DutyPosition.PRIMARY, "Ash"), (DutyPosition.BACKUP, "Bay")):
            rota_slot_save(
                actor=OPERATOR,
                slot=RotaSlot(
                    organisation=organisation,
                    position=position,
                    days=EVERY_DAY,
                    starts_at=opens,
                    ends_at=closes,
                    rotation_starts_on=local.date() - dt.timedelta(days=local.weekday()),
                ),
                changed=[],
                people=[people[name]],
            )
        for number in range(options.alerts):
            alert_raise(
                actor=OPERATOR,
                organisation=organisation,
                source=AlertSource.STAFF,
                tier=2,
                member=people["Sunflower"],
                context=f"Alert {number}",
            )
    print(  # noqa: T201
        json.dumps({name: {"email": u.email, "phone": u.phone} for name, u in people.items()})
    )


if __name__ == "__main__":
    main()
