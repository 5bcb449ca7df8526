"""Every change to the directory goes through here.

Each service takes who is acting (a person, or a named system actor from
``peerpath.core.actors``) and typed keyword arguments. It writes the audit row and, in the same
transaction, tells the apps above through ``peerpath.directory.hooks`` (bookings tells the
people booked). Updates take only the fields that change: a field left out keeps its value.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.utils import timezone

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, changed_fields
from peerpath.core import clock
from peerpath.core.services import UNSET, Unset, given
from peerpath.directory import hooks
from peerpath.directory.choices import time_of_day
from peerpath.directory.models import Location, Occurrence, PostcodeCentroid, Schedule, Service
from peerpath.directory.recurrence import (
    Recurrence,
    RecurrenceError,
    check_duration,
    expand,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from peerpath.accounts.models import Organisation, User
    from peerpath.core.actors import Actor

EXPAND_WEEKS = 8
logger = logging.getLogger(__name__)


def _occurrence(schedule: Schedule, start: dt.datetime) -> Occurrence:
    local = timezone.localtime(start)
    return Occurrence(
        service_id=schedule.service_id,
        schedule=schedule,
        starts_at=start,
        ends_at=start + schedule.duration,
        original_starts_at=start,
        weekday=local.weekday(),
        time_of_day=time_of_day(local.hour),
    )


def schedule_starts(
    schedule: Schedule, *, until: dt.datetime, since: dt.datetime | None = None
) -> list[dt.datetime]:
    """Start times from the rule, in local wall-clock time (a 10am group stays at 10am when
    the clocks change), from ``since`` (or the first) up to ``until``: at most a bounded
    number (see ``recurrence``). A rule PeerPath does not make gives none."""
    first = timezone.localtime(schedule.first_starts_at).replace(tzinfo=None)
    end = timezone.localtime(until).replace(tzinfo=None)
    after = timezone.localtime(since).replace(tzinfo=None) if since is not None else None
    starts = expand(schedule.rrule, first=first, end=end, since=after, until=schedule.until)
    if starts is None:
        logger.warning("Schedule %s has a rule PeerPath does not expand.", schedule.public_id)
        return []
    zone = timezone.get_current_timezone()
    return [timezone.make_aware(start, zone) for start in starts]


@transaction.atomic
def occurrences_expand(*, actor: Actor, schedule: Schedule, weeks: int = EXPAND_WEEKS) -> int:
    """Create the dated sessions of the next ``weeks`` weeks. Safe to run again.

    Not audited, on purpose: each session made here is the schedule's own rule read again
    (the schedule's creation and every change to it are audited, with who made them). Making
    the dated rows ahead of time changes nobody's record: no person, no booking, nothing
    anyone chose. An audit row for every session every night would bury the changes people
    make. ``actor`` is still required, so every write says who is doing it.
    """
    now = clock.now()
    since = now - dt.timedelta(days=1)
    starts = [
        s
        for s in schedule_starts(schedule, until=now + dt.timedelta(weeks=weeks), since=since)
        if s >= since
    ]
    created = Occurrence.objects.bulk_create(
        [_occurrence(schedule, start) for start in starts], ignore_conflicts=True
    )
    return len(created)


@transaction.atomic
def occurrences_expand_all(*, actor: Actor) -> int:
    """Unset the dated sessions of every running listing eight weeks ahead (the nightly job)."""
    return sum(
        occurrences_expand(actor=actor, schedule=schedule)
        for schedule in Schedule.objects.filter(service__is_active=True).select_related("service")
    )


def _listings_changed() -> None:
    # Queues the check that tells women about new groups; runs in the caller's transaction.
    from peerpath.directory.alerts import listings_changed

    listings_changed()


@transaction.atomic
def occurrence_cancel(*, actor: Actor, occurrence: Occurrence, note: str = "") -> Occurrence:
    """Cancel one session. Anyone with a place is told, and her reminders are withdrawn."""
    occurrence.cancelled = True
    occurrence.note = note
    occurrence.save(update_fields=["cancelled", "note", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=occurrence,
        organisation=occurrence.service.organisation,
        fields=("cancelled", "note"),
    )
    hooks.session_cancelled(actor=actor, occurrence=occurrence)
    _listings_changed()
    return occurrence


@transaction.atomic
def occurrence_move(
    *, actor: Actor, occurrence: Occurrence, starts_at: dt.datetime, note: str = ""
) -> Occurrence:
    """Move one session to another time. Anyone with a place is told, and her reminders
    follow the session."""
    length = occurrence.ends_at - occurrence.starts_at
    previous = occurrence.starts_at
    local = timezone.localtime(starts_at)
    occurrence.starts_at = starts_at
    occurrence.ends_at = starts_at + length
    occurrence.weekday = local.weekday()
    occurrence.time_of_day = time_of_day(local.hour)
    occurrence.note = note
    occurrence.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=occurrence,
        organisation=occurrence.service.organisation,
        fields=("starts_at", "ends_at", "note"),
    )
    hooks.session_moved(actor=actor, occurrence=occurrence, previous_starts_at=previous)
    _listings_changed()
    return occurrence


# Staff: places, listings and when they run -----------------------------------------------------

LOCATION_FIELDS = ("name", "address", "area", "postcode", "directions")
# A change to any of these is sent to the people booked at the place's future sessions.
LOCATION_TOLD = frozenset({"name", "address", "postcode", "directions"})


def _place_on_map(location: Location, coordinates: tuple[float, float] | None) -> None:
    """Put the place on the map: where the caller says it is (an import), or else from its
    postcode, when we know where that postcode is."""
    from peerpath.directory.geo import locate

    if coordinates is not None:
        location.latitude, location.longitude = coordinates
        return
    point = locate(location.postcode) if location.postcode else None
    location.latitude = point.latitude if point else None
    location.longitude = point.longitude if point else None


@transaction.atomic
def location_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    address: str,
    area: str,
    postcode: str = "",
    directions: str = "",
    coordinates: tuple[float, float] | None = None,
    public_id: uuid.UUID | None = None,
) -> Location:
    """A new place. ``public_id``: the id it already has elsewhere (an import keeps the
    file's ids); otherwise a new one."""
    location = Location(
        organisation=organisation,
        public_id=public_id or uuid.uuid4(),
        name=name,
        address=address,
        area=area,
        postcode=postcode,
        directions=directions,
    )
    _place_on_map(location, coordinates)
    location.full_clean()
    location.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=location,
        organisation=organisation,
        fields=[*LOCATION_FIELDS, *(("latitude", "longitude") if coordinates else ())],
    )
    _listings_changed()
    return location


@transaction.atomic
def location_update(
    *,
    actor: Actor,
    location: Location,
    name: str | Unset = UNSET,
    address: str | Unset = UNSET,
    area: str | Unset = UNSET,
    postcode: str | Unset = UNSET,
    directions: str | Unset = UNSET,
    coordinates: tuple[float, float] | None = None,
) -> Location:
    """Change a place (its position comes from ``coordinates`` if given, else its postcode).
    People booked at its listings' future sessions are told of a new name, address, postcode
    or directions."""
    values = given(name=name, address=address, area=area, postcode=postcode, directions=directions)
    watched = [*values, *(("latitude", "longitude") if coordinates else ())]
    before = {field: getattr(location, field) for field in watched}
    for field, value in values.items():
        setattr(location, field, value)
    _place_on_map(location, coordinates)
    location.full_clean()
    location.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=location,
        organisation=location.organisation,
        fields=(fields := changed_fields(before, location)),
    )
    if set(fields) & LOCATION_TOLD:
        services = list(Service.objects.filter(location=location).select_related("organisation"))
        if services:
            hooks.listing_place_changed(actor=actor, services=services)
    _listings_changed()
    return location


# What ``service_create`` audits: every field the staff form sets.
SERVICE_FIELDS = (
    "name",
    "kind",
    "summary",
    "provider_name",
    "for_whom",
    "family",
    "what_you_do",
    "first_visit",
    "languages",
    "is_free",
    "cost",
    "online",
    "location",
    "booking_required",
    "capacity",
    "how_to_join",
    "phone",
    "email",
    "website",
    "last_checked_on",
)
# A change to any of these is sent to the people booked at the listing's future sessions.
SERVICE_PLACE_TOLD = frozenset({"location", "online", "how_to_join"})
SERVICE_CAPACITY = frozenset({"capacity", "booking_required"})


def _check_location(organisation_id: int, location: Location | None) -> None:
    if location is not None and location.organisation_id != organisation_id:
        raise ValidationError({"location": "The place belongs to another organisation."})


@transaction.atomic
def service_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    kind: str,
    summary: str,
    last_checked_on: dt.date,
    provider_name: str = "",
    what_you_do: str = "",
    first_visit: str = "",
    for_whom: Iterable[str] = (),
    family: Iterable[str] = (),
    languages: Iterable[str] = (),
    is_free: bool = True,
    cost: str = "",
    online: bool = False,
    location: Location | None = None,
    booking_required: bool = False,
    capacity: int | None = None,
    how_to_join: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    is_active: bool = True,
    facilitators: Iterable[User] = (),
    public_id: uuid.UUID | None = None,
) -> Service:
    """A new listing, shown on Find support at once (unless ``is_active`` is False).
    ``public_id``: the id it already has elsewhere (an import); otherwise a new one."""
    _check_location(organisation.pk, location)
    service = Service(
        organisation=organisation,
        public_id=public_id or uuid.uuid4(),
        name=name,
        kind=kind,
        summary=summary,
        last_checked_on=last_checked_on,
        provider_name=provider_name,
        what_you_do=what_you_do,
        first_visit=first_visit,
        for_whom=list(for_whom),
        family=list(family),
        languages=list(languages),
        is_free=is_free,
        cost=cost,
        online=online,
        location=location,
        booking_required=booking_required,
        capacity=capacity,
        how_to_join=how_to_join,
        phone=phone,
        email=email,
        website=website,
        is_active=is_active,
    )
    service.full_clean()
    service.save()
    service.facilitators.set(list(facilitators))
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=service,
        organisation=organisation,
        fields=[*SERVICE_FIELDS, *(() if is_active else ("is_active",)), "facilitators"],
    )
    _listings_changed()
    return service


@transaction.atomic
def service_update(
    *,
    actor: Actor,
    service: Service,
    name: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    summary: str | Unset = UNSET,
    last_checked_on: dt.date | Unset = UNSET,
    provider_name: str | Unset = UNSET,
    what_you_do: str | Unset = UNSET,
    first_visit: str | Unset = UNSET,
    for_whom: Iterable[str] | Unset = UNSET,
    family: Iterable[str] | Unset = UNSET,
    languages: Iterable[str] | Unset = UNSET,
    is_free: bool | Unset = UNSET,
    cost: str | Unset = UNSET,
    online: bool | Unset = UNSET,
    location: Location | Unset | None = UNSET,
    booking_required: bool | Unset = UNSET,
    capacity: int | Unset | None = UNSET,
    how_to_join: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    email: str | Unset = UNSET,
    website: str | Unset = UNSET,
    facilitators: Iterable[User] | Unset = UNSET,
) -> Service:
    """Change a listing (taking it down or putting it back: ``service_deactivate`` and
    ``service_reactivate``). People booked at its future sessions are told of a new place or
    way to join; more places go to people waiting."""
    values = given(
        name=name,
        kind=kind,
        summary=summary,
        last_checked_on=last_checked_on,
        provider_name=provider_name,
        what_you_do=what_you_do,
        first_visit=first_visit,
        for_whom=list(for_whom) if for_whom is not UNSET else UNSET,
        family=list(family) if family is not UNSET else UNSET,
        languages=list(languages) if languages is not UNSET else UNSET,
        is_free=is_free,
        cost=cost,
        online=online,
        location=location,
        booking_required=booking_required,
        capacity=capacity,
        how_to_join=how_to_join,
        phone=phone,
        email=email,
        website=website,
    )
    if location is not UNSET:
        _check_location(service.organisation_id, location)
    before = {field: getattr(service, field) for field in values}
    for field, value in values.items():
        setattr(service, field, value)
    service.full_clean()
    service.save()
    fields = changed_fields(before, service)
    if facilitators is not UNSET:
        chosen = {user.pk for user in facilitators}
        if chosen != set(service.facilitators.values_list("pk", flat=True)):
            service.facilitators.set(list(chosen))
            fields.append("facilitators")
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=service,
        organisation=service.organisation,
        fields=fields,
    )
    if set(fields) & SERVICE_PLACE_TOLD:
        hooks.listing_place_changed(actor=actor, services=[service])
    if set(fields) & SERVICE_CAPACITY:
        hooks.listing_capacity_changed(actor=actor, service=service)
    _listings_changed()
    return service


@transaction.atomic
def service_deactivate(*, actor: Actor, service: Service) -> Service:
    """Take a listing down: it leaves Find support, its repeating times stop from today,
    and its future sessions go (those people booked are cancelled, and they are told)."""
    service.is_active = False
    service.save(update_fields=["is_active", "updated_at"])
    today = clock.today()
    for schedule in service.schedules.filter(Q(until__isnull=True) | Q(until__gte=today)):
        schedule.until = today - dt.timedelta(days=1)
        schedule.save(update_fields=["until", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=schedule,
            organisation=service.organisation,
            fields=["until"],
        )
    _sessions_remove(
        actor=actor,
        sessions=Occurrence.objects.filter(service=service, starts_at__gt=clock.now()),
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=service,
        organisation=service.organisation,
        fields=["is_active"],
    )
    _listings_changed()
    return service


@transaction.atomic
def service_reactivate(*, actor: Actor, service: Service) -> Service:
    """Put a listing back on Find support (add its times again if it runs sessions)."""
    service.is_active = True
    service.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=service,
        organisation=service.organisation,
        fields=["is_active"],
    )
    _listings_changed()
    return service


SCHEDULE_FIELDS = ("first_starts_at", "duration_minutes", "rrule", "until")


def _check_schedule(
    *,
    first_starts_at: dt.datetime,
    duration_minutes: int,
    recurrence: Recurrence,
    until: dt.date | None,
) -> None:
    """The bounds of every new or changed rule, whoever makes it (the staff form checks the
    same, and more, with friendlier words)."""
    try:
        recurrence.check(first=timezone.localtime(first_starts_at).date(), until=until)
        check_duration(duration_minutes)
    except RecurrenceError as error:
        raise ValidationError(str(error)) from error


@transaction.atomic
def schedule_create(
    *,
    actor: Actor,
    service: Service,
    first_starts_at: dt.datetime,
    duration_minutes: int,
    recurrence: Recurrence,
    until: dt.date | None = None,
    public_id: uuid.UUID | None = None,
) -> Schedule:
    """A repeating time for a listing; its sessions are made at once. ``public_id``: the id
    it already has elsewhere (an import); otherwise a new one."""
    _check_schedule(
        first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
        recurrence=recurrence,
        until=until,
    )
    schedule = Schedule(
        service=service,
        public_id=public_id or uuid.uuid4(),
        first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
        rrule=recurrence.text,
        until=until,
    )
    schedule.full_clean()
    schedule.save()
    occurrences_expand(actor=actor, schedule=schedule)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=schedule,
        organisation=service.organisation,
        fields=SCHEDULE_FIELDS,
    )
    _listings_changed()
    return schedule


@transaction.atomic
def schedule_update(
    *,
    actor: Actor,
    schedule: Schedule,
    first_starts_at: dt.datetime,
    duration_minutes: int,
    recurrence: Recurrence,
    until: dt.date | None = None,
) -> Schedule:
    """Change a repeating time. Future sessions the new rule still makes stay, with their
    bookings (and the new length); the ones it no longer makes go, and those people booked
    are cancelled and told, as when a time is ended; new ones are made."""
    _check_schedule(
        first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
        recurrence=recurrence,
        until=until,
    )
    before = {field: getattr(schedule, field) for field in SCHEDULE_FIELDS}
    schedule.first_starts_at = first_starts_at
    schedule.duration_minutes = duration_minutes
    schedule.rrule = recurrence.text
    schedule.until = until
    schedule.full_clean()
    schedule.save()
    fields = changed_fields(before, schedule)
    now = clock.now()
    kept = schedule_starts(schedule, until=now + dt.timedelta(weeks=EXPAND_WEEKS), since=now)
    future = Occurrence.objects.filter(schedule=schedule, starts_at__gt=now)
    _sessions_remove(actor=actor, sessions=future.exclude(original_starts_at__in=kept))
    if "duration_minutes" in fields:
        staying = list(future.filter(original_starts_at__in=kept))
        for occurrence in staying:
            occurrence.ends_at = occurrence.starts_at + schedule.duration
            occurrence.updated_at = now
        Occurrence.objects.bulk_update(staying, ["ends_at", "updated_at"])
    occurrences_expand(actor=actor, schedule=schedule)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=schedule,
        organisation=schedule.service.organisation,
        fields=fields,
    )
    _listings_changed()
    return schedule


def _sessions_remove(*, actor: Actor, sessions: QuerySet[Occurrence]) -> tuple[int, int]:
    """Delete sessions nothing refers to; cancel (and tell) the rest: a booking keeps its
    session (the apps above protect what refers to a session). (deleted, cancelled)"""
    deleted = cancelled = 0
    for occurrence in sessions.select_related("service__organisation").filter(cancelled=False):
        try:
            with transaction.atomic():
                occurrence.delete()
        except ProtectedError:
            occurrence_cancel(actor=actor, occurrence=occurrence)
            cancelled += 1
        else:
            audit_record(
                actor=actor,
                action=Action.DELETE,
                obj=occurrence,
                organisation=occurrence.service.organisation,
            )
            deleted += 1
    return deleted, cancelled


@transaction.atomic
def schedule_end(*, actor: Actor, schedule: Schedule, from_date: dt.date) -> tuple[int, int]:
    """Stop a repeating time: no sessions on or after ``from_date``. Future sessions of the
    rule go; those people booked are cancelled instead, and they are told.

    Returns (sessions removed, sessions cancelled).
    """
    schedule.until = from_date - dt.timedelta(days=1)
    schedule.save(update_fields=["until", "updated_at"])
    cut = timezone.make_aware(
        dt.datetime.combine(from_date, dt.time.min), timezone.get_current_timezone()
    )
    removed = _sessions_remove(
        actor=actor,
        sessions=Occurrence.objects.filter(
            Q(starts_at__gte=cut) | Q(original_starts_at__gte=cut),
            schedule=schedule,
            starts_at__gt=clock.now(),
        ),
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=schedule,
        organisation=schedule.service.organisation,
        fields=["until"],
    )
    _listings_changed()
    return removed


# Where postcodes are (public reference data) -------------------------------------------------

POSTCODE_BATCH = 5000


def postcode_centroids_load(*, actor: Actor, centroids: Iterable[PostcodeCentroid]) -> int:
    """Add or replace postcode centroids, a batch of 5000 to a transaction (a full ONS file
    has millions). One audit row says who loaded how many: a centroid is public reference
    data about a place, not anyone's record, so it is not audited row by row."""
    loaded = 0
    batch: list[PostcodeCentroid] = []
    for centroid in itertools.chain(centroids, [None]):
        if centroid is not None:
            batch.append(centroid)
        if batch and (centroid is None or len(batch) >= POSTCODE_BATCH):
            with transaction.atomic():
                PostcodeCentroid.objects.bulk_create(
                    batch,
                    update_conflicts=True,
                    unique_fields=["postcode"],
                    update_fields=["outward", "latitude", "longitude"],
                )
            loaded += len(batch)
            batch = []
    audit_record(actor=actor, action=Action.CREATE, detail=f"postcode centroids loaded: {loaded}")
    return loaded
