"""The directory is public: anyone may see active listings, nothing else."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from peerpath.directory.models import Service


def get_public_service(public_id: str) -> Service:
    return get_object_or_404(
        Service.objects.select_related("location", "organisation").prefetch_related(
            "schedules__service"
        ),
        public_id=public_id,
        is_active=True,
    )
