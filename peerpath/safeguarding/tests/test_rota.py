"""The rota in Europe/London wall-clock time, across both clock changes; coverage; the feed."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from peerpath.core.actors import OPERATOR
from peerpath.notifications.services import phone_check_record
from peerpath.safeguarding.coverage import coverage_for
from peerpath.safeguarding.models import DutyPosition, RotaSlot, StaffedHours
from peerpath.safeguarding.rota import (
    is_staffed,
    next_staffed_start,
    on_duty,
    shifts,
    staffed_hours_words,
)
from peerpath.safeguarding.services import AlertError, rota_slot_save, rota_swap
from peerpath.safeguarding.tests.conftest import IN_HOURS, london

pytestmark = pytest.mark.django_db

# UK clocks go forward at 01:00 GMT on 28 March 2027 and back at 02:00 BST on 31 October.
SPRING = dt.date(2027, 3, 28)
AUTUMN = dt.date(2027, 10, 31)


def _overnight(duty, people):
    return rota_slot_save(
        actor=OPERATOR,
        slot=RotaSlot(
            organisation=duty.organisation,
            position=DutyPosition.PRIMARY,
            starts_at=dt.time(22, 0),
            ends_at=dt.time(8, 0),
            rotation_starts_on=dt.date(2027, 1, 4),
        ),
        changed=[],
        people=people,
    )


@pytest.mark.parametrize("day", [SPRING, AUTUMN])
def test_a_day_shift_starts_and_ends_at_its_wall_clock_times_on_the_day_the_clocks_change(
    duty, day
):
    org = duty.organisation
    assert on_duty(org, "primary", london(day.year, day.month, day.day, 7, 59)) is None
    assert on_duty(org, "primary", london(day.year, day.month, day.day, 8, 0)) == duty.primary
    assert on_duty(org, "primary", london(day.year, day.month, day.day, 21, 59)) == duty.primary
    assert on_duty(org, "primary", london(day.year, day.month, day.day, 22, 0)) is None


@pytest.mark.parametrize(("night", "hours"), [(SPRING, 9), (AUTUMN, 11)])
def test_a_night_shift_across_the_change_is_an_hour_shorter_in_spring_and_longer_in_autumn(
    duty, night, hours
):
    _overnight(duty, [duty.backup])
    evening = london(night.year, night.month, night.day, 12, 0) - dt.timedelta(days=1)
    found = [
        s
        for s in shifts(duty.organisation, evening, evening + dt.timedelta(days=1))
        if s.person == duty.backup and s.position == "primary"
    ]
    assert len(found) == 1
    assert found[0].ends_at - found[0].starts_at == dt.timedelta(hours=hours)


def test_both_half_past_ones_of_the_autumn_night_are_covered(duty):
    _overnight(duty, [duty.backup])
    first = dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)  # 01:30 BST
    second = dt.datetime(2027, 10, 31, 1, 30, tzinfo=dt.UTC)  # 01:30 GMT
    assert on_duty(duty.organisation, "primary", first) == duty.backup
    assert on_duty(duty.organisation, "primary", second) == duty.backup


def test_staffed_hours_follow_the_wall_clock_and_say_so_in_plain_words(organisation):
    hours = StaffedHours(organisation=organisation)
    assert staffed_hours_words(hours) == "between 8am and 10pm, every day"
    assert not is_staffed(hours, london(2027, 3, 28, 7, 59))
    assert is_staffed(hours, london(2027, 3, 28, 8, 0))
    assert next_staffed_start(hours, london(2027, 10, 30, 23, 0)) == london(2027, 10, 31, 8, 0)
    weekdays = StaffedHours(
        organisation=organisation, days=[0, 1, 2, 3, 4], staffed_until=dt.time(17, 30)
    )
    assert staffed_hours_words(weekdays) == "between 8am and 5:30pm, Monday to Friday"
    assert next_staffed_start(weekdays, london(2027, 3, 5, 18, 0)) == london(2027, 3, 8, 8, 0)


def test_a_weekly_rotation_takes_people_in_turn(duty):
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    rota_slot_save(actor=OPERATOR, slot=slot, changed=[], people=[duty.primary, duty.lead])
    monday = london(2027, 1, 4, 9, 0)
    week = dt.timedelta(days=7)
    assert [on_duty(duty.organisation, "primary", monday + n * week) for n in range(4)] == [
        duty.primary,
        duty.lead,
        duty.primary,
        duty.lead,
    ]
    slot.weeks_each = 2
    rota_slot_save(actor=OPERATOR, slot=slot, changed=["weeks_each"])
    assert [on_duty(duty.organisation, "primary", monday + n * week) for n in range(4)] == [
        duty.primary,
        duty.primary,
        duty.lead,
        duty.lead,
    ]


def test_a_swap_is_two_overrides_and_each_covers_the_others_shift(duty):
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    rota_slot_save(actor=OPERATOR, slot=slot, changed=[], people=[duty.primary, duty.lead])
    mine = (london(2027, 1, 5, 8, 0), london(2027, 1, 5, 22, 0))  # Ash's week
    theirs = (london(2027, 1, 12, 8, 0), london(2027, 1, 12, 22, 0))  # Cedar's week
    rota_swap(
        actor=OPERATOR,
        organisation=duty.organisation,
        position="primary",
        first=mine,
        second=theirs,
    )
    assert on_duty(duty.organisation, "primary", london(2027, 1, 5, 12, 0)) == duty.lead
    assert on_duty(duty.organisation, "primary", london(2027, 1, 12, 12, 0)) == duty.primary
    assert on_duty(duty.organisation, "primary", london(2027, 1, 6, 12, 0)) == duty.primary


def test_only_people_who_handle_alerts_can_be_on_the_rota(duty):
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    with pytest.raises(AlertError, match="cannot handle"):
        rota_slot_save(actor=OPERATOR, slot=slot, changed=[], people=[duty.supporter])


def test_coverage_shows_the_gaps_uneven_shares_and_who_cannot_be_paged(duty):
    # Ash covers weekdays only and has checked her mobile; Bay's number was never checked,
    # and she has no phone notifications.
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    slot.days = [0, 1, 2, 3, 4]
    rota_slot_save(actor=OPERATOR, slot=slot, changed=["days"])
    phone_check_record(actor=OPERATOR, user=duty.primary)
    monday = london(2027, 3, 1, 0, 0)
    coverage = coverage_for(duty.organisation, start=monday, days=7)
    assert coverage.staffed_hours == 7 * 14
    assert coverage.uncovered_percent == round(2 / 7 * 100)
    assert coverage.primary_gaps == [
        (london(2027, 3, 6, 8, 0), london(2027, 3, 6, 22, 0)),
        (london(2027, 3, 7, 8, 0), london(2027, 3, 7, 22, 0)),
    ]
    assert [load.person for load in coverage.unreachable] == [duty.backup]
    assert [load.person for load in coverage.loads if load.over_share] == []
    duty.primary.phone = "+447700900999"  # a new number is unchecked until she checks it
    duty.primary.save()
    coverage = coverage_for(duty.organisation, start=monday, days=7)
    assert {load.person for load in coverage.unreachable} == {duty.primary, duty.backup}


def test_the_rota_page_warns_of_gaps_and_her_calendar_feed_lists_only_her_shifts(duty):
    client = Client()
    with time_machine.travel(IN_HOURS, tick=False):
        client.force_login(duty.primary)
        page = client.get(reverse("safeguarding:rota", kwargs={"slug": duty.organisation.slug}))
        assert page.status_code == 200
        assert "Every staffed hour has someone on duty." in page.content.decode()
        made = client.post(
            reverse("safeguarding:duty_feed_create", kwargs={"slug": duty.organisation.slug})
        )
        assert made.status_code == 200  # the address is in this answer, and only here
        found = re.search(r"<code>(http[^<]+)</code>", made.content.decode())
        assert found is not None
        feed = Client().get(urlsplit(found.group(1)).path)
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    events = list(calendar.walk("VEVENT"))
    assert events
    # Ash is on duty, never backup: Bay's shifts are not in her feed.
    assert all(str(event["summary"]).startswith("On duty for alerts") for event in events)
    assert (
        Client().get(reverse("safeguarding:duty_feed", kwargs={"token": "nope"})).status_code == 404
    )


def test_a_shift_under_way_is_listed_whole_and_counted_from_now(duty):
    """At 10am the day's 8am-10pm shift is still 8am to 10pm on the rota and in her calendar
    (the same event at every fetch); only the hours counted start at 10am."""
    found = shifts(duty.organisation, IN_HOURS, IN_HOURS + dt.timedelta(hours=1))
    primary = [s for s in found if s.position == DutyPosition.PRIMARY]
    assert [(s.starts_at, s.ends_at) for s in primary] == [
        (london(2027, 3, 2, 8, 0), london(2027, 3, 2, 22, 0))
    ]
    coverage = coverage_for(duty.organisation, start=IN_HOURS, days=1)
    hours = {load.person: load.hours for load in coverage.loads}
    assert hours[duty.primary] == 14.0  # 10am to 10pm today, and 8am to 10am tomorrow
    assert coverage.shifts[0].starts_at == london(2027, 3, 2, 8, 0)

    from peerpath.safeguarding.services import duty_feed_reset

    token = duty_feed_reset(actor=duty.primary)
    url = reverse("safeguarding:duty_feed", kwargs={"token": token})
    events = []
    for minutes in (0, 47):
        with time_machine.travel(IN_HOURS + dt.timedelta(minutes=minutes), tick=False):
            feed = Calendar.from_ical(Client().get(url).content)
        today = [e for e in feed.walk("VEVENT") if e.decoded("dtstart").date() == IN_HOURS.date()]
        events.append([(str(e["uid"]), e.decoded("dtstart"), e.decoded("dtend")) for e in today])
    assert events[0] == events[1]
    assert events[0][0][1] == london(2027, 3, 2, 8, 0)
