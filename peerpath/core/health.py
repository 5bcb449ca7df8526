"""What /healthz reports: can PeerPath reach the things it needs?"""

from __future__ import annotations

import logging

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


def health_report() -> dict[str, str]:
    report = {"database": database_status(), "redis": redis_status()}
    healthy = all(value in {"ok", "not configured"} for value in report.values())
    return {"status": "ok" if healthy else "unavailable", **report}
