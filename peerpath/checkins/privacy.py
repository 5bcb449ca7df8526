"""Her check-ins are hers: in her copy of everything, and deleted at erasure with her sharing
and her reminder. An alert a risk answer raised is a safeguarding record and stays with the
safeguarding app (its words name the question and answer, not her other answers)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record_many
from peerpath.checkins import instruments
from peerpath.checkins.models import CheckIn, Reminder, Share
from peerpath.checkins.services import checkins_delete_all
from peerpath.core.privacy import PersonalData, register

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


def _answers(checkin: CheckIn) -> list[dict[str, Any]]:
    try:
        instrument = instruments.get(checkin.instrument)
    except instruments.UnknownInstrument:
        return [{"question": k, "answer": v} for k, v in dict(checkin.answers).items()]
    items = {item.number: item for item in instrument.items}
    rows = []
    for number, index in sorted((int(k), int(v)) for k, v in dict(checkin.answers).items()):
        item = items.get(number)
        rows.append(
            {
                "question": number,
                "text": str(item.text) if item else "",
                "answer": str(item.options[index].text)
                if item and 0 <= index < len(item.options)
                else index,
            }
        )
    return rows


def export(user: User) -> dict[str, Any]:
    checkins = CheckIn.objects.filter(membership__user=user).order_by("created_at", "pk")
    shares = Share.objects.filter(Q(membership__user=user) | Q(viewer__user=user)).select_related(
        "membership__user", "viewer__user"
    )
    reminder = Reminder.objects.filter(membership__user=user).first()
    return {
        "checkins": [
            {
                "measure": checkin.instrument,
                "version": checkin.version,
                "status": checkin.get_status_display(),
                "started": checkin.created_at.isoformat(),
                "finished": checkin.completed_at.isoformat() if checkin.completed_at else None,
                "score": checkin.total,
                "described_as": checkin.band,
                "answers": _answers(checkin),
            }
            for checkin in checkins
        ],
        "checkin_sharing": [
            {
                "you_shared_with"
                if share.membership.user_id == user.pk
                else "shared_with_you_by": (
                    share.viewer.user.display_name
                    if share.membership.user_id == user.pk
                    else share.membership.user.display_name
                ),
                "measures": list(share.instruments),
                "since": share.created_at.isoformat(),
                "stopped": share.stopped_at.isoformat() if share.stopped_at else None,
            }
            for share in shares
        ],
        "checkin_reminder": (
            {"every_days": reminder.every_days, "at_hour": reminder.at_hour}
            if reminder is not None
            else None
        ),
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    checkins_delete_all(actor=actor, user=user)
    # Shares she made go with her; shares others made with her stay, stopped, so each member
    # keeps the record of who looked.
    own = list(Share.objects.filter(membership__user=user))
    if own:
        audit_record_many(actor=actor, action=Action.DELETE, objects=own)
        Share.objects.filter(pk__in=[share.pk for share in own]).delete()


register(
    PersonalData(
        app="checkins",
        export=export,
        erase=erase,
        models=("checkins.CheckIn", "checkins.Reminder"),
        kept={
            "checkins.Share": "a share someone else made with her is stopped, not deleted: "
            "the member who made it keeps the record of who looked; shares she made are "
            "deleted",
        },
    )
)
