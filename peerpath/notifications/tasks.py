"""Registers the delivery outbox with the worker (this module is autodiscovered)."""

from peerpath.jobs.registry import Outbox, register_outbox
from peerpath.notifications.dispatch import deliveries_dispatch
from peerpath.notifications.models import Delivery

register_outbox(Outbox(name="notifications", model=Delivery, dispatch=deliveries_dispatch))
