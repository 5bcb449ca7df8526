"""The directory knows nothing of bookings: it says what changed through its hooks, and
bookings (a higher app) reacts in the same transaction."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from peerpath.core.actors import OPERATOR
from peerpath.directory import hooks
from peerpath.directory.models import Location, Occurrence, Service

DIRECTORY = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_directory_module_imports_bookings():
    offenders = [
        str(path.relative_to(DIRECTORY))
        for path in DIRECTORY.rglob("*.py")
        if "tests" not in path.parts
        and any(name.startswith("peerpath.bookings") for name in _imports(path))
    ]
    assert offenders == []


def test_bookings_reacts_to_every_directory_hook():
    for name in (
        "session_cancelled",
        "session_moved",
        "listing_place_changed",
        "listing_capacity_changed",
        "count_people_booked",
        "count_people_booked_ahead",
    ):
        receivers = getattr(hooks, name).receivers
        assert [r.__module__ for r in receivers] == ["peerpath.bookings.reactions"], name


@pytest.mark.django_db
def test_a_receiver_that_fails_rolls_the_cancellation_back(organisation, monkeypatch):
    from peerpath.directory.services import occurrence_cancel

    service = Service.objects.create(
        organisation=organisation,
        name="Group",
        kind="peer_group",
        summary="A group.",
        location=Location.objects.create(
            organisation=organisation, name="Hall", address="1 High St", area="Exeter"
        ),
        last_checked_on=dt.date(2026, 1, 1),
    )
    starts = dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC)
    session = Occurrence.objects.create(
        service=service,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        original_starts_at=starts,
        weekday=1,
        time_of_day="morning",
    )

    def refuse(**kwargs: object) -> None:
        raise RuntimeError("the people booked could not be told")

    monkeypatch.setattr(hooks.session_cancelled, "_receivers", [refuse])
    with pytest.raises(RuntimeError):
        occurrence_cancel(actor=OPERATOR, occurrence=session)
    session.refresh_from_db()
    assert not session.cancelled
