"""Staff home links for people and settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.accounts import access
from peerpath.core.staff_tools import StaffLink, register_link

register_link(
    StaffLink(_("Members"), "accounts:staff_members", access.can_manage_members, order=10)
)
register_link(
    StaffLink(
        _("Make an account for someone"),
        "accounts:staff_member_create",
        access.can_manage_members,
        order=20,
    )
)
register_link(
    StaffLink(
        _("Invite staff and volunteers"),
        "accounts:staff_invitations",
        access.can_invite_staff,
        order=50,
    )
)
register_link(
    StaffLink(
        _("Settings and crisis contacts (admin)"),
        "admin:index",
        access.can_invite_staff,
        order=70,
        site_wide=True,
    )
)
