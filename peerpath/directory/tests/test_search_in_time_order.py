"""Search reads sessions in time order: who comes first, which dates show, and that every way
a listing is written is seen by the filters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerpath.accounts.models import Organisation, User
from peerpath.directory.choices import Kind, time_of_day
from peerpath.directory.forms import ONLINE
from peerpath.directory.models import Location, Occurrence, Schedule, Service
from peerpath.directory.querysets import nearest_online, search
from peerpath.directory.services import service_update

pytestmark = pytest.mark.django_db
# Wednesday 4 November 2026, 09:00 in London (GMT, so UTC too). This week ends on Sunday 8th.
NOW = dt.datetime(2026, 11, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC)


def _listed(
    organisation: Organisation,
    name: str,
    starts: list[dt.datetime],
    *,
    cancelled: tuple[dt.datetime, ...] = (),
    area: str | None = None,
    **fields: object,
) -> Service:
    location = None
    if area:
        location = Location.objects.create(
            organisation=organisation, name=f"{area} hall", address="1 High Street", area=area
        )
    service = Service.objects.create(
        organisation=organisation,
        name=name,
        kind=fields.pop("kind", Kind.PEER_GROUP),
        summary="A group.",
        location=location,
        last_checked_on=dt.date(2026, 10, 1),
        **fields,
    )
    for start in starts:
        local = timezone.localtime(start)
        Occurrence.objects.create(
            service=service,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=90),
            original_starts_at=start,
            weekday=local.weekday(),
            time_of_day=time_of_day(local.hour),
            cancelled=start in cancelled,
        )
    return service


def _names(filters: dict[str, object], limit: int = 30) -> list[str]:
    results, _anytime = search(filters, limit=limit)
    return [result.service.name for result in results]


def test_services_come_in_order_of_their_soonest_session_with_the_next_three_dates(
    organisation,
):
    _listed(organisation, "Friday", [at(6, 10)])
    _listed(organisation, "Busy", [at(4, 10), at(4, 12), at(4, 14), at(5, 10), at(7, 10)])
    _listed(organisation, "Thursday", [at(5, 9)])
    results, _anytime = search({})
    assert [r.service.name for r in results] == ["Busy", "Thursday", "Friday"]
    assert [o.starts_at for o in results[0].next] == [at(4, 10), at(4, 12), at(4, 14)]
    assert [o.starts_at for o in results[1].next] == [at(5, 9)]


def test_a_service_with_many_early_sessions_takes_one_place_in_the_limit(organisation):
    _listed(organisation, "Daily", [at(4, hour) for hour in range(10, 20)])
    _listed(organisation, "Evening", [at(4, 20)])
    _listed(organisation, "Tomorrow", [at(5, 10)])
    assert _names({}, limit=2) == ["Daily", "Evening"]


def test_services_starting_at_the_same_time_keep_the_order_they_were_listed_in(organisation):
    _listed(organisation, "Zebra crossing club", [at(5, 10)])
    _listed(organisation, "Acorns", [at(5, 10)])
    assert _names({}) == ["Zebra crossing club", "Acorns"]


def test_cancelled_and_past_sessions_and_those_after_the_window_do_not_count(organisation):
    _listed(organisation, "Moved on", [at(4, 10), at(6, 10)], cancelled=(at(4, 10),))
    _listed(organisation, "Called off", [at(4, 11)], cancelled=(at(4, 11),))
    _listed(organisation, "Yesterday", [at(3, 10), at(5, 12)])
    _listed(organisation, "Next week", [at(10, 10)])
    results, _anytime = search({})
    assert [r.service.name for r in results] == ["Yesterday", "Moved on"]
    assert [o.starts_at for o in results[1].next] == [at(6, 10)]
    assert "Next week" in _names({"when": "next_week"})


def test_a_time_of_day_filter_orders_by_the_first_session_at_that_time(organisation):
    _listed(organisation, "Mornings and Saturday evening", [at(4, 10), at(7, 19)])
    _listed(organisation, "Thursday evening", [at(5, 19)])
    results, anytime = search({"times": ["evening"]})
    assert [r.service.name for r in results] == [
        "Thursday evening",
        "Mornings and Saturday evening",
    ]
    assert [o.starts_at for o in results[1].next] == [at(7, 19)]
    assert anytime == []


def test_the_search_costs_the_same_queries_for_fewer_or_more_services_than_it_shows(
    organisation,
):
    for n in range(2):
        _listed(organisation, f"Group {n}", [at(4 + n % 4, 10 + n % 9)])
    with CaptureQueriesContext(connection) as few:
        search({"when": "four_weeks"}, limit=5)
    for n in range(2, 30):
        _listed(organisation, f"Group {n}", [at(4 + n % 4, 10 + n % 9), at(11, 10)])
    with CaptureQueriesContext(connection) as many:
        results, _anytime = search({"when": "four_weeks"}, limit=5)
    assert len(results) == 5
    assert len(many.captured_queries) == len(few.captured_queries)


def test_services_without_sessions_are_listed_by_kind_and_name_within_the_place(
    organisation,
):
    _listed(organisation, "Night line", [], kind=Kind.HELPLINE)
    _listed(organisation, "Ask a midwife", [], kind=Kind.HELPLINE)
    _listed(organisation, "Exeter talking therapies", [], kind=Kind.GP, area="Exeter")
    _listed(organisation, "Plymouth GP", [], kind=Kind.GP, area="Plymouth")
    with_times = _listed(organisation, "Weekly group", [at(5, 10)], area="Exeter")
    Schedule.objects.create(
        service=with_times, first_starts_at=at(5, 10), rrule="FREQ=WEEKLY;BYDAY=TH"
    )
    _results, anytime = search({"where": "Exeter"})
    assert [s.name for s in anytime] == ["Exeter talking therapies", "Ask a midwife", "Night line"]
    _results, first_two = search({"where": "Exeter"}, limit=2)
    assert [s.name for s in first_two] == ["Exeter talking therapies", "Ask a midwife"]


def test_the_suggestion_is_the_soonest_online_group_with_its_dates(organisation):
    _listed(organisation, "In person", [at(4, 10)], area="Exeter")
    _listed(organisation, "Online later", [at(20, 19)], online=True)
    _listed(organisation, "Online soon", [at(12, 19), at(19, 19)], online=True)
    suggestion = nearest_online({"where": "Exeter"})
    assert suggestion is not None
    assert suggestion.service.name == "Online soon"
    assert [o.starts_at for o in suggestion.next] == [at(12, 19), at(19, 19)]
    assert _names({"where": ONLINE, "when": "four_weeks"}) == ["Online soon", "Online later"]


# Every way a listing is written is seen by the filters. --------------------------------


def test_a_listing_changed_through_service_update_is_found_by_its_new_stage_and_family(
    organisation, coordinator: User
):
    service = _listed(organisation, "Bumps", [at(5, 10)], for_whom=["baby_0_12"])
    assert _names({"stage": "pregnant"}) == []
    service_update(
        actor=coordinator,
        service=service,
        for_whom=["pregnant"],
        family=["babies_welcome"],
        languages=["pl"],
    )
    assert _names({"stage": "pregnant"}) == ["Bumps"]
    assert _names({"family": ["babies_welcome"]}) == ["Bumps"]
    assert _names({"language": "pl"}) == ["Bumps"]
    assert _names({"stage": "baby_0_12"}) == []


def test_listings_written_in_bulk_or_by_queryset_update_are_found_by_the_filters(
    organisation,
):
    made = Service.objects.bulk_create(
        [
            Service(
                organisation=organisation,
                name=name,
                kind=Kind.PEER_GROUP,
                summary="A group.",
                for_whom=for_whom,
                family=["creche"],
                last_checked_on=dt.date(2026, 10, 1),
            )
            for name, for_whom in (("Bump club", ["pregnant"]), ("Toddle", ["baby_12_24"]))
        ]
    )
    Occurrence.objects.bulk_create(
        Occurrence(
            service=service,
            starts_at=at(5, 10),
            ends_at=at(5, 11),
            original_starts_at=at(5, 10),
            weekday=3,
            time_of_day="morning",
        )
        for service in made
    )
    assert _names({"stage": "pregnant"}) == ["Bump club"]
    assert _names({"family": ["creche"]}) == ["Bump club", "Toddle"]
    Service.objects.filter(name="Toddle").update(for_whom=["pregnant", "partners"], family=[])
    assert _names({"stage": "pregnant"}) == ["Bump club", "Toddle"]
    assert _names({"family": ["creche"]}) == ["Bump club"]
    _results, anytime = search({"stage": "partners"})
    assert [s.name for s in anytime] == ["Toddle"]  # no schedule, so also listed as anytime
