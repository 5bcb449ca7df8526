"""Every change to the directory goes through here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dateutil.rrule import rrulestr
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, changed_fields
from peerpath.core import clock
from peerpath.directory.choices import time_of_day
from peerpath.directory.models import Location, Occurrence, Schedule, Service

if TYPE_CHECKING:
    from collections.abc import Iterable

    from peerpath.accounts.models import Organisation, User

EXPAND_WEEKS = 8


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


def schedule_starts(schedule: Schedule, *, until: dt.datetime) -> list[dt.datetime]:
    """Start times from the rule, in local wall-clock time (a 10am group stays at 10am when
    the clocks change), up to ``until``."""
    first = timezone.localtime(schedule.first_starts_at)
    rule = rrulestr(schedule.rrule, dtstart=first.replace(tzinfo=None))
    end = timezone.localtime(until).replace(tzinfo=None)
    if schedule.until:
        end = min(end, dt.datetime.combine(schedule.until, dt.time.max))
    zone = timezone.get_current_timezone()
    return [
        timezone.make_aware(start, zone)
        for start in rule.between(first.replace(tzinfo=None), end, inc=True)
    ]


@transaction.atomic
def occurrences_expand(*, schedule: Schedule, weeks: int = EXPAND_WEEKS) -> int:
    """Create the dated sessions of the next ``weeks`` weeks. Safe to run again."""
    now = clock.now()
    starts = [
        s
        for s in schedule_starts(schedule, until=now + dt.timedelta(weeks=weeks))
        if s >= now - dt.timedelta(days=1)
    ]
    created = Occurrence.objects.bulk_create(
        [_occurrence(schedule, start) for start in starts], ignore_conflicts=True
    )
    return len(created)


def _listings_changed() -> None:
    # Queues the check that tells women about new groups; runs in the caller's transaction.
    from peerpath.directory.alerts import listings_changed

    listings_changed()


def _tell_people_booked(
    occurrence: Occurrence,
    *,
    change: str | None = None,
    previous_starts_at: dt.datetime | None = None,
) -> None:
    from peerpath.bookings.services import bookings_session_changed

    bookings_session_changed(
        occurrence=occurrence, change=change, previous_starts_at=previous_starts_at
    )


def _tell_people_booked_of_new_place(services: Iterable[Service]) -> None:
    """The place (or how to get there) changed: tell those booked at future sessions."""
    from peerpath.bookings.models import OPEN_STATUSES
    from peerpath.bookings.services import Change

    sessions = Occurrence.objects.filter(
        service__in=list(services),
        starts_at__gt=clock.now(),
        cancelled=False,
        bookings__status__in=OPEN_STATUSES,
    ).distinct()
    for occurrence in sessions.select_related("service__organisation"):
        _tell_people_booked(occurrence, change=Change.PLACE)


@transaction.atomic
def occurrence_cancel(
    *, occurrence: Occurrence, note: str = "", actor: User | None = None
) -> Occurrence:
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
    _tell_people_booked(occurrence)
    _listings_changed()
    return occurrence


@transaction.atomic
def occurrence_move(
    *,
    occurrence: Occurrence,
    starts_at: dt.datetime,
    note: str = "",
    actor: User | None = None,
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
    _tell_people_booked(occurrence, previous_starts_at=previous)
    _listings_changed()
    return occurrence


# Staff: places, listings and when they run -----------------------------------------------------

LOCATION_FIELDS = ("name", "address", "area", "postcode", "directions")


def _place_on_map(location: Location) -> None:
    """Put the place on the map from its postcode, when we know where that postcode is."""
    from peerpath.directory.geo import locate

    point = locate(location.postcode) if location.postcode else None
    location.latitude = point.latitude if point else None
    location.longitude = point.longitude if point else None


@transaction.atomic
def location_create(*, actor: User, organisation: Organisation, **values: Any) -> Location:
    location = Location(organisation=organisation, **values)
    _place_on_map(location)
    location.full_clean()
    location.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=location,
        organisation=organisation,
        fields=list(values),
    )
    _listings_changed()
    return location


@transaction.atomic
def location_update(*, actor: User, location: Location, **values: Any) -> Location:
    before = {name: getattr(location, name) for name in values}
    for name, value in values.items():
        setattr(location, name, value)
    _place_on_map(location)
    location.full_clean()
    location.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=location,
        organisation=location.organisation,
        fields=(fields := changed_fields(before, location)),
    )
    if set(fields) & {"name", "address", "postcode", "directions"}:
        _tell_people_booked_of_new_place(Service.objects.filter(location=location))
    _listings_changed()
    return location


@transaction.atomic
def service_create(
    *,
    actor: User,
    organisation: Organisation,
    facilitators: Iterable[User] = (),
    **values: Any,
) -> Service:
    """A new listing, shown on Find support at once."""
    service = Service(organisation=organisation, **values)
    service.full_clean()
    service.save()
    service.facilitators.set(list(facilitators))
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=service,
        organisation=organisation,
        fields=[*values, "facilitators"],
    )
    _listings_changed()
    return service


@transaction.atomic
def service_update(
    *,
    actor: User,
    service: Service,
    facilitators: Iterable[User] | None = None,
    **values: Any,
) -> Service:
    before = {name: getattr(service, name) for name in values}
    for name, value in values.items():
        setattr(service, name, value)
    service.full_clean()
    service.save()
    fields = changed_fields(before, service)
    if facilitators is not None:
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
    if set(fields) & {"location", "online", "how_to_join"}:
        _tell_people_booked_of_new_place([service])
    if set(fields) & {"capacity", "booking_required"}:
        from peerpath.bookings.services import bookings_places_changed

        bookings_places_changed(actor=actor, service=service)
    _listings_changed()
    return service


@transaction.atomic
def service_deactivate(*, actor: User, service: Service) -> Service:
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
def service_reactivate(*, actor: User, service: Service) -> Service:
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


@transaction.atomic
def schedule_create(
    *,
    actor: User,
    service: Service,
    first_starts_at: dt.datetime,
    duration_minutes: int,
    rrule: str,
    until: dt.date | None = None,
) -> Schedule:
    """A repeating time for a listing; its sessions are made at once."""
    schedule = Schedule(
        service=service,
        first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
        rrule=rrule,
        until=until,
    )
    schedule.full_clean()
    schedule.save()
    occurrences_expand(schedule=schedule)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=schedule,
        organisation=service.organisation,
        fields=["first_starts_at", "duration_minutes", "rrule", "until"],
    )
    _listings_changed()
    return schedule


def _sessions_remove(*, actor: User, sessions: Any) -> tuple[int, int]:
    """Delete sessions nobody has booked; cancel (and tell) the rest. (deleted, cancelled)"""
    deleted = cancelled = 0
    for occurrence in sessions.select_related("service__organisation").filter(cancelled=False):
        if occurrence.bookings.exists():
            occurrence_cancel(occurrence=occurrence, actor=actor)
            cancelled += 1
        else:
            audit_record(
                actor=actor,
                action=Action.DELETE,
                obj=occurrence,
                organisation=occurrence.service.organisation,
            )
            occurrence.delete()
            deleted += 1
    return deleted, cancelled


@transaction.atomic
def schedule_end(*, actor: User, schedule: Schedule, from_date: dt.date) -> tuple[int, int]:
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
