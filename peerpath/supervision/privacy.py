"""A peer supporter's training, checks, supervision and wellbeing check-ins.

Her copy of everything has all of it, her supervisors' notes included (her right of access;
the notes form tells supervisors so). At erasure her wellbeing check-ins and debriefs due are
deleted. Her training, checks and sessions are kept against the anonymised account, with the
certificate number, notes and agreed actions blanked: whether the people who supported mothers
were trained, checked and supervised may be needed by a later safeguarding review. Someone who
supervised others keeps nothing here of her own; the sessions she held stay with the person
supervised.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from peerpath.core.privacy import PersonalData, register
from peerpath.supervision.models import (
    BackgroundCheck,
    DebriefDue,
    SupervisionSession,
    TrainingCompletion,
    WellbeingCheckIn,
)
from peerpath.supervision.services import supervision_records_erase

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor

KEPT_REASON = (
    "who was trained, checked and supervised while supporting mothers may be needed by a "
    "later safeguarding review; kept against the anonymised account, with the free text blanked"
)


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    completions = TrainingCompletion.objects.filter(supporter__user=user).select_related(
        "module", "supporter__organisation"
    )
    checks = BackgroundCheck.objects.filter(supporter__user=user).select_related(
        "supporter__organisation"
    )
    sessions = SupervisionSession.objects.filter(supporter__user=user).select_related(
        "supervisor", "supporter__organisation"
    )
    held = SupervisionSession.objects.filter(supervisor=user).select_related("supporter__user")
    debriefs = DebriefDue.objects.filter(supporter__user=user).select_related("alert")
    wellbeing = WellbeingCheckIn.objects.filter(supporter__user=user).select_related(
        "supporter__organisation"
    )
    return {
        "training": [
            {
                "organisation": c.supporter.organisation.name,
                "module": c.module.name,
                "completed_on": _date(c.completed_on),
                "expires_on": _date(c.expires_on),
            }
            for c in completions
        ],
        "background_checks": [
            {
                "organisation": c.supporter.organisation.name,
                "kind": c.kind,
                "checked_on": _date(c.checked_on),
                "outcome": c.get_outcome_display(),
                "renew_by": _date(c.renew_by),
                "certificate_number": c.reference,
            }
            for c in checks
        ],
        "supervision_sessions": [
            {
                "organisation": s.supporter.organisation.name,
                "held_on": _date(s.held_on),
                "supervisor": s.supervisor.display_name,
                "debrief": s.is_debrief,
                "notes": s.notes,
                "agreed_actions": s.agreed_actions,
            }
            for s in sessions
        ],
        "supervision_you_held": [
            {"with": s.supporter.user.display_name, "held_on": _date(s.held_on)} for s in held
        ],
        "debriefs_due": [
            {
                "after_an_alert_raised": _date(d.alert.created_at),
                "cleared": _date(d.cleared_at),
            }
            for d in debriefs
        ],
        "how_supporting_is_going": [
            {
                "organisation": w.supporter.organisation.name,
                "when": _date(w.created_at),
                "feeling": w.get_feeling_display(),
                "note": w.note,
                "would_like_to_talk": w.wants_to_talk,
                "followed_up": _date(w.followed_up_at),
            }
            for w in wellbeing
        ],
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    supervision_records_erase(actor=actor, user=user)


register(
    PersonalData(
        app="supervision",
        export=export,
        erase=erase,
        models=("supervision.DebriefDue", "supervision.WellbeingCheckIn"),
        kept={
            "supervision.TrainingCompletion": KEPT_REASON,
            "supervision.BackgroundCheck": KEPT_REASON,
            "supervision.SupervisionSession": KEPT_REASON,
        },
    )
)
