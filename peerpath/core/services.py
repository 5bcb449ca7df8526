"""Small helpers every app's services share.

Services take typed keyword arguments. An update service names each field it may change, with
``UNSET`` as the default meaning "leave it as it is" (so ``None`` can still mean "clear it"):

    def organisation_update(*, actor: Actor, organisation: Organisation,
                            name: str | Unset = UNSET, ...) -> Organisation:
        changes = given(name=name, ...)
"""

from __future__ import annotations

import enum
from typing import Any, Literal


class _Unset(enum.Enum):
    UNSET = "unset"

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset.UNSET
Unset = Literal[_Unset.UNSET]


def given(**values: Any) -> dict[str, Any]:
    """The keyword arguments the caller gave, leaving out those still ``UNSET``."""
    return {name: value for name, value in values.items() if value is not UNSET}


def apply_changes(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the given fields, check the model, save it; the names of the fields that changed
    (for the audit row)."""
    before = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return [name for name, value in before.items() if getattr(obj, name) != value]
