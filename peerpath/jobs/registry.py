"""Tasks the worker may run, registered by name with the ``task`` decorator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peerpath.jobs.outbox import OutboxRow

TaskFunction = Callable[..., Any]
_TASKS: dict[str, TaskFunction] = {}


def task(name: str) -> Callable[[TaskFunction], TaskFunction]:
    """Register a task. Tasks take ids, re-fetch what they need and call one service."""

    def register(function: TaskFunction) -> TaskFunction:
        if name in _TASKS and _TASKS[name] is not function:
            raise ValueError(f"Two tasks are registered as {name!r}.")
        _TASKS[name] = function
        return function

    return register


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str
    every: dt.timedelta


_PERIODIC: dict[str, Periodic] = {}


def periodic(name: str, *, every: dt.timedelta) -> Callable[[TaskFunction], TaskFunction]:
    """Register a task that runs every ``every`` (it is also registered as a task ``name``)."""

    def register(function: TaskFunction) -> TaskFunction:
        task(name)(function)
        _PERIODIC[name] = Periodic(name=name, task=name, every=every)
        return function

    return register


def periodic_tasks() -> list[Periodic]:
    return [_PERIODIC[name] for name in sorted(_PERIODIC)]


def get_task(name: str) -> TaskFunction:
    try:
        return _TASKS[name]
    except KeyError:
        raise LookupError(f"No task is registered as {name!r}.") from None


def registered_names() -> list[str]:
    return sorted(_TASKS)


@dataclass(frozen=True)
class Outbox:
    """A table of due rows that workers claim in batches (e.g. notification deliveries).

    ``model`` is an ``OutboxRow``: the worker reaps its expired leases with the shared reaper
    before each ``dispatch``, which claims, works on and records up to ``limit`` rows.
    """

    name: str
    model: type[OutboxRow]
    dispatch: Callable[..., int]  # (worker_id=, limit=, lease_seconds=) -> rows claimed


_OUTBOXES: dict[str, Outbox] = {}


def register_outbox(outbox: Outbox) -> None:
    _OUTBOXES[outbox.name] = outbox


def outboxes() -> list[Outbox]:
    return [_OUTBOXES[name] for name in sorted(_OUTBOXES)]
