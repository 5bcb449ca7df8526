"""Telling people things: ``notify`` and the choices people make about it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from peerpath.core import clock
from peerpath.core.actors import actor_label
from peerpath.jobs.outbox import OutboxStatus, requeue_failed
from peerpath.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    PhoneCheck,
    PushSubscription,
)
from peerpath.notifications.purposes import Channel, purpose_for

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation, User
    from peerpath.core.actors import Actor

logger = logging.getLogger(__name__)


def preference_for(user: User) -> NotificationPreference:
    """Her saved preferences, or the defaults (not saved until she changes something)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found if found is not None else NotificationPreference(user=user)


def chosen_channels(preference: NotificationPreference, purpose: str) -> list[str]:
    """Channels for this purpose. In-app is always on: it is her inbox, it makes no sound."""
    rules = purpose_for(purpose)
    if preference.all_off and rules.can_be_switched_off:
        return [Channel.IN_APP]
    chosen = preference.channels.get(purpose)
    channels = list(rules.default_channels) if chosen is None else list(chosen)
    if not rules.can_be_switched_off:
        channels = sorted(set(channels) | set(rules.default_channels))
    return [Channel.IN_APP, *[c for c in channels if c != Channel.IN_APP]]


def subject_reference(subject: models.Model) -> dict[str, str]:
    """How a notification names what it is about: the model's label and the object's id."""
    if subject.pk is None:
        raise ValueError("A notification's subject must be saved first.")
    return {"subject_type": subject._meta.label_lower, "subject_id": str(subject.pk)}


@transaction.atomic
def notify(
    *,
    recipient: User,
    purpose: str,
    subject: models.Model | None = None,
    context: dict[str, Any] | None = None,
    link: str = "",
    due_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    organisation: Organisation | None = None,
    gather_within: dt.timedelta | None = None,
) -> Notification:
    """Tell someone something, at ``due_at`` (now by default), through her chosen channels.

    Call it inside the transaction that makes the notification necessary: the notification
    and its deliveries are written in that transaction (an outbox), so they exist exactly when
    the change committed. The same idempotency key (default: recipient, purpose and due time)
    returns the first notification instead of making a second. ``purpose`` is a registered
    purpose's key; ``subject`` is what it is about, by which it can be withdrawn.

    ``gather_within``: several changes to one subject become one message. The first waits
    this long before it is sent; until then, another for the same person, purpose and subject
    joins it (its ``context["changes"]`` lists them in order) instead of making a new one.
    """
    purpose_for(purpose)  # fail at the call site, not in the worker, on an unknown purpose
    if gather_within is not None and subject is not None:
        waiting = _waiting_to_be_sent(recipient=recipient, purpose=purpose, subject=subject)
        if waiting is not None:
            return _gather(waiting, context or {})
        due_at = (due_at or clock.now()) + gather_within
        context = {**(context or {}), "changes": [(context or {}).get("change", "")]}
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
                **(subject_reference(subject) if subject is not None else {}),
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


def _waiting_to_be_sent(
    *, recipient: User, purpose: str, subject: models.Model
) -> Notification | None:
    """Her notification about ``subject`` still gathering changes: due later, nothing sent."""
    return (
        Notification.objects.select_for_update()
        .filter(
            recipient=recipient,
            purpose=purpose,
            due_at__gt=clock.now(),
            **subject_reference(subject),
        )
        .exclude(deliveries__status__in=[OutboxStatus.RUNNING, OutboxStatus.SENT])
        .order_by("-due_at")
        .first()
    )


def _gather(notification: Notification, context: dict[str, Any]) -> Notification:
    changes = list(notification.context.get("changes", []))
    change = context.get("change", "")
    if change in changes:
        changes.remove(change)
    changes.append(change)
    notification.context = {**notification.context, **context, "changes": changes}
    notification.save(update_fields=["context", "updated_at"])
    return notification


@transaction.atomic
def notifications_withdraw(
    *,
    actor: Actor,
    subject: models.Model,
    purposes: Iterable[str] | None = None,
    due_from: dt.datetime | None = None,
) -> int:
    """Stop what has not been sent yet about ``subject`` (her reminders for a booking she
    cancelled). Only notifications for ``purposes`` when given, and only those due at or after
    ``due_from`` when given. One already sent stays sent; one being sent right now is sent.

    Returns the number of deliveries withdrawn.
    """
    notifications = Notification.objects.filter(**subject_reference(subject))
    if purposes is not None:
        notifications = notifications.filter(purpose__in=list(purposes))
    if due_from is not None:
        notifications = notifications.filter(due_at__gte=due_from)
    now = clock.now()
    withdrawn = int(
        Delivery.objects.filter(notification__in=notifications, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SKIPPED,
            last_error="No longer needed",
            finished_at=now,
            updated_at=now,
        )
    )
    if withdrawn:
        logger.info(
            "%s deliveries about %s %s withdrawn by %s",
            withdrawn,
            subject._meta.label_lower,
            subject.pk,
            actor_label(actor),
        )
    return withdrawn


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
        deliveries__status=OutboxStatus.SENT,
    ).order_by("-due_at", "-pk")


def unread_count(user: User) -> int:
    return int(inbox_for(user).filter(read_at__isnull=True).count())


class PushEndpointError(ValueError):
    """Not a browser push service's address, or another account's."""


def push_endpoint(endpoint: str) -> str | None:
    """The one way of writing a browser push service's address (``PUSH_SERVICE_HOSTS``), or
    None: https only, on port 443, no user name, no fragment, no ``.`` or ``..`` steps. Two
    spellings of one address are one address, so it can belong to only one account."""
    try:
        parts = urlsplit(endpoint.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin in settings.PUSH_TEST_ORIGINS:
        return endpoint
    segments = parts.path.split("/")
    if (
        parts.scheme.lower() != "https"
        or not host
        or port not in (None, 443)
        or "@" in parts.netloc
        or parts.fragment
        or "#" in endpoint
        or endpoint.rstrip().endswith("?")
        or any(segment in {".", ".."} for segment in segments)
        or not parts.path.startswith("/")
    ):
        return None
    if not any(
        host.endswith(allowed) if allowed.startswith(".") else host == allowed
        for allowed in settings.PUSH_SERVICE_HOSTS
    ):
        return None
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{host}{parts.path}{query}"


def push_endpoint_allowed(endpoint: str) -> bool:
    """An https address of a known browser push service, never this machine or anything else
    a request could make the worker call."""
    return push_endpoint(endpoint) is not None


@transaction.atomic
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """Her browser's push address. An address another account holds stays with it: a browser
    that is shared must be switched off by the person who set it up."""
    canonical = push_endpoint(endpoint)
    if canonical is None:
        raise PushEndpointError("This is not the address of a browser's push service.")
    endpoint = canonical
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is not None and existing.user_id != user.pk:
        raise PushEndpointError("This browser already gets notifications for another account.")
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


@transaction.atomic
def push_subscription_delete(*, user: User, endpoint: str) -> int:
    spellings = {endpoint, push_endpoint(endpoint) or endpoint}
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint__in=spellings).delete()
    return int(deleted)


@transaction.atomic
def delivery_retry(*, actor: Actor, delivery: Delivery) -> Delivery:
    """An admin sends a failed delivery again, with fresh attempts."""
    from peerpath.audit.models import Action
    from peerpath.audit.services import audit_record

    requeue_failed(Delivery, pk=delivery.pk, now=clock.now())
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


# Her mobile number, checked with a texted code ------------------------------------------------

PHONE_CODE_MINUTES = 10
PHONE_CODE_ATTEMPTS = 5
PHONE_CODES_PER_HOUR = 3


class PhoneCheckError(Exception):
    """Why a code was not sent or not accepted, in words to show her."""


def phone_digest(user: User, value: str) -> str:
    """A keyed digest, so a leaked table does not give the numbers (or codes) back."""
    from django.utils.crypto import salted_hmac

    spaced = "".join(value.split())
    return salted_hmac("peerpath.phone-check", f"{user.pk}:{spaced}").hexdigest()


def phone_check_send(*, user: User) -> None:
    """Text a new six-digit code to her mobile number. Any earlier code stops working. The
    code is saved and committed first: no lock is held while the text goes out."""
    import secrets

    from peerpath.audit.models import Action
    from peerpath.audit.services import audit_record
    from peerpath.notifications.channels.sms import get_sms_backend

    if not user.phone.strip():
        raise PhoneCheckError(_("Add your mobile number first."))
    now = clock.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        check, _created = PhoneCheck.objects.select_for_update().get_or_create(user=user)
        window = check.codes_window_starts_at
        if window is None or now - window >= dt.timedelta(hours=1):
            check.codes_window_starts_at, check.codes_sent = now, 0
        if check.codes_sent >= PHONE_CODES_PER_HOUR:
            raise PhoneCheckError(
                _("We have sent %(count)d codes in the last hour. Please wait and try again.")
                % {"count": check.codes_sent}
            )
        check.code_digest = phone_digest(user, code)
        check.code_number_digest = phone_digest(user, user.phone)
        check.code_expires_at = now + dt.timedelta(minutes=PHONE_CODE_MINUTES)
        check.attempts = 0
        check.codes_sent += 1
        check.save()
        audit_record(actor=user, action=Action.UPDATE, obj=check, fields=["code"])
    body = _("Your PeerPath code is %(code)s. It works for %(minutes)d minutes.") % {
        "code": code,
        "minutes": PHONE_CODE_MINUTES,
    }
    try:
        get_sms_backend().send(
            to=user.phone,
            body=body,
            idempotency_key=f"phone-check:{check.public_id}:{check.codes_window_starts_at}:"
            f"{check.codes_sent}",
        )
    except Exception as error:
        logger.warning("Mobile check %s: the code could not be sent (%s)", check.public_id, error)
        # A text that never went does not count against her hourly limit.
        PhoneCheck.objects.filter(pk=check.pk, codes_sent__gt=0).update(
            codes_sent=models.F("codes_sent") - 1
        )
        raise PhoneCheckError(
            _("We could not send a text just now. Please try again in a few minutes.")
        ) from error


def phone_check_confirm(*, user: User, code: str) -> None:
    """She typed the code back: her number is checked. Raises PhoneCheckError if not; a wrong
    try still counts (it is saved before the error is raised)."""
    with transaction.atomic():
        problem = _phone_check_try(user, code)
    if problem:
        raise PhoneCheckError(problem)


def _phone_check_try(user: User, code: str) -> str:  # noqa: PLR0911 - one reason each
    from django.utils.crypto import constant_time_compare

    from peerpath.audit.models import Action
    from peerpath.audit.services import audit_record

    check = PhoneCheck.objects.select_for_update().filter(user=user).first()
    now = clock.now()
    if check is None or not check.code_digest:
        return _("Send yourself a code first.")
    if check.code_number_digest != phone_digest(user, user.phone):
        return _("Your number has changed since that code. Send a new one.")
    if check.code_expires_at is None or now >= check.code_expires_at:
        return _("That code has run out. Send a new one.")
    if check.attempts >= PHONE_CODE_ATTEMPTS:
        return _("That code has been tried too many times. Send a new one.")
    check.attempts += 1
    if not constant_time_compare(check.code_digest, phone_digest(user, code.strip())):
        check.save(update_fields=["attempts", "updated_at"])
        if check.attempts >= PHONE_CODE_ATTEMPTS:
            return _("That code is not right, and it has now stopped working.")
        return _("That code is not right. Check the text and try again.")
    check.number_digest = check.code_number_digest
    check.verified_at = now
    check.code_digest = check.code_number_digest = ""
    check.code_expires_at = None
    check.save()
    audit_record(actor=user, action=Action.UPDATE, obj=check, fields=["verified_at"])
    return ""


def phone_check_record(*, actor: Actor, user: User) -> PhoneCheck:
    """Record her current number as checked without a code: for demo data and tests only."""
    check, _created = PhoneCheck.objects.update_or_create(
        user=user,
        defaults={"number_digest": phone_digest(user, user.phone), "verified_at": clock.now()},
    )
    return check
