"""Test factories for the directory: places, listings and dated sessions.

They write rows directly, as test data; the behaviour under test still goes through services.
Dates come from the controlled clock (``clock.now()``), never from a fixed day.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from peerpath.accounts.tests.factories import OrganisationFactory
from peerpath.core import clock
from peerpath.directory.choices import Kind, time_of_day
from peerpath.directory.models import Location, Occurrence, Service


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Family Hub {n}")
    address = factory.Sequence(lambda n: f"{n} Fore Street")
    area = "Exeter"
    postcode = "EX1 2QJ"
    latitude = 50.7225
    longitude = -3.5058


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Parents' group {n}")
    kind = Kind.PEER_GROUP
    summary = "A relaxed group for parents and babies."
    for_whom = factory.LazyFunction(lambda: ["pregnant", "baby_0_12"])
    languages = factory.LazyFunction(lambda: ["en"])
    location = factory.SubFactory(
        LocationFactory, organisation=factory.SelfAttribute("..organisation")
    )
    booking_required = False
    last_checked_on = factory.LazyFunction(clock.today)

    @factory.post_generation
    def facilitators(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.facilitators.set(extracted)


def _in_days(days: int) -> dt.datetime:
    start = clock.local_now().replace(hour=10, minute=0, second=0, microsecond=0)
    return start + dt.timedelta(days=days)


class OccurrenceFactory(factory.django.DjangoModelFactory):
    """A session: by default 10am local time, two days from the controlled "now"."""

    class Meta:
        model = Occurrence

    class Params:
        days_ahead = 2

    service = factory.SubFactory(ServiceFactory)
    starts_at = factory.LazyAttribute(lambda o: _in_days(o.days_ahead))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=90))
    original_starts_at = factory.SelfAttribute("starts_at")
    weekday = factory.LazyAttribute(lambda o: timezone.localtime(o.starts_at).weekday())
    time_of_day = factory.LazyAttribute(lambda o: time_of_day(timezone.localtime(o.starts_at).hour))
