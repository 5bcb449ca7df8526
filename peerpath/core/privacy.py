"""Her rights over what is held about her, contributed by each app.

Each app that keeps anything about a person says so in its own ``privacy.py`` (discovered at
start-up, see ``peerpath.core.apps``) by registering a ``PersonalData``: the models it claims,
how they appear in her copy of everything (``export``) and what erasure does to them
(``erase``). ``peerpath.accounts.subject_rights`` runs them all; it never names another app's
tables. A test fails when a model that refers to a person is claimed by nobody.

Erasure runs the highest layer first (a booking is cancelled while her account still exists),
so the app that owns the person goes last.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peerpath.accounts.models import User

Exporter = Callable[["User"], Mapping[str, Any]]

Eraser = Callable[..., None]  # (*, actor: Actor, user: User, now: datetime) -> None


@dataclass(frozen=True)
class PersonalData:
    """What one app holds about a person.

    ``models``: labels ("bookings.Booking") whose rows this app exports and erases.
    ``kept``: labels this app exports but keeps at erasure, each with the reason (the law, or
    safeguarding) that a reader of the erasure policy can check.
    """

    app: str
    export: Exporter
    erase: Eraser
    models: tuple[str, ...] = ()
    kept: Mapping[str, str] = field(default_factory=dict)

    def claims(self) -> set[str]:
        return set(self.models) | set(self.kept)


_REGISTERED: dict[str, PersonalData] = {}


def register(personal_data: PersonalData) -> PersonalData:
    existing = _REGISTERED.get(personal_data.app)
    if existing is not None and existing is not personal_data:
        raise ValueError(f"{personal_data.app} registered its personal data twice.")
    _REGISTERED[personal_data.app] = personal_data
    return personal_data


def registered() -> list[PersonalData]:
    """In INSTALLED_APPS order: lowest layer first."""
    from django.apps import apps

    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_REGISTERED.values(), key=lambda item: order.get(item.app, len(order)))


def claimed_models() -> dict[str, str]:
    """{model label: the app that claims it}."""
    claimed: dict[str, str] = {}
    for personal_data in registered():
        for label in personal_data.claims():
            claimed[label] = personal_data.app
    return claimed
