"""Telling people things: ``notify`` and the choices people make about it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from peerpath.core import clock
from peerpath.notifications.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from peerpath.notifications.purposes import Channel, Purpose, rules_for

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation, User


def preference_for(user: User) -> NotificationPreference:
    """Her saved preferences, or the defaults (not saved until she changes something)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found if found is not None else NotificationPreference(user=user)


def chosen_channels(preference: NotificationPreference, purpose: str) -> list[str]:
    """Channels for this purpose. In-app is always on: it is her inbox, it makes no sound."""
    rules = rules_for(purpose)
    if preference.all_off and rules.can_be_switched_off:
        return [Channel.IN_APP]
    chosen = preference.channels.get(purpose)
    channels = list(rules.default_channels) if chosen is None else list(chosen)
    if not rules.can_be_switched_off:
        channels = sorted(set(channels) | set(rules.default_channels))
    return [Channel.IN_APP, *[c for c in channels if c != Channel.IN_APP]]


@transaction.atomic
def notify(
    *,
    recipient: User,
    purpose: Purpose | str,
    context: dict[str, Any] | None = None,
    link: str = "",
    due_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    organisation: Organisation | None = None,
) -> Notification:
    """Tell someone something, at ``due_at`` (now by default), through her chosen channels.

    Call it inside the transaction that makes the notification necessary: the notification
    and its deliveries are written in that transaction (an outbox), so they exist exactly when
    the change committed. The same idempotency key (default: recipient, purpose and due time)
    returns the first notification instead of making a second.
    """
    due = due_at or clock.now()
    key = idempotency_key or f"{recipient.pk}:{purpose}:{due.isoformat()}"
    existing = Notification.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                organisation=organisation,
                purpose=purpose,
                context=context or {},
                link=link,
                due_at=due,
                idempotency_key=key,
            )
    except IntegrityError:
        return Notification.objects.get(idempotency_key=key)
    preference = preference_for(recipient)
    Delivery.objects.bulk_create(
        [
            Delivery(notification=notification, channel=channel, due_at=due)
            for channel in chosen_channels(preference, purpose)
        ]
    )
    return notification


@transaction.atomic
def notifications_withdraw(*, idempotency_keys: list[str]) -> int:
    """Stop notifications not yet sent (a reminder for a booking that was cancelled)."""
    return int(
        Delivery.objects.filter(
            notification__idempotency_key__in=idempotency_keys, status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.SKIPPED, last_error="No longer needed")
    )


@transaction.atomic
def notification_preferences_update(
    *,
    actor: User,
    user: User,
    all_off: bool,
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
    channels: dict[str, list[str]],
) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    preference.all_off = all_off
    preference.quiet_start = quiet_start
    preference.quiet_end = quiet_end
    preference.channels = channels
    preference.save()
    return preference


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark her delivered in-app notifications read (all of them, or those given)."""
    unread = inbox_for(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return int(unread.update(read_at=clock.now()))


def inbox_for(user: User) -> Any:
    """Her in-app notifications that have arrived, newest first."""
    return Notification.objects.filter(
        recipient=user,
        deliveries__channel=Channel.IN_APP,
        deliveries__status=DeliveryStatus.SENT,
    ).order_by("-due_at", "-pk")


def unread_count(user: User) -> int:
    return int(inbox_for(user).filter(read_at__isnull=True).count())


@transaction.atomic
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


@transaction.atomic
def push_subscription_delete(*, user: User, endpoint: str) -> int:
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return int(deleted)


@transaction.atomic
def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """An admin sends a failed delivery again, with fresh attempts."""
    from peerpath.audit.models import Action
    from peerpath.audit.services import audit_record

    now = clock.now()
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, due_at=now, last_error="", updated_at=now
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=delivery,
        organisation=delivery.notification.organisation,
        fields=["status"],
        detail="retry",
    )
    delivery.refresh_from_db()
    return delivery
