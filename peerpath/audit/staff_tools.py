"""Staff home link to the audit log (organisation admins)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.audit.access import can_view_audit
from peerpath.core.staff_tools import StaffLink, register_link

register_link(StaffLink(_("Audit log"), "audit:audit_search", can_view_audit, order=60))
