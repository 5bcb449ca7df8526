"""Who may read the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerpath.accounts.access import has_role
from peerpath.accounts.choices import Role

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser
    from peerpath.accounts.models import Organisation


def can_view_audit(user: AnyUser, organisation: Organisation) -> bool:
    """The organisation's admins read its audit log."""
    return has_role(user, organisation, Role.ORG_ADMIN)
