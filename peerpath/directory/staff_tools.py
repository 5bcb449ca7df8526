"""Staff home links to manage listings and see the gaps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.core.staff_tools import StaffLink, register_link
from peerpath.directory.access import can_manage_listings

register_link(
    StaffLink(
        _("Listings and sessions on Find support"),
        "directory:staff_listings",
        can_manage_listings,
        order=30,
    )
)
register_link(
    StaffLink(
        _("Where and when there is nothing on"),
        "directory:staff_gaps",
        can_manage_listings,
        order=40,
    )
)
