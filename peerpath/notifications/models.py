"""Notifications: what someone is told, through which channels, and what happened to it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import BaseModel, Sensitive
from peerpath.jobs.outbox import OutboxRow, OutboxStatus
from peerpath.notifications.purposes import (
    KEY_MAX_LENGTH,
    Channel,
    Purpose,
    find_purpose,
    validate_purpose,
)

# A delivery's states are every outbox's states (peerpath.jobs.outbox).
DeliveryStatus = OutboxStatus


class Notification(Sensitive, BaseModel):
    """One thing to tell one person, due at a time. Its context holds ids, never content.

    ``idempotency_key`` (recipient, purpose and due time by default) makes a second ``notify``
    for the same reminder return the first instead of telling her twice. ``subject_type`` and
    ``subject_id`` name what it is about (a booking, a saved search), so that the app which
    sent it can withdraw it by that object (``notifications_withdraw``).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=KEY_MAX_LENGTH, validators=[validate_purpose])
    subject_type = models.CharField(max_length=100, blank=True)  # e.g. "bookings.booking"
    subject_id = models.CharField(max_length=40, blank=True)
    context = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=200, unique=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-due_at", "-pk")
        indexes = (
            models.Index(fields=("recipient", "read_at"), name="notif_recipient_unread"),
            models.Index(fields=("subject_type", "subject_id"), name="notif_subject"),
        )

    def __str__(self) -> str:
        return f"{self.purpose} for {self.recipient_id}"

    @property
    def purpose_details(self) -> Purpose | None:
        """Its registered purpose (None if no app registers it any more)."""
        return find_purpose(self.purpose)

    def get_purpose_display(self) -> str:
        purpose = self.purpose_details
        return str(purpose.label) if purpose is not None else str(_("A message"))


class Delivery(Sensitive, OutboxRow):
    """One notification through one channel: an outbox row a worker claims with a lease.

    Claimed in batches (``peerpath.jobs.outbox``); a delivery whose worker died returns to
    the queue when its lease passes, and is sent with the same idempotency key. ``finished_at``
    is when it was sent (or skipped, or failed for good).
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    provider_id = models.CharField(max_length=100, blank=True)

    class Meta(OutboxRow.Meta):
        ordering = ("-created_at", "-pk")
        verbose_name_plural = "deliveries"
        indexes = (models.Index(fields=("status", "due_at"), name="notif_delivery_status_due"),)
        constraints = (
            *OutboxRow.Meta.constraints,
            models.UniqueConstraint(
                fields=("notification", "channel"), name="notif_one_delivery_per_channel"
            ),
        )

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


def default_quiet_start() -> dt.time:
    return dt.time(21, 0)


def default_quiet_end() -> dt.time:
    return dt.time(8, 0)


class NotificationPreference(Sensitive, BaseModel):
    """How and when she wants to be told. No row means the defaults for every purpose."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    all_off = models.BooleanField(_("switch everything off"), default=False)
    quiet_start = models.TimeField(_("quiet from"), default=default_quiet_start, null=True)
    quiet_end = models.TimeField(_("quiet until"), default=default_quiet_end, null=True)
    channels = models.JSONField(default=dict, blank=True)  # {purpose: [channel, ...]}

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"Preferences of {self.user_id}"


class PushSubscription(Sensitive, BaseModel):
    """A browser's web-push endpoint for one person (one row per phone or computer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=600, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"Push subscription {self.public_id}"


class PhoneCheck(BaseModel):
    """Whether her mobile number is hers: a code texted to it, typed back here.

    Only digests are kept: of the number that was checked (a changed number is unchecked
    again) and of the code while it is waiting. A code lasts ``PHONE_CODE_MINUTES``, allows
    ``PHONE_CODE_ATTEMPTS`` tries, and at most ``PHONE_CODES_PER_HOUR`` are sent in an hour.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_check"
    )
    number_digest = models.CharField(max_length=64, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    code_digest = models.CharField(max_length=64, blank=True)
    code_number_digest = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    codes_window_starts_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Mobile check {self.public_id}"
