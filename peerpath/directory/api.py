"""Read-only Open Referral UK (HSDS 3.0) JSON: /api/v1/openreferral/services/."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from peerpath.directory.access import get_public_service
from peerpath.directory.openreferral import service_page, service_to_hsds

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _number(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


@require_safe
def openreferral_services(request: HttpRequest) -> JsonResponse:
    size = min(max(_number(request.GET.get("per_page"), PAGE_SIZE), 1), MAX_PAGE_SIZE)
    return JsonResponse(service_page(page=_number(request.GET.get("page"), 1), size=size))


@require_safe
def openreferral_service(request: HttpRequest, public_id: str) -> JsonResponse:
    return JsonResponse(service_to_hsds(get_public_service(public_id)))
