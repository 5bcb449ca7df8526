"""Everything on offer: services, where they happen, when they run, and each dated session.

Shaped after Open Referral UK / HSDS 3.0 (organisation, service, location, schedule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Organisation
from peerpath.core import clock
from peerpath.core.fields import EncryptedTextField
from peerpath.core.models import BaseModel, Sensitive
from peerpath.directory.choices import FORMAL_ROUTES, Family, ForWhom, Kind

STALE_AFTER_DAYS = 183  # about six months


def _labels(choices: Iterable[tuple[str, Any]], keys: list[str]) -> list[str]:
    names = dict(choices)
    return [str(names.get(key, key)) for key in keys]


class Location(BaseModel):
    """A place where sessions happen. Online services have none."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=250)
    area = models.CharField(_("town or area"), max_length=80, db_index=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    directions = models.TextField(_("how to get there"), blank=True)

    class Meta:
        ordering = ("area", "name")

    def __str__(self) -> str:
        return f"{self.name}, {self.area}"


class Service(BaseModel):
    """Something a woman can go to, join, call or be referred to."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    provider_name = models.CharField(
        _("run by"), max_length=150, blank=True, help_text=_("If not the organisation itself.")
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    summary = models.CharField(_("in one sentence"), max_length=250)
    what_you_do = models.TextField(_("what you do there"), blank=True)
    first_visit = models.TextField(_("what happens the first time"), blank=True)
    for_whom = models.JSONField(_("who it is for"), default=list, blank=True)
    family = models.JSONField(_("bringing children"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    is_free = models.BooleanField(_("free"), default=True)
    cost = models.CharField(_("cost"), max_length=100, blank=True)
    online = models.BooleanField(_("online"), default=False)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="services"
    )
    booking_required = models.BooleanField(_("booking needed"), default=False)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    how_to_join = models.TextField(_("how to join"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    last_checked_on = models.DateField(_("details last checked"))
    is_active = models.BooleanField(default=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_services",
        help_text=_("Peer supporters who run it and keep its register."),
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def is_formal_route(self) -> bool:
        return self.kind in FORMAL_ROUTES

    @property
    def for_whom_labels(self) -> list[str]:
        return _labels(ForWhom.choices, self.for_whom)

    @property
    def family_labels(self) -> list[str]:
        return _labels(Family.choices, self.family)

    @property
    def language_labels(self) -> list[str]:
        from peerpath.accounts.choices import Language

        return _labels(Language.choices, self.languages)

    @property
    def needs_checking(self) -> bool:
        return (clock.today() - self.last_checked_on).days > STALE_AFTER_DAYS


class Schedule(BaseModel):
    """When a service runs, as an iCalendar recurrence rule from a first session."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    first_starts_at = models.DateTimeField(_("first session starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=90)
    rrule = models.CharField(
        _("repeats (iCalendar RRULE)"), max_length=200, help_text="e.g. FREQ=WEEKLY;BYDAY=TU"
    )
    until = models.DateField(_("last date"), null=True, blank=True)

    class Meta:
        ordering = ("first_starts_at",)

    def __str__(self) -> str:
        return f"{self.service} {self.rrule}"

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes)


class Occurrence(BaseModel):
    """One dated session, expanded ahead of time from a schedule; may be cancelled or moved."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="occurrences")
    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, null=True, blank=True, related_name="occurrences"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    original_starts_at = models.DateTimeField(
        help_text="The time the rule gave it, kept when the session is moved."
    )
    cancelled = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)
    weekday = models.PositiveSmallIntegerField()  # 0 Monday, local time
    time_of_day = models.CharField(max_length=10)  # morning / afternoon / evening, local time
    # For "just turn up" sessions the register counts people rather than naming them.
    walk_ins = models.PositiveSmallIntegerField(_("people who came"), default=0)
    walk_in_first_visits = models.PositiveSmallIntegerField(
        _("of whom came for the first time"), default=0
    )

    class Meta:
        ordering = ("starts_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("schedule", "original_starts_at"), name="directory_occurrence_once"
            ),
        )
        indexes = (
            # Search reads sessions that go ahead in time order, stopping at enough services.
            models.Index(
                fields=("starts_at", "service"),
                name="directory_occ_open",
                condition=models.Q(cancelled=False),
            ),
            # A service's next dates.
            models.Index(fields=("service", "starts_at"), name="directory_occ_service_start"),
        )

    def __str__(self) -> str:
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M}"


class SavedSearch(Sensitive, BaseModel):
    """ "Tell me when something starts": a search she keeps, checked as listings appear."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    # Encrypted: the query holds her postcode or town and her stage (ADR 9). ``query_digest``
    # (a keyed hash) is what finds the same search again without reading the query.
    query = EncryptedTextField()  # the search page's query string
    query_digest = models.CharField(max_length=64)
    description = EncryptedTextField()
    told_about = models.ManyToManyField(Service, blank=True, related_name="+")

    QUERY_MAX_LENGTH: ClassVar[int] = 1000
    DESCRIPTION_MAX_LENGTH: ClassVar[int] = 300

    class Meta:
        ordering = ("-created_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("user", "query_digest"), name="directory_saved_search_once"
            ),
        )

    def __str__(self) -> str:
        return f"Saved search {self.public_id}"

    @staticmethod
    def digest(query: str) -> str:
        return salted_hmac("peerpath.saved-search", query, algorithm="sha256").hexdigest()


class PostcodeCentroid(models.Model):
    """Where a postcode is (from an ONS-style CSV), so a woman can search near her postcode."""

    postcode = models.CharField(max_length=8, unique=True)  # upper case, no spaces
    outward = models.CharField(max_length=4, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ("postcode",)

    def __str__(self) -> str:
        return self.postcode
