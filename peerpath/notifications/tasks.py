"""Registers the delivery outbox with the worker (this module is autodiscovered)."""

from peerpath.jobs.registry import Outbox, register_outbox
from peerpath.notifications.dispatch import deliveries_dispatch, deliveries_reap_expired_leases

register_outbox(
    Outbox(
        name="notifications",
        dispatch=deliveries_dispatch,
        reap=deliveries_reap_expired_leases,
    )
)
