"""Amelia asked for a peer supporter and was matched with Hazel, who also had hyperemesis; Bea
has asked and is waiting, so the coordinators' queue has someone in it."""

from __future__ import annotations

import datetime as dt

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership
from peerpath.buddying.choices import Mode, Rhythm
from peerpath.buddying.services import (
    contact_log,
    goal_add,
    proposal_accept,
    proposal_create,
    step_add,
    support_request_create,
)
from peerpath.buddying.suggestions import suggestions_for
from peerpath.core import clock
from peerpath.core.demo import DemoWorld, demo_step


def _place(world: DemoWorld, name: str, role: str) -> Membership:
    return Membership.objects.get(user=world.people[name], role=role, ended_at__isnull=True)


@demo_step
def seed(world: DemoWorld) -> None:
    amelia, bea, hazel, clover = (
        world.people["amelia"],
        world.people["bea"],
        world.people["hazel"],
        world.people["clover"],
    )
    request = support_request_create(
        actor=amelia,
        member=_place(world, "amelia", Role.MEMBER),
        story="Sick every day until 20 weeks. I feel better now but I am scared it will all "
        "come back after the birth, and I have nobody nearby who gets it.",
        hopes="Someone who has been through hyperemesis to talk to in the mornings.",
        experiences=["hyperemesis"],
        modes=[Mode.PHONE, Mode.TEXT, Mode.IN_PERSON],
        rhythm=Rhythm.WEEKLY,
        availability={"mon": ["morning"], "wed": ["morning"]},
        languages=["en"],
        area="Exeter",
    )
    hazel_place = _place(world, "hazel", Role.PEER_SUPPORTER)
    suggestions, excluded = suggestions_for(request)
    suggestion = next((s for s in suggestions if s.candidate.key == hazel_place.pk), None)
    if suggestion is None:
        reasons = [e.reasons for e in excluded if e.candidate.key == hazel_place.pk]
        raise RuntimeError(f"The demo's Hazel cannot be matched: {reasons}")
    proposal = proposal_create(actor=clover, request=request, suggestion=suggestion)
    match = proposal_accept(actor=hazel, proposal=proposal, still_suitable=True)
    goal = goal_add(actor=amelia, match=match, words="Feel ready for the birth, not scared")
    step_add(actor=hazel, goal=goal, words="Write down what helped last time")
    step_add(
        actor=amelia,
        goal=goal,
        words="Ask the midwife about a birth plan with the perinatal team",
        remind_at=clock.now() + dt.timedelta(days=3),
    )
    goal_add(actor=hazel, match=match, words="Get out for a walk twice a week")
    contact_log(
        actor=hazel,
        match=match,
        happened_on=clock.today(),
        mode=Mode.PHONE,
        minutes=40,
        talked_about="How the sickness was, and her worries about it coming back after the birth.",
        follow_ups="Send her the Tuesday group's details.",
    )

    support_request_create(
        actor=bea,
        member=_place(world, "bea", Role.MEMBER),
        story="My son was in the neonatal unit for three weeks. He is home and doing well "
        "but I cannot stop checking on him at night.",
        hopes="To talk to another mum whose baby was in NICU.",
        experiences=["nicu", "feeding"],
        modes=[Mode.VIDEO, Mode.TEXT],
        rhythm=Rhythm.FORTNIGHTLY,
        availability={"tue": ["evening"], "thu": ["evening"]},
        languages=["en", "pl"],
        area="Exmouth",
    )
