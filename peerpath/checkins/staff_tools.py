"""Staff home: the check-ins members share with this person, each one tap away."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peerpath.checkins.access import shared_with_me
from peerpath.core.staff_tools import StaffPanel, register_panel

if TYPE_CHECKING:
    from peerpath.accounts.models import User


def _shared(user: User) -> dict[str, Any] | None:
    shares = shared_with_me(user)
    return {"shares": shares} if shares else None


register_panel(StaffPanel("checkins/staff_shared_panel.jinja", _shared, order=20))
