"""What /healthz reports: can PeerPath reach the things it needs?"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: database unavailable")
        return "unavailable"
    return "ok"


def redis_status() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        logger.warning("Health check: Redis unavailable")
        return "unavailable"
    finally:
        client.close()
    return "ok"


@dataclass(frozen=True)
class HealthCheck:
    """A check an app contributes from its ``health.py``: ``check`` returns "ok" or words
    saying what is wrong. A failing check makes the status "degraded" (still HTTP 200: the
    site answers, and the "Get help now" page must stay in a load balancer's rotation), which
    monitoring alerts on."""

    name: str
    check: Callable[[], str]


_CHECKS: dict[str, HealthCheck] = {}


def register_health_check(check: HealthCheck) -> HealthCheck:
    _CHECKS[check.name] = check
    return check


def health_report() -> dict[str, str]:
    report = {"database": database_status(), "redis": redis_status()}
    healthy = all(value in {"ok", "not configured"} for value in report.values())
    if not healthy:
        return {"status": "unavailable", **report}
    contributed = {name: _CHECKS[name].check() for name in sorted(_CHECKS)}
    status = "ok" if all(value == "ok" for value in contributed.values()) else "degraded"
    return {"status": status, **report, **contributed}
