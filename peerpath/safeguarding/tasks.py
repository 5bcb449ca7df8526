"""Safeguarding's jobs: escalation steps, reminders to close, follow-ups due, and the
periodic audit of late escalations. Each takes ids and calls one service."""

from __future__ import annotations

import datetime as dt

from peerpath.core.actors import WORKER
from peerpath.jobs.registry import periodic, task
from peerpath.safeguarding.services import (
    ESCALATE_TASK,
    FOLLOW_UP_TASK,
    REMINDER_TASK,
    alert_close_remind,
    alert_escalate,
    alerts_report_overdue,
    follow_up_remind,
)


@task(ESCALATE_TASK)
def escalate(*, alert_id: int, step: int, token: str) -> bool:
    return alert_escalate(actor=WORKER, alert_id=alert_id, step=step, token=token)


@task(REMINDER_TASK)
def close_reminder(*, alert_id: int) -> bool:
    return alert_close_remind(actor=WORKER, alert_id=alert_id)


@task(FOLLOW_UP_TASK)
def follow_up_due(*, follow_up_id: int) -> bool:
    return follow_up_remind(actor=WORKER, follow_up_id=follow_up_id)


@periodic("safeguarding.audit_overdue", every=dt.timedelta(minutes=1))
def audit_overdue() -> int:
    return alerts_report_overdue(actor=WORKER)
