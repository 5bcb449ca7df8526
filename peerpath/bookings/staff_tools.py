"""Staff home panel: this week's registers for the groups she runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peerpath.bookings.access import facilitated_sessions
from peerpath.core.staff_tools import StaffPanel, register_panel

if TYPE_CHECKING:
    from peerpath.accounts.models import User


def _registers(user: User) -> dict[str, Any] | None:
    sessions = facilitated_sessions(user)
    return {"registers": sessions} if sessions else None


register_panel(StaffPanel("bookings/staff_registers_panel.jinja", _registers, order=10))
