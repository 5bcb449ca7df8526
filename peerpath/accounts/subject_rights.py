"""Her rights over what is held about her: a copy of everything, and erasure.

Each app contributes what it holds in its own ``privacy.py`` (``peerpath.core.privacy``); this
module runs them and never names another app's tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from peerpath.accounts.models import User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.core import clock
from peerpath.core.privacy import registered

if TYPE_CHECKING:
    from peerpath.core.actors import Actor


class ErasureBlockedError(Exception):
    """Erasing this person now would leave a charity that nobody can run."""


def erasure_blockers(user: User) -> list[str]:
    """Why her account cannot be erased yet, in words for her: she is the only admin of an
    organisation (nobody could then manage its people, settings or crisis contacts)."""
    from django.utils.translation import gettext as _

    from peerpath.accounts.choices import Role
    from peerpath.accounts.models import Membership

    admin = {"role": Role.ORG_ADMIN, "ended_at__isnull": True}
    reasons = []
    for membership in Membership.objects.filter(user=user, **admin).select_related("organisation"):
        others = Membership.objects.filter(organisation=membership.organisation_id, **admin)
        if not others.exclude(user=user).exists():
            reasons.append(
                _(
                    "You are the only admin of %(name)s. Invite someone to be an admin there "
                    "first, so the charity can still be run; then you can delete your account."
                )
                % {"name": membership.organisation.name}
            )
    return reasons


def member_data_export(*, actor: Actor, user: User) -> dict[str, Any]:
    """Everything PeerPath holds about this person, in plain structures (for JSON and HTML)."""
    data: dict[str, Any] = {"exported_at": clock.now().isoformat()}
    for personal_data in registered():
        for key, value in personal_data.export(user).items():
            if key in data:
                raise ValueError(f"Two apps export {key!r}.")
            data[key] = value
    audit_record(actor=actor, action=Action.EXPORT, obj=user)
    return data


@transaction.atomic
def user_erase(*, actor: Actor, user: User) -> User:
    """Anonymise her. Keeps only what law and safeguarding require, and shows it to nobody new.

    Every app's eraser runs in this one transaction, the highest layer first (her bookings are
    cancelled while her account still exists), accounts last. What each app keeps, and why, is
    declared beside its eraser (``PersonalData.kept``).
    """
    blockers = erasure_blockers(user)
    if blockers:
        raise ErasureBlockedError(" ".join(blockers))
    now = clock.now()
    audit_record(actor=actor, action=Action.DELETE, obj=user, detail="erasure")
    for personal_data in reversed(registered()):
        personal_data.erase(actor=actor, user=user, now=now)
    return user
