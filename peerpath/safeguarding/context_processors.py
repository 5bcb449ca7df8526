from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from peerpath.accounts.access import is_staff_person
from peerpath.safeguarding.access import alert_organisations, open_alert_count


def alerts(request: HttpRequest) -> dict[str, object]:
    """The staff header's link to the alerts dashboard with the count of open alerts, for
    those who handle alerts. Nothing (and no query) for members."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_staff_person(user):
        return {"alerts_header": None}

    def header() -> dict[str, object] | None:
        if not alert_organisations(user):
            return None
        return {"count": open_alert_count(user), "href": reverse("safeguarding:alerts_home")}

    return {"alerts_header": SimpleLazyObject(header)}
