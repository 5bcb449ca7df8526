from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from conftest import make_person, membership_of
from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership, Organisation, User
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.tests.conftest import IN_HOURS, Duty, duty, london
from peerpath.supervision.models import CheckOutcome, TrainingModule
from peerpath.supervision.services import (
    background_check_record,
    supervision_session_record,
    training_completion_record,
    training_module_save,
)

__all__ = ["IN_HOURS", "NOW", "TODAY", "Duty", "Team", "duty", "london", "team"]

NOW = IN_HOURS  # Tuesday 2 March 2027, 10am in London
TODAY = dt.date(2027, 3, 2)


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


@dataclass
class Team:
    organisation: Organisation
    coordinator: User  # Ash
    lead: User  # Cedar: an org admin named the safeguarding lead
    admin: User  # Birch: an org admin, not a lead
    supporter: User  # Hazel
    other_supporter: User  # Rowan
    member: User
    outsider: User  # coordinator and admin of another charity
    safeguarding: Module
    foundation: Module

    @property
    def hazel(self) -> Membership:
        return membership_of(self.supporter, Role.PEER_SUPPORTER)

    @property
    def rowan(self) -> Membership:
        return membership_of(self.other_supporter, Role.PEER_SUPPORTER)


Module = TrainingModule


def module(organisation: Organisation, name: str, *, months: int | None, **fields: Any) -> Module:
    return training_module_save(
        actor=OPERATOR,
        obj=TrainingModule(organisation=organisation, name=name, valid_for_months=months, **fields),
        changed=["name", "valid_for_months"],
    )


@pytest.fixture
def team(duty: Duty, other_organisation: Organisation) -> Team:
    organisation = duty.organisation
    return Team(
        organisation=organisation,
        coordinator=duty.primary,
        lead=duty.lead,
        admin=make_person(organisation, Role.ORG_ADMIN, display_name="Birch"),
        supporter=duty.supporter,
        other_supporter=make_person(organisation, Role.PEER_SUPPORTER, display_name="Rowan"),
        member=duty.member,
        outsider=make_person(
            other_organisation, Role.COORDINATOR, Role.ORG_ADMIN, display_name="River"
        ),
        safeguarding=module(organisation, "Safeguarding training", months=12),
        foundation=module(organisation, "Peer support foundation course", months=None),
    )


def make_ready(team: Team, place: Membership, *, today: dt.date = TODAY) -> None:
    """Every required module completed a month ago, a clear check, supervision a week ago."""
    for required in (team.safeguarding, team.foundation):
        training_completion_record(
            actor=team.coordinator,
            supporter=place,
            module=required,
            completed_on=today - dt.timedelta(days=30),
        )
    background_check_record(
        actor=team.coordinator,
        supporter=place,
        kind="Enhanced DBS",
        checked_on=today - dt.timedelta(days=60),
        outcome=CheckOutcome.CLEAR,
        renew_by=None,
    )
    supervision_session_record(
        actor=team.coordinator,
        supporter=place,
        supervisor=team.coordinator,
        held_on=today - dt.timedelta(days=7),
        notes="Private note about her practice.",
        agreed_actions="Try the grounding exercise before calls.",
        is_debrief=False,
    )
