"""Invented demo data, so a newcomer sees PeerPath as a charity would run it.

Each app seeds its own part in its ``demo.py`` with ``@demo_step``; steps run in
INSTALLED_APPS order (lowest layer first) in one transaction, and pass what later steps need
(the charities, the people) in a ``DemoWorld``. Never available in production settings:
``seed_demo`` refuses, and demo accounts cannot sign in there (see AccountAdapter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation, User


@dataclass
class DemoWorld:
    """What the steps so far have made: the charities by slug, the people by first name."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)

    @property
    def organisation(self) -> Organisation:
        """The demo charity (the first one made)."""
        return next(iter(self.organisations.values()))


DemoStep = Callable[[DemoWorld], None]
_STEPS: dict[str, DemoStep] = {}


def demo_step(function: DemoStep) -> DemoStep:
    """Register an app's demo data (one step per app, named by its module)."""
    app = function.__module__.removesuffix(".demo")
    if app in _STEPS and _STEPS[app] is not function:
        raise ValueError(f"{app} registered two demo steps.")
    _STEPS[app] = function
    return function


def demo_steps() -> list[tuple[str, DemoStep]]:
    """In INSTALLED_APPS order."""
    from django.apps import apps

    order = {config.name: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_STEPS.items(), key=lambda item: order.get(item[0], len(order)))


def demo_allowed() -> None:
    if not settings.PEERPATH_DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demo data is never loaded with these settings.")


@transaction.atomic
def seed_demo() -> DemoWorld:
    """Run every app's demo step, in one transaction."""
    demo_allowed()
    world = DemoWorld()
    for _app, step in demo_steps():
        step(world)
    return world
