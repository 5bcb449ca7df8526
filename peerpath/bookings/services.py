"""Booking a place, the waiting list, time-limited offers and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, audit_record_many
from peerpath.bookings.models import Booking, BookingStatus, CalendarFeed
from peerpath.bookings.purposes import SESSION_CHANGED, SESSION_REMINDER, WAITING_LIST_OFFER
from peerpath.core import clock
from peerpath.core.tokens import secret_token, token_hash
from peerpath.directory.models import Occurrence, Service
from peerpath.jobs.services import job_enqueue
from peerpath.notifications.services import notifications_withdraw, notify

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor

OFFER_HOURS = 24
DAY_BEFORE_AT = dt.time(18, 0)
MORNING_OF_AT = dt.time(8, 0)


class BookingError(Exception):
    """The booking cannot be made or changed (session over, already booked...)."""


def _locked(occurrence: Occurrence) -> Occurrence:
    # PostgreSQL: lock the session row; SQLite: the IMMEDIATE transaction already holds the lock.
    return Occurrence.objects.select_for_update().select_related("service").get(pk=occurrence.pk)


def _booked_count(occurrence: Occurrence) -> int:
    return Booking.objects.filter(occurrence=occurrence, status=BookingStatus.BOOKED).count()


def _reminder_keys(booking: Booking, starts_at: dt.datetime | None = None) -> list[str]:
    """Keys of her two reminders for the session's start time: a moved session gets new ones."""
    start = (starts_at or booking.occurrence.starts_at).astimezone(dt.UTC).strftime("%Y%m%dT%H%M")
    return [
        f"booking:{booking.public_id}:day-before:{start}",
        f"booking:{booking.public_id}:morning:{start}",
    ]


def _remind(booking: Booking) -> None:
    """A reminder the evening before and on the morning of, if those are still ahead."""
    starts = timezone.localtime(booking.occurrence.starts_at)
    zone = timezone.get_current_timezone()
    times = [
        timezone.make_aware(
            dt.datetime.combine(starts.date() - dt.timedelta(days=1), DAY_BEFORE_AT), zone
        ),
        timezone.make_aware(dt.datetime.combine(starts.date(), MORNING_OF_AT), zone),
    ]
    link = reverse("bookings:my_bookings")
    for due, key in zip(times, _reminder_keys(booking), strict=True):
        if clock.now() < due < booking.occurrence.starts_at:
            notify(
                recipient=booking.member,
                purpose=SESSION_REMINDER,
                subject=booking,
                link=link,
                due_at=due,
                idempotency_key=key,
                organisation=booking.occurrence.service.organisation,
            )


@transaction.atomic
def booking_create(*, actor: User, occurrence: Occurrence) -> Booking:
    """A place if there is one; otherwise a place on the waiting list."""
    occurrence = _locked(occurrence)
    if occurrence.cancelled or occurrence.starts_at <= clock.now():
        raise BookingError("This session has been cancelled or has already started.")
    if Booking.objects.filter(
        occurrence=occurrence, member=actor, status__in=["booked", "waiting", "offered"]
    ).exists():
        raise BookingError("You already have a place or are on the waiting list.")
    capacity = occurrence.service.capacity
    queue = Booking.objects.filter(occurrence=occurrence, status__in=["waiting", "offered"])
    full = capacity is not None and (_booked_count(occurrence) >= capacity or queue.exists())
    booking = Booking.objects.create(
        occurrence=occurrence,
        member=actor,
        status=BookingStatus.WAITING if full else BookingStatus.BOOKED,
    )
    audit_record(actor=actor, action=Action.CREATE, obj=booking, fields=["status"])
    if booking.status == BookingStatus.BOOKED:
        _remind(booking)
    return booking


@transaction.atomic
def booking_cancel(*, actor: Actor, booking: Booking) -> Booking:
    """She gives up her place (or a coordinator, or her erasure, does it for her); it goes
    to the next person waiting."""
    _locked(booking.occurrence)
    booking.refresh_from_db()
    was_holding_a_place = booking.status in (BookingStatus.BOOKED, BookingStatus.OFFERED)
    booking.status = BookingStatus.CANCELLED
    booking.offered_until = None
    booking.save(update_fields=["status", "offered_until", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=booking, fields=["status"])
    notifications_withdraw(actor=actor, subject=booking, purposes=[SESSION_REMINDER])
    if was_holding_a_place:
        offer_next_place(actor=actor, occurrence=booking.occurrence)
    return booking


def offer_next_place(*, actor: Actor, occurrence: Occurrence) -> Booking | None:
    """Offer a free place to the first person waiting, for 24 hours (or until it starts).

    Audited as done by whoever freed the place: the person who cancelled, the coordinator who
    added places, or the worker when an offer ran out (``WORKER``).
    """
    if occurrence.cancelled or occurrence.starts_at <= clock.now():
        return None  # nothing to offer: the session is not happening or has begun
    capacity = occurrence.service.capacity
    holding = Booking.objects.filter(
        occurrence=occurrence, status__in=[BookingStatus.BOOKED, BookingStatus.OFFERED]
    ).count()
    if capacity is not None and holding >= capacity:
        return None
    waiting = (
        Booking.objects.filter(occurrence=occurrence, status=BookingStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is None or occurrence.starts_at <= clock.now():
        return None
    until = min(clock.now() + dt.timedelta(hours=OFFER_HOURS), occurrence.starts_at)
    waiting.status = BookingStatus.OFFERED
    waiting.offered_until = until
    waiting.save(update_fields=["status", "offered_until", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=waiting,
        fields=["status", "offered_until"],
        detail="offered from the waiting list",
    )
    notify(
        recipient=waiting.member,
        purpose=WAITING_LIST_OFFER,
        subject=waiting,
        link=reverse("bookings:my_bookings"),
        idempotency_key=f"booking:{waiting.public_id}:offer",
        organisation=occurrence.service.organisation,
    )
    job_enqueue(
        task="bookings.expire_offer",
        arguments={"booking_id": waiting.pk},
        due_at=until,
        idempotency_key=f"booking:{waiting.public_id}:expire",
        organisation=occurrence.service.organisation,
    )
    return waiting


@transaction.atomic
def booking_accept_offer(*, actor: User, booking: Booking) -> Booking:
    occurrence = _locked(booking.occurrence)
    booking.refresh_from_db()
    if occurrence.cancelled:
        raise BookingError("This session has been cancelled.")
    if booking.status != BookingStatus.OFFERED or (
        booking.offered_until is not None and booking.offered_until <= clock.now()
    ):
        raise BookingError("This offer has run out.")
    booking.status = BookingStatus.BOOKED
    booking.offered_until = None
    booking.save(update_fields=["status", "offered_until", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=booking, fields=["status"])
    _remind(booking)
    return booking


@transaction.atomic
def booking_expire_offer(*, actor: Actor, booking: Booking) -> Booking:
    """When an offer runs out, the place goes to the next person waiting (the worker runs
    this when the offer is due to run out: ``tasks.expire_offer``, as ``WORKER``)."""
    _locked(booking.occurrence)
    booking.refresh_from_db()
    if booking.status != BookingStatus.OFFERED:
        return booking
    booking.status = BookingStatus.EXPIRED
    booking.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action=Action.UPDATE, obj=booking, fields=["status"], detail="offer ran out"
    )
    offer_next_place(actor=actor, occurrence=booking.occurrence)
    return booking


class Change:
    """What happened to a session someone has booked (stored in the message's context)."""

    CANCELLED = "cancelled"
    MOVED = "moved"
    PLACE = "place"
    JUST_TURN_UP = "just_turn_up"


# Staff often make several edits in a row: changes to one booked session within this time
# become one message per person (a cancellation is sent at once, and replaces them).
CHANGES_GATHERED_FOR = dt.timedelta(minutes=10)


def _tell(booking: Booking, *, actor: Actor, change: str, version: str) -> None:
    service = booking.occurrence.service
    if change == Change.CANCELLED:
        # Anything still gathering is out of date: the cancellation says all she needs.
        notifications_withdraw(actor=actor, subject=booking, purposes=[SESSION_CHANGED])
    notify(
        recipient=booking.member,
        purpose=SESSION_CHANGED,
        subject=booking,
        context={"change": change},
        link=reverse("bookings:my_bookings"),
        idempotency_key=f"booking:{booking.public_id}:{change}:{version}",
        organisation=service.organisation,
        gather_within=None if change == Change.CANCELLED else CHANGES_GATHERED_FOR,
    )


@transaction.atomic
def bookings_session_changed(
    *,
    actor: Actor,
    occurrence: Occurrence,
    change: str | None = None,
    previous_starts_at: dt.datetime | None = None,
) -> int:
    """A session was cancelled, moved, or its place changed: tell everyone holding or
    waiting for a place. Cancelled: her reminders are withdrawn. Moved: reminders for the old
    time are withdrawn (one already sent stays sent) and made again for the new time.
    (Called from ``reactions.py`` when the directory says so; nothing here is audited: it
    sends messages and changes no booking.)

    Returns the number of people told.
    """
    from peerpath.bookings.models import OPEN_STATUSES

    change = change or (Change.CANCELLED if occurrence.cancelled else Change.MOVED)
    bookings = list(
        Booking.objects.filter(occurrence=occurrence, status__in=OPEN_STATUSES).select_related(
            "member", "occurrence__service__organisation"
        )
    )
    version = occurrence.starts_at.isoformat() if change == Change.MOVED else ""
    if change == Change.PLACE:
        version = clock.now().isoformat()
    for booking in bookings:
        if change == Change.CANCELLED or (change == Change.MOVED and previous_starts_at):
            # Her reminders for the old time (one already sent stays sent).
            notifications_withdraw(actor=actor, subject=booking, purposes=[SESSION_REMINDER])
        _tell(booking, change=change, version=version, actor=actor)
        if change == Change.MOVED and booking.status == BookingStatus.BOOKED:
            _remind(booking)
    return len(bookings)


@transaction.atomic
def bookings_place_changed(*, actor: Actor, services: Sequence[Service]) -> int:
    """Where the listings meet, or how to join, changed: tell those holding or waiting for
    a place at their future sessions. Returns the number of sessions whose people were told."""
    from peerpath.bookings.querysets import future_sessions_with_people

    sessions = list(future_sessions_with_people(list(services)))
    for occurrence in sessions:
        bookings_session_changed(actor=actor, occurrence=occurrence, change=Change.PLACE)
    return len(sessions)


@transaction.atomic
def bookings_places_changed(*, actor: Actor, service: Service) -> int:
    """The number of places went up, or booking was switched off: people waiting at future
    sessions are offered a place (or, with no booking needed, told to just turn up).

    Returns the number of people offered a place or told.
    """
    from peerpath.bookings.models import OPEN_STATUSES

    changed = 0
    sessions = Occurrence.objects.filter(
        service=service, starts_at__gt=clock.now(), cancelled=False
    ).select_related("service__organisation")
    for occurrence in sessions:
        if not service.booking_required:
            for booking in Booking.objects.filter(
                occurrence=occurrence,
                status__in=[status for status in OPEN_STATUSES if status != BookingStatus.BOOKED],
            ).select_related("member", "occurrence__service__organisation"):
                booking.status = BookingStatus.BOOKED
                booking.offered_until = None
                booking.save(update_fields=["status", "offered_until", "updated_at"])
                audit_record(actor=actor, action=Action.UPDATE, obj=booking, fields=["status"])
                _tell(booking, actor=actor, change=Change.JUST_TURN_UP, version="")
                _remind(booking)
                changed += 1
            continue
        while offer_next_place(actor=actor, occurrence=occurrence) is not None:
            changed += 1
    return changed


@dataclass(frozen=True)
class Mark:
    """One line of the register: did she come, and was it her first time."""

    attended: bool | None
    first_visit: bool


@transaction.atomic
def register_record(
    *,
    actor: User,
    occurrence: Occurrence,
    marks: dict[int, Mark],
    walk_ins: int,
    walk_in_first_visits: int,
) -> Occurrence:
    """Save a session's register: each booked person's attendance, and a count of people
    who came without booking (all of them, for groups where you just turn up)."""
    if walk_in_first_visits > walk_ins:
        raise BookingError("More first visits than people who came.")
    occurrence = _locked(occurrence)
    changed = []
    for booking in Booking.objects.filter(
        occurrence=occurrence, status=BookingStatus.BOOKED, pk__in=list(marks)
    ):
        mark = marks[booking.pk]
        first_visit = bool(mark.first_visit and mark.attended)
        if (booking.attended, booking.first_visit) != (mark.attended, first_visit):
            booking.attended = mark.attended
            booking.first_visit = first_visit
            booking.updated_at = clock.now()
            changed.append(booking)
    Booking.objects.bulk_update(changed, ["attended", "first_visit", "updated_at"])
    audit_record_many(
        actor=actor,
        action=Action.UPDATE,
        objects=changed,
        organisation=occurrence.service.organisation,
        fields=("attended", "first_visit"),
    )
    if (occurrence.walk_ins, occurrence.walk_in_first_visits) != (walk_ins, walk_in_first_visits):
        occurrence.walk_ins = walk_ins
        occurrence.walk_in_first_visits = walk_in_first_visits
        occurrence.save(update_fields=["walk_ins", "walk_in_first_visits", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=occurrence,
            organisation=occurrence.service.organisation,
            fields=("walk_ins", "walk_in_first_visits"),
        )
    return occurrence


def calendar_token_hash(token: str) -> str:
    return token_hash(token)


@transaction.atomic
def calendar_feed_create(*, actor: User) -> CalendarFeed:
    """Her private calendar address, made the first time she asks for it."""
    existing = CalendarFeed.objects.select_for_update().filter(user=actor).first()
    if existing is not None:
        return existing
    token = secret_token()
    try:
        with transaction.atomic():
            feed = CalendarFeed.objects.create(
                user=actor, token=token, token_hash=calendar_token_hash(token)
            )
    except IntegrityError:  # she pressed twice at once: the other request made it
        return CalendarFeed.objects.get(user=actor)
    audit_record(actor=actor, action=Action.CREATE, obj=feed, fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_reset(*, actor: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
    if feed is None:
        return calendar_feed_create(actor=actor)
    token = secret_token()
    feed.token = token
    feed.token_hash = calendar_token_hash(token)
    feed.save(update_fields=["token", "token_hash", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=feed, fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_delete(*, actor: Actor, user: User) -> int:
    """Her private calendar address stops working (erasure)."""
    feeds = list(CalendarFeed.objects.filter(user=user))
    for feed in feeds:
        audit_record(actor=actor, action=Action.DELETE, obj=feed)
        feed.delete()
    return len(feeds)
