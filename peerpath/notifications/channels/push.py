"""Web push with VAPID keys (pywebpush). The payload is the lock-screen-safe sentence only."""

from __future__ import annotations

import json

from django.conf import settings
from pywebpush import WebPushException, webpush

from peerpath.notifications.channels import ChannelRejectedError, ChannelRetryLater
from peerpath.notifications.models import PushSubscription
from peerpath.notifications.services import push_endpoint_allowed, push_subscription_delete

TTL_SECONDS = 24 * 60 * 60
GONE = (404, 410)


def push_send(*, subscription: PushSubscription, title: str, body: str, url: str) -> str:
    """Send one push message to one browser; returns the push service's message location."""
    if not push_endpoint_allowed(subscription.endpoint):
        # Saved before addresses were checked, or the list of push services changed.
        push_subscription_delete(user=subscription.user, endpoint=subscription.endpoint)
        raise ChannelRejectedError("not a push service's address")
    try:
        response = webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps({"title": title, "body": body, "url": url}),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            timeout=10,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            # The browser unsubscribed: forget it.
            push_subscription_delete(user=subscription.user, endpoint=subscription.endpoint)
            raise ChannelRejectedError(f"push endpoint gone ({status})") from error
        if status == 429:  # noqa: PLR2004
            retry = error.response.headers.get("Retry-After", "30")
            raise ChannelRetryLater(float(retry) if retry.isdigit() else 30.0) from error
        raise
    return str(response.headers.get("Location", "") or response.status_code)
