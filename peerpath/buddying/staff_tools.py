"""Staff home: the members a peer supporter is matched with, each one tap from her page (where
she can raise a safeguarding alert about her)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peerpath.accounts.access import is_peer_supporter
from peerpath.buddying.access import members_she_supports
from peerpath.core.staff_tools import StaffPanel, register_panel

if TYPE_CHECKING:
    from peerpath.accounts.models import User


def _supported(user: User) -> dict[str, Any] | None:
    if not is_peer_supporter(user):
        return None
    return {"members": members_she_supports(user)}


register_panel(StaffPanel("buddying/staff_supported_panel.jinja", _supported, order=10))
