"""Sign out everywhere else after two-step verification changes.

django-allauth announces these changes only through its signals, so this module listens to
them; PeerPath's own code never uses signals. (A password change already ends other sessions,
because the session hash includes the password.)
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver


@receiver(authenticator_added, dispatch_uid="accounts-mfa-added")
@receiver(authenticator_removed, dispatch_uid="accounts-mfa-removed")
def end_other_sessions_after_mfa_change(
    sender: Any, request: Any, user: Any, **kwargs: Any
) -> None:
    from peerpath.accounts.services import sessions_end_elsewhere

    sessions_end_elsewhere(request=request, user=user)
