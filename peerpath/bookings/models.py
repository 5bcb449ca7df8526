"""Places at sessions, and the waiting list when a session is full."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.fields import EncryptedTextField
from peerpath.core.models import BaseModel, Sensitive
from peerpath.directory.models import Occurrence


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a place")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Offer ran out")


OPEN_STATUSES = (BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.OFFERED)


class Booking(Sensitive, BaseModel):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.PROTECT, related_name="bookings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    offered_until = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    first_visit = models.BooleanField(default=False)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("occurrence", "member"),
                condition=models.Q(status__in=["booked", "waiting", "offered"]),
                name="bookings_one_open_booking_each",
            ),
        )

    def __str__(self) -> str:
        return f"Booking {self.public_id} ({self.status})"


class CalendarFeed(Sensitive, BaseModel):
    """Her private calendar address: a secret token that lists her sessions for her phone.

    The token is looked up by its SHA-256 hash and kept encrypted, so the page can show her
    address again; making a new address replaces the row and the old address stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    token = EncryptedTextField()

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Calendar feed {self.public_id}"
