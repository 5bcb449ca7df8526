"""A charity at a fixed Tuesday morning (2 March 2027, London): a member who agreed to the use
of health data, a coordinator, and two peer supporters, Hazel (trained, checked and supervised)
and Ivy (whose supervision has lapsed)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import ensure_consent_texts, make_person, membership_of
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentKind, Membership, Organisation, User
from peerpath.accounts.services import consent_give, supporter_profile_update
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.tests.conftest import Duty, duty
from peerpath.supervision.models import CheckOutcome, TrainingModule
from peerpath.supervision.services import (
    background_check_record,
    supervision_session_record,
    training_completion_record,
)

__all__ = ["Duty", "duty"]

TUESDAY = dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)  # 10am in London (GMT)


@pytest.fixture(autouse=True)
def _tuesday_morning() -> Iterator[None]:
    with time_machine.travel(TUESDAY, tick=False):
        yield


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def make_ready(place: Membership, *, supervised_on: dt.date, supervisor: User) -> None:
    """Trained, checked, and supervised on ``supervised_on``."""
    module, _created = TrainingModule.objects.get_or_create(
        organisation=place.organisation,
        name="Peer support foundations",
        defaults={"required_for_matching": True},
    )
    training_completion_record(
        actor=OPERATOR, supporter=place, module=module, completed_on=dt.date(2026, 9, 1)
    )
    background_check_record(
        actor=OPERATOR,
        supporter=place,
        kind="Enhanced DBS",
        checked_on=dt.date(2026, 8, 1),
        outcome=CheckOutcome.CLEAR,
        renew_by=None,
    )
    supervision_session_record(
        actor=OPERATOR,
        supporter=place,
        supervisor=supervisor,
        held_on=supervised_on,
        notes="",
        agreed_actions="",
        is_debrief=False,
    )


@dataclass
class Charity:
    organisation: Organisation
    member: User
    coordinator: User
    hazel: User
    ivy: User

    @property
    def member_place(self) -> Membership:
        return membership_of(self.member, Role.MEMBER)

    @property
    def hazel_place(self) -> Membership:
        return membership_of(self.hazel, Role.PEER_SUPPORTER)

    @property
    def ivy_place(self) -> Membership:
        return membership_of(self.ivy, Role.PEER_SUPPORTER)


def _supporter(organisation: Organisation, name: str, **profile: Any) -> User:
    person = make_person(organisation, Role.PEER_SUPPORTER, display_name=name)
    supporter_profile_update(
        actor=person,
        profile=membership_of(person, Role.PEER_SUPPORTER).supporter_profile,
        **profile,
    )
    return person


@pytest.fixture
def charity(organisation: Organisation) -> Charity:
    ensure_consent_texts()
    member = make_person(organisation, Role.MEMBER, display_name="Sunflower 12")
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    coordinator = make_person(organisation, Role.COORDINATOR, display_name="Clover")
    hazel = _supporter(
        organisation,
        "Hazel",
        lived_experiences=["hyperemesis"],
        languages=["en"],
        areas=["Exeter"],
        availability={"mon": ["morning"]},
    )
    ivy = _supporter(organisation, "Ivy", languages=["en"], areas=["Exeter"])
    make_ready(
        membership_of(hazel, Role.PEER_SUPPORTER),
        supervised_on=dt.date(2027, 2, 20),
        supervisor=coordinator,
    )
    make_ready(  # more than 31 days ago: lapsed
        membership_of(ivy, Role.PEER_SUPPORTER),
        supervised_on=dt.date(2027, 1, 5),
        supervisor=coordinator,
    )
    return Charity(organisation, member, coordinator, hazel, ivy)
