from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from peerpath.notifications.services import unread_count


def inbox(request: HttpRequest) -> dict[str, object]:
    """The unread count for the header, computed only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0}
    return {"unread_count": SimpleLazyObject(lambda: unread_count(user))}
