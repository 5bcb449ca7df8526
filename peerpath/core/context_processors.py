from __future__ import annotations

from django.http import HttpRequest

from peerpath.accounts.site import site_identity


def site(request: HttpRequest) -> dict[str, object]:
    return {"site": site_identity()}
