"""Staff home: for a peer supporter, the members she supports (each one tap from her page,
where she can raise a safeguarding alert) and the requests waiting for her answer; for a
coordinator, a link to everyone waiting for a peer supporter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from peerpath.accounts.access import is_peer_supporter
from peerpath.buddying.access import can_match, matches_she_supports, proposals_waiting_for
from peerpath.core.staff_tools import StaffLink, StaffPanel, register_link, register_panel

if TYPE_CHECKING:
    from peerpath.accounts.models import User


def _supported(user: User) -> dict[str, Any] | None:
    if not is_peer_supporter(user):
        return None
    return {"matches": matches_she_supports(user), "proposals": proposals_waiting_for(user)}


register_panel(StaffPanel("buddying/staff_supported_panel.jinja", _supported, order=10))
register_link(
    StaffLink(
        label=_("Waiting for a peer supporter"),
        url_name="buddying:queue",
        allowed=can_match,
        order=25,
    )
)
