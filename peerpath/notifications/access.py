"""Who may see which notifications and delivery failures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.models import Organisation, User
from peerpath.audit.access import can_view_audit
from peerpath.jobs.models import Job, OutboxStatus
from peerpath.notifications.models import Delivery, Notification, PhoneCheck, PushSubscription
from peerpath.notifications.services import inbox_for, phone_digest

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser


def get_own_notification(user: AnyUser, public_id: str) -> Notification:
    if not isinstance(user, User):
        raise Http404
    notification: Notification = get_object_or_404(inbox_for(user), public_id=public_id)
    return notification


def own_push_subscriptions(user: AnyUser) -> QuerySet[PushSubscription]:
    """The phones and computers she signed up for notifications; nobody else's."""
    if not isinstance(user, User):
        raise Http404
    return PushSubscription.objects.filter(user=user)


def can_see_delivery_failures(user: AnyUser, organisation: Organisation) -> bool:
    return can_view_audit(user, organisation)  # organisation admins


def failed_deliveries(user: AnyUser, organisation: Organisation) -> QuerySet[Delivery]:
    if not can_see_delivery_failures(user, organisation):
        raise Http404
    return (
        Delivery.objects.filter(status=OutboxStatus.FAILED, notification__organisation=organisation)
        .select_related("notification__recipient")
        .order_by("-updated_at")
    )


def dead_jobs(user: AnyUser, organisation: Organisation) -> QuerySet[Job]:
    if not can_see_delivery_failures(user, organisation):
        raise Http404
    return Job.objects.filter(status=OutboxStatus.FAILED, organisation=organisation).order_by(
        "-updated_at"
    )


def get_failed_delivery(user: AnyUser, organisation: Organisation, public_id: str) -> Delivery:
    return get_object_or_404(failed_deliveries(user, organisation), public_id=public_id)


def get_dead_job(user: AnyUser, organisation: Organisation, public_id: str) -> Job:
    return get_object_or_404(dead_jobs(user, organisation), public_id=public_id)


def phone_checked(user: User, check: PhoneCheck | None) -> bool:
    """Her mobile number as it is now is the one she typed a texted code back for."""
    return bool(
        check is not None
        and check.verified_at is not None
        and user.phone.strip()
        and check.number_digest == phone_digest(user, user.phone)
    )


def own_phone_check(user: User) -> PhoneCheck | None:
    return PhoneCheck.objects.filter(user=user).first()


def users_with_checked_phones(users: list[User]) -> set[int]:
    """Which of these people can be texted at a number they have shown is theirs."""
    checks = {c.user_id: c for c in PhoneCheck.objects.filter(user__in=users)}
    return {user.pk for user in users if phone_checked(user, checks.get(user.pk))}
