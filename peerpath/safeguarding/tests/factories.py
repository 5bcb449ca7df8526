from __future__ import annotations

import factory

from peerpath.accounts.tests.factories import OrganisationFactory
from peerpath.safeguarding.models import CrisisContact, Urgency


class CrisisContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrisisContact

    organisation = factory.SubFactory(OrganisationFactory)
    urgency = Urgency.SUPPORT
    name = factory.Sequence(lambda n: f"Helpline {n}")
    phone = "0800 000 000"
