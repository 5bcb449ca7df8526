"""Test factories for bookings (rows as test data; behaviour goes through the services)."""

from __future__ import annotations

import factory

from peerpath.accounts.tests.factories import UserFactory
from peerpath.bookings.models import Booking, BookingStatus
from peerpath.directory.tests.factories import OccurrenceFactory, ServiceFactory


class BookableServiceFactory(ServiceFactory):
    booking_required = True
    capacity = 12


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    occurrence = factory.SubFactory(
        OccurrenceFactory, service=factory.SubFactory(BookableServiceFactory)
    )
    member = factory.SubFactory(UserFactory)
    status = BookingStatus.BOOKED
