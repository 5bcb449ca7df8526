"""The notification outbox worker: claim due deliveries in batches and send them."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Case, CharField, Value, When
from django.template.loader import render_to_string
from django.utils import translation

from peerpath.accounts.site import site_identity
from peerpath.core import clock
from peerpath.jobs.outbox import Outcome, claim_due
from peerpath.notifications.channels import ChannelRejectedError, ChannelRetryLater
from peerpath.notifications.channels.push import push_send
from peerpath.notifications.channels.sms import get_sms_backend
from peerpath.notifications.models import (
    Delivery,
    NotificationPreference,
    PushSubscription,
)
from peerpath.notifications.purposes import (
    Channel,
    Purpose,
    find_purpose,
    lock_screen_text,
    purpose_for,
)
from peerpath.notifications.quiet import quiet_until
from peerpath.notifications.services import chosen_channels

logger = logging.getLogger(__name__)
RECORD_EVERY = 50


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
    batch = _Batch(Outcome(Delivery, worker_id=worker_id, now=now))
    to_send: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        notification = delivery.notification
        recipient = notification.recipient
        preference = preferences.get(recipient.pk) or NotificationPreference(user=recipient)
        purpose = find_purpose(notification.purpose)
        if purpose is None:
            batch.skip(delivery, "No app sends this kind of message any more")
        elif not recipient.is_active:
            batch.skip(delivery, "Account closed")
        elif delivery.channel not in chosen_channels(preference, notification.purpose):
            batch.skip(delivery, "Switched off by the person")
        elif (
            delivery.channel != Channel.IN_APP
            and not purpose.ignores_quiet_hours
            and (
                until := quiet_until(
                    start=preference.quiet_start, end=preference.quiet_end, now=now
                )
            )
        ):
            batch.wait(delivery, until, "Quiet hours")
        else:
            to_send[delivery.channel].append(delivery)
    batch.sent_many(to_send.pop(Channel.IN_APP, []))
    _send_emails(to_send.pop(Channel.EMAIL, []), batch)
    _send_texts(to_send.pop(Channel.SMS, []), batch)
    _send_pushes(to_send.pop(Channel.PUSH, []), batch)
    batch.flush()
    return len(claimed)


class _Batch:
    """Collects a batch's results and records them in few statements (``outbox.Outcome``)."""

    def __init__(self, outcome: Outcome[Delivery]) -> None:
        self.outcome = outcome
        self.now = outcome.now
        self.sent_ids: list[int] = []
        self.provider_ids: dict[int, str] = {}
        self.skipped: dict[str, list[int]] = defaultdict(list)

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
        self.outcome.sent(
            self.provider_ids,
            provider_id=Case(
                *[When(pk=pk, then=Value(pid)) for pk, pid in self.provider_ids.items()],
                output_field=CharField(),
            ),
        )
        self.provider_ids = {}

    def skip(self, delivery: Delivery, reason: str) -> None:
        self.skipped[reason].append(delivery.pk)

    def wait(self, delivery: Delivery, until: dt.datetime, reason: str) -> None:
        self.outcome.wait([delivery.pk], until=until, reason=reason)

    def failed(self, delivery: Delivery, error: Exception, *, permanent: bool = False) -> None:
        summary = f"{type(error).__name__}: {error}" if permanent else type(error).__name__
        if self.outcome.failed(delivery, error=summary, permanent=permanent):
            logger.error("Delivery %s failed for good: %s", delivery.public_id, summary[:300])

    def flush(self) -> None:
        self._record_provider_ids()
        if self.sent_ids:
            self.outcome.sent(self.sent_ids)
        for reason, ids in self.skipped.items():
            self.outcome.skipped(ids, reason)


def _render(purpose: Purpose, name: str, context: dict[str, object]) -> str:
    """The purpose's own template (in its ``email_templates`` folder), else the general one."""
    names = [f"notifications/email/{name}"]
    if purpose.email_templates:
        names.insert(0, f"{purpose.email_templates.rstrip('/')}/{name}")
    return render_to_string(names, context)


def _link(path: str) -> str:
    return f"{settings.PEERPATH_BASE_URL.rstrip('/')}{path or '/'}"


def _send_emails(deliveries: list[Delivery], outcome: _Batch) -> None:
    if not deliveries:
        return
    site = site_identity()
    messages: list[tuple[Delivery, EmailMultiAlternatives]] = []
    for delivery in deliveries:
        notification = delivery.notification
        recipient = notification.recipient
        purpose = purpose_for(notification.purpose)  # unknown ones were skipped when claimed
        with translation.override(recipient.preferred_language):
            context = {
                "site": site,
                "purpose": str(purpose.label),
                "link": _link(notification.link),
                "inbox": _link("/inbox/"),
            }
            subject = _render(purpose, "subject.txt", context).strip()
            text = _render(purpose, "message.txt", context)
            html = _render(purpose, "message.html", context)
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


def _send_texts(deliveries: list[Delivery], outcome: _Batch) -> None:
    if not deliveries:
        return
    backend = get_sms_backend()
    for delivery in deliveries:
        phone = delivery.notification.recipient.phone.strip()
        if not phone:
            outcome.skip(delivery, "No mobile number")
            continue
        purpose = purpose_for(delivery.notification.purpose)
        body = lock_screen_text(purpose)
        if purpose.text_includes_link:
            body = f"{body} {_link(delivery.notification.link)}"
        try:
            provider_id = backend.send(to=phone, body=body, idempotency_key=str(delivery.public_id))
        except ChannelRetryLater as wait:
            outcome.wait(delivery, outcome.now + dt.timedelta(seconds=wait.seconds), str(wait))
        except ChannelRejectedError as error:
            outcome.failed(delivery, error, permanent=True)
        except Exception as error:  # noqa: BLE001 - network trouble: retried with back-off
            outcome.failed(delivery, error)
        else:
            outcome.sent(delivery, provider_id)


def _send_pushes(deliveries: list[Delivery], outcome: _Batch) -> None:
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
                        body=lock_screen_text(purpose_for(delivery.notification.purpose)),
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
