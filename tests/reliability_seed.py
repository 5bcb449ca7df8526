"""Seed for the reliability test, run in a separate process against its own database.

100 members with phone numbers, 20 waiting-list offers each by text message; every notify is
called twice with the same idempotency key, which must not create a second notification.
"""

from __future__ import annotations

import django

django.setup()

from django.db import transaction  # noqa: E402

from peerpath.accounts.choices import Role  # noqa: E402
from peerpath.accounts.services import membership_grant, organisation_create, user_create  # noqa: E402
from peerpath.bookings.purposes import WAITING_LIST_OFFER  # noqa: E402
from peerpath.core.actors import OPERATOR  # noqa: E402
from peerpath.notifications.purposes import Channel  # noqa: E402
from peerpath.notifications.services import notification_preferences_update, notify  # noqa: E402

MEMBERS = 100
PER_MEMBER = 20

with transaction.atomic():
    organisation = organisation_create(actor=OPERATOR, name="Reliability", slug="reliability")
    for number in range(MEMBERS):
        user = user_create(
            actor=OPERATOR, email=f"member{number}@example.org", phone=f"07700 9{number:05d}"
        )
        membership_grant(actor=OPERATOR, user=user, organisation=organisation, role=Role.MEMBER)
        notification_preferences_update(
            actor=user,
            user=user,
            all_off=False,
            quiet_start=None,
            quiet_end=None,
            channels={WAITING_LIST_OFFER: [Channel.SMS]},
        )
        for offer in range(PER_MEMBER):
            for _twice in range(2):
                notify(
                    recipient=user,
                    purpose=WAITING_LIST_OFFER,
                    idempotency_key=f"offer:{number}:{offer}",
                    organisation=organisation,
                )
