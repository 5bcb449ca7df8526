from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ensure_consent_texts
from peerpath.accounts.models import ConsentKind, User
from peerpath.accounts.services import consent_give
from peerpath.checkins import instruments
from peerpath.checkins.models import CheckIn
from peerpath.safeguarding.tests.conftest import IN_HOURS, Duty, duty, london

__all__ = ["IN_HOURS", "Duty", "duty", "london"]


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def consenting(person: User) -> User:
    ensure_consent_texts()
    consent_give(actor=person, user=person, kind=ConsentKind.HEALTH_DATA)
    return person


@pytest.fixture
def member(duty: Duty) -> User:  # the duty charity's member, agreed to health data use
    return consenting(duty.member)


def start(client: Client, instrument_id: str) -> str:
    """Start (or carry on) a check-in; the address of its first unanswered question."""
    response = client.post(reverse("checkins:start", kwargs={"instrument_id": instrument_id}))
    assert response.status_code == 302, response
    return str(response["Location"])


def answer_all(client: Client, instrument_id: str, positions: dict[int, int]) -> Any:
    """Answer every question in order (``positions``: item number -> option position; the
    unscored ones left out unless given); the last response."""
    address = start(client, instrument_id)
    checkin = CheckIn.objects.latest("created_at", "pk")
    response = None
    for item in instruments.get(instrument_id).items:
        address = reverse(
            "checkins:question", kwargs={"public_id": checkin.public_id, "number": item.number}
        )
        chosen = positions.get(item.number)
        data = {"answer": str(chosen)} if chosen is not None else {}
        response = client.post(address, data)
        assert response.status_code == 302, text(response)
    return response


def positions_scoring(instrument_id: str, scores: dict[int, int]) -> dict[int, int]:
    """Option positions that give these scores (reversed items included)."""
    instrument = instruments.get(instrument_id)
    found = {}
    for item in instrument.items:
        if item.number in scores:
            found[item.number] = next(
                i for i, option in enumerate(item.options) if option.score == scores[item.number]
            )
    return found
