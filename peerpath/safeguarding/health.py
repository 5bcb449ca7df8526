"""/healthz says when an alert's escalation is late: the worker is down or stuck."""

from __future__ import annotations

from peerpath.core.health import HealthCheck, register_health_check
from peerpath.safeguarding.services import alerts_overdue


def _escalations() -> str:
    late = alerts_overdue().count()
    return "ok" if late == 0 else f"{late} alert escalations more than 2 minutes late"


register_health_check(HealthCheck("alert_escalations", _escalations))
