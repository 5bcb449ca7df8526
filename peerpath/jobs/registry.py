"""Tasks the worker may run, registered by name with the ``task`` decorator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


def get_task(name: str) -> TaskFunction:
    try:
        return _TASKS[name]
    except KeyError:
        raise LookupError(f"No task is registered as {name!r}.") from None


def registered_names() -> list[str]:
    return sorted(_TASKS)
