"""Staff home: the overview of peer supporters, for coordinators and safeguarding leads; her
own readiness and supervision, for a peer supporter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from peerpath.core.staff_tools import StaffLink, StaffPanel, register_link, register_panel
from peerpath.supervision.access import can_supervise, own_debriefs, own_supporter_places
from peerpath.supervision.readiness import standing_of

if TYPE_CHECKING:
    from peerpath.accounts.models import User

register_link(
    StaffLink(
        _("Peer supporters: training and supervision"),
        "supervision:overview",
        can_supervise,
        order=12,
    )
)


def _own(user: User) -> dict[str, Any] | None:
    places = own_supporter_places(user)
    if not places:
        return None
    standings = standing_of(places)
    return {
        "places": [
            {
                "place": place,
                "standing": standings[place.pk],
                "debriefs": len(own_debriefs(user, place)),
            }
            for place in places
        ]
    }


register_panel(StaffPanel("supervision/staff_panel.jinja", _own, order=5))
