"""Typed hooks: how a lower app lets a higher one react, in the same transaction.

The lower app declares a hook by its signature (keyword-only arguments, no return value) in its
``hooks.py``; a higher app registers a receiver in its ``reactions.py``, which is discovered at
start-up like ``tasks.py``. Calling the hook runs every receiver, in app order, in the caller's
transaction: if a receiver raises, the whole change rolls back. Not Django signals: a hook is a
typed function call that mypy checks at both ends, and a reader finds every receiver with one
search for the hook's name.

    # peerpath/directory/hooks.py
    @hook
    def session_cancelled(*, actor: Actor, occurrence: Occurrence) -> None:
        \"\"\"A session was cancelled (after it is saved, inside its transaction).\"\"\"

    # peerpath/bookings/reactions.py
    @session_cancelled.register
    def tell_people_booked(*, actor: Actor, occurrence: Occurrence) -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")


class Hook(Generic[P]):
    def __init__(self, signature: Callable[P, None]) -> None:
        self.name = f"{signature.__module__}.{signature.__qualname__}"
        self.__doc__ = signature.__doc__
        self._receivers: list[Callable[P, None]] = []

    def register(self, receiver: Callable[P, None]) -> Callable[P, None]:
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    @property
    def receivers(self) -> tuple[Callable[P, None], ...]:
        return tuple(self._receivers)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for receiver in self._receivers:
            receiver(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"


def hook(signature: Callable[P, None]) -> Hook[P]:
    """Declare a hook from a function that only documents its arguments."""
    return Hook(signature)
