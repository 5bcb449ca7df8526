"""Staff home links: the alerts dashboard and the rota, for those who handle alerts; the
alerts she raised, for a peer supporter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from peerpath.accounts.access import can_see_staff_pages, is_peer_supporter
from peerpath.core.staff_tools import (
    StaffLink,
    StaffPanel,
    register_link,
    register_member_link,
    register_panel,
)
from peerpath.safeguarding.access import can_handle_alerts, can_manage_rota

if TYPE_CHECKING:
    from peerpath.accounts.models import User

register_link(
    StaffLink(_("Safeguarding alerts"), "safeguarding:alerts_dashboard", can_handle_alerts, order=5)
)
register_link(
    StaffLink(
        _("Duty rota and coverage"),
        "safeguarding:rota",
        lambda user, organisation: (
            can_handle_alerts(user, organisation) or can_manage_rota(user, organisation)
        ),
        order=6,
    )
)


def _raised(user: User) -> dict[str, Any] | None:
    return {} if is_peer_supporter(user) else None


register_panel(StaffPanel("safeguarding/staff_raised_panel.jinja", _raised, order=20))


register_member_link(
    StaffLink(
        _("Raise a safeguarding alert"),
        "safeguarding:alert_raise_for_member",
        can_see_staff_pages,
        order=5,
    )
)
