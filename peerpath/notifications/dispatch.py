"""The notification outbox worker: claim due deliveries in batches and send them."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Case, CharField, F, Value, When
from django.template.loader import render_to_string
from django.utils import translation

from peerpath.core import clock
from peerpath.core.site import site_identity
from peerpath.jobs.leasing import RUNNING, claim_due, reap_expired
from peerpath.jobs.services import backoff_seconds
from peerpath.notifications.channels import ChannelRejectedError, ChannelRetryLater
from peerpath.notifications.channels.push import push_send
from peerpath.notifications.channels.sms import get_sms_backend
from peerpath.notifications.models import (
    Delivery,
    DeliveryStatus,
    NotificationPreference,
    PushSubscription,
)
from peerpath.notifications.purposes import LOCK_SCREEN_TEXT, Channel, rules_for
from peerpath.notifications.quiet import quiet_until
from peerpath.notifications.services import chosen_channels

logger = logging.getLogger(__name__)
RECORD_EVERY = 50


def deliveries_reap_expired_leases() -> int:
    return reap_expired(
        Delivery, now=clock.now(), dead_status=DeliveryStatus.FAILED, error="LeaseExpired"
    )


def deliveries_dispatch(*, worker_id: str, limit: int, lease_seconds: int) -> int:
    """Claim up to ``limit`` due deliveries and send them. Returns how many were claimed."""
    now = clock.now()
    claimed = claim_due(
        Delivery, worker_id=worker_id, limit=limit, lease_seconds=lease_seconds, now=now
    )
    if not claimed:
        return 0
    deliveries = list(
        Delivery.objects.filter(pk__in=[d.pk for d in claimed], claimed_by=worker_id)
        .select_related("notification__recipient")
        .order_by("pk")
    )
    preferences = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(
            user_id__in={d.notification.recipient_id for d in deliveries}
        )
    }
    outcome = _Outcome(worker_id=worker_id, now=now)
    to_send: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        notification = delivery.notification
        recipient = notification.recipient
        preference = preferences.get(recipient.pk) or NotificationPreference(user=recipient)
        rules = rules_for(notification.purpose)
        if not recipient.is_active:
            outcome.skip(delivery, "Account closed")
        elif delivery.channel not in chosen_channels(preference, notification.purpose):
            outcome.skip(delivery, "Switched off by the person")
        elif (
            delivery.channel != Channel.IN_APP
            and not rules.ignores_quiet_hours
            and (
                until := quiet_until(
                    start=preference.quiet_start, end=preference.quiet_end, now=now
                )
            )
        ):
            outcome.wait(delivery, until, "Quiet hours")
        else:
            to_send[delivery.channel].append(delivery)
    outcome.sent_many(to_send.pop(Channel.IN_APP, []))
    _send_emails(to_send.pop(Channel.EMAIL, []), outcome)
    _send_texts(to_send.pop(Channel.SMS, []), outcome)
    _send_pushes(to_send.pop(Channel.PUSH, []), outcome)
    outcome.flush()
    return len(claimed)


class _Outcome:
    """Collects results and writes them, each conditional on this worker's claim."""

    def __init__(self, *, worker_id: str, now: dt.datetime) -> None:
        self.worker_id = worker_id
        self.now = now
        self.sent_ids: list[int] = []
        self.provider_ids: dict[int, str] = {}
        self.skipped: dict[str, list[int]] = defaultdict(list)

    def _claimed(self, ids: Iterable[int]) -> object:
        return Delivery.objects.filter(pk__in=list(ids), claimed_by=self.worker_id, status=RUNNING)

    def sent_many(self, deliveries: list[Delivery]) -> None:
        self.sent_ids.extend(d.pk for d in deliveries)

    def sent(self, delivery: Delivery, provider_id: str) -> None:
        """Record a send that a provider accepted; written every RECORD_EVERY sends.

        A worker killed before writing leaves up to RECORD_EVERY sends unrecorded; they are
        sent again after the lease with the same idempotency key, which an idempotent provider
        accepts once. Writing in small groups keeps that window short and the database calm.
        """
        self.provider_ids[delivery.pk] = provider_id[:100]
        if len(self.provider_ids) >= RECORD_EVERY:
            self._record_provider_ids()

    def _record_provider_ids(self) -> None:
        if not self.provider_ids:
            return
        self._claimed(self.provider_ids).update(  # type: ignore[attr-defined]
            status=DeliveryStatus.SENT,
            sent_at=self.now,
            provider_id=Case(
                *[When(pk=pk, then=Value(pid)) for pk, pid in self.provider_ids.items()],
                output_field=CharField(),
            ),
            lease_until=None,
            last_error="",
            updated_at=self.now,
        )
        self.provider_ids = {}

    def skip(self, delivery: Delivery, reason: str) -> None:
        self.skipped[reason].append(delivery.pk)

    def wait(self, delivery: Delivery, until: dt.datetime, reason: str) -> None:
        self._claimed([delivery.pk]).update(  # type: ignore[attr-defined]
            status=DeliveryStatus.PENDING,
            due_at=until,
            attempts=F("attempts") - 1,
            claimed_by="",
            lease_until=None,
            last_error=reason,
            updated_at=self.now,
        )

    def failed(self, delivery: Delivery, error: Exception, *, permanent: bool = False) -> None:
        summary = f"{type(error).__name__}: {error}"[:300] if permanent else type(error).__name__
        if permanent or delivery.attempts >= delivery.max_attempts:
            self._claimed([delivery.pk]).update(  # type: ignore[attr-defined]
                status=DeliveryStatus.FAILED,
                lease_until=None,
                last_error=summary,
                updated_at=self.now,
            )
            logger.error("Delivery %s failed for good: %s", delivery.public_id, summary)
            return
        retry_at = self.now + dt.timedelta(seconds=backoff_seconds(delivery.attempts))
        self._claimed([delivery.pk]).update(  # type: ignore[attr-defined]
            status=DeliveryStatus.PENDING,
            due_at=retry_at,
            claimed_by="",
            lease_until=None,
            last_error=summary,
            updated_at=self.now,
        )

    def flush(self) -> None:
        self._record_provider_ids()
        if self.sent_ids:
            self._claimed(self.sent_ids).update(  # type: ignore[attr-defined]
                status=DeliveryStatus.SENT, sent_at=self.now, lease_until=None, updated_at=self.now
            )
        for reason, ids in self.skipped.items():
            self._claimed(ids).update(  # type: ignore[attr-defined]
                status=DeliveryStatus.SKIPPED,
                lease_until=None,
                last_error=reason,
                updated_at=self.now,
            )


def _render(purpose: str, name: str, context: dict[str, object]) -> str:
    """A purpose's own template (``notifications/email/<purpose>/<name>``), else the general one."""
    return render_to_string(
        [f"notifications/email/{purpose}/{name}", f"notifications/email/{name}"], context
    )


def _link(path: str) -> str:
    return f"{settings.PEERPATH_BASE_URL.rstrip('/')}{path or '/'}"


def _send_emails(deliveries: list[Delivery], outcome: _Outcome) -> None:
    if not deliveries:
        return
    site = site_identity()
    messages: list[tuple[Delivery, EmailMultiAlternatives]] = []
    for delivery in deliveries:
        notification = delivery.notification
        recipient = notification.recipient
        with translation.override(recipient.preferred_language):
            context = {
                "site": site,
                "purpose": notification.get_purpose_display(),
                "link": _link(notification.link),
                "inbox": _link("/inbox/"),
            }
            subject = _render(notification.purpose, "subject.txt", context).strip()
            text = _render(notification.purpose, "message.txt", context)
            html = _render(notification.purpose, "message.html", context)
        message = EmailMultiAlternatives(subject, text, to=[recipient.email])
        message.attach_alternative(html, "text/html")
        messages.append((delivery, message))
    try:
        connection = get_connection()
        connection.open()
        try:
            for delivery, message in messages:
                try:
                    connection.send_messages([message])
                except Exception as error:  # noqa: BLE001 - recorded and retried
                    outcome.failed(delivery, error)
                else:
                    outcome.sent_many([delivery])
        finally:
            connection.close()
    except Exception as error:  # noqa: BLE001 - the mail server is down: retry them all
        for delivery, _message in messages:
            outcome.failed(delivery, error)


def _send_texts(deliveries: list[Delivery], outcome: _Outcome) -> None:
    if not deliveries:
        return
    backend = get_sms_backend()
    for delivery in deliveries:
        phone = delivery.notification.recipient.phone.strip()
        if not phone:
            outcome.skip(delivery, "No mobile number")
            continue
        try:
            provider_id = backend.send(
                to=phone, body=str(LOCK_SCREEN_TEXT), idempotency_key=str(delivery.public_id)
            )
        except ChannelRetryLater as wait:
            outcome.wait(delivery, outcome.now + dt.timedelta(seconds=wait.seconds), str(wait))
        except ChannelRejectedError as error:
            outcome.failed(delivery, error, permanent=True)
        except Exception as error:  # noqa: BLE001 - network trouble: retried with back-off
            outcome.failed(delivery, error)
        else:
            outcome.sent(delivery, provider_id)


def _send_pushes(deliveries: list[Delivery], outcome: _Outcome) -> None:
    if not deliveries:
        return
    subscriptions: dict[int, list[PushSubscription]] = defaultdict(list)
    for subscription in PushSubscription.objects.filter(
        user_id__in={d.notification.recipient_id for d in deliveries}
    ):
        subscriptions[subscription.user_id].append(subscription)
    title = site_identity().name
    for delivery in deliveries:
        targets = subscriptions.get(delivery.notification.recipient_id, [])
        if not targets:
            outcome.skip(delivery, "No phone or browser signed up for notifications")
            continue
        ids: list[str] = []
        errors: list[Exception] = []
        for subscription in targets:
            try:
                ids.append(
                    push_send(
                        subscription=subscription,
                        title=title,
                        body=str(LOCK_SCREEN_TEXT),
                        url=delivery.notification.link or "/inbox/",
                    )
                )
            except ChannelRejectedError as error:
                errors.append(error)
            except Exception as error:  # noqa: BLE001 - recorded below
                errors.append(error)
        if ids:
            outcome.sent(delivery, ids[0])
        else:
            gone = all(isinstance(error, ChannelRejectedError) for error in errors)
            outcome.failed(delivery, errors[0], permanent=gone)
