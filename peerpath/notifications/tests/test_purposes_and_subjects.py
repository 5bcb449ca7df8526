"""Purposes come from the apps that send them; notifications are withdrawn by their subject."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.bookings.purposes import SESSION_CHANGED, SESSION_REMINDER, WAITING_LIST_OFFER
from peerpath.core.actors import WORKER
from peerpath.directory.purposes import NEW_GROUP
from peerpath.jobs.outbox import OutboxStatus
from peerpath.notifications import purposes
from peerpath.notifications.dispatch import deliveries_dispatch
from peerpath.notifications.models import Delivery, Notification
from peerpath.notifications.purposes import (
    Channel,
    Purpose,
    purpose_for,
    register_purpose,
    registered_purposes,
)
from peerpath.notifications.services import notifications_withdraw, notify

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _at_noon():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def mum(organisation):
    return make_person(organisation, Role.MEMBER, phone="07700 900123")


def _dispatch():
    return deliveries_dispatch(worker_id="test-worker", limit=500, lease_seconds=60)


def test_each_app_registers_what_it_sends_today():
    from peerpath.buddying.purposes import (
        CONTACT_OVERDUE,
        MATCH_ENDED,
        STEP_REMINDER,
        SUPPORT_ANSWERED,
        SUPPORT_ASKED,
        SUPPORT_ENDED,
        SUPPORT_PROPOSED,
        SUPPORTER_FOUND,
    )
    from peerpath.checkins.purposes import CHECKIN_REMINDER, RESULTS_SHARED
    from peerpath.safeguarding.purposes import (
        ALERT_HANDED_OVER,
        ALERT_UNATTENDED,
        CLOSE_REMINDER,
        FOLLOW_UP_DUE,
        LEAD_REVIEW,
        OUT_OF_HOURS_ALERT,
        ROTA_GAP,
        SAFEGUARDING_ALERT,
    )
    from peerpath.supervision.purposes import SUPPORTER_WANTS_TO_TALK

    keys = {purpose.key for purpose in registered_purposes()}
    assert keys == {
        "account",
        NEW_GROUP,
        SESSION_REMINDER,
        SESSION_CHANGED,
        WAITING_LIST_OFFER,
        SAFEGUARDING_ALERT,
        OUT_OF_HOURS_ALERT,
        ROTA_GAP,
        CLOSE_REMINDER,
        ALERT_HANDED_OVER,
        FOLLOW_UP_DUE,
        ALERT_UNATTENDED,
        LEAD_REVIEW,
        CHECKIN_REMINDER,
        RESULTS_SHARED,
        SUPPORT_ASKED,
        SUPPORT_PROPOSED,
        SUPPORT_ANSWERED,
        SUPPORTER_FOUND,
        MATCH_ENDED,
        STEP_REMINDER,
        CONTACT_OVERDUE,
        SUPPORT_ENDED,
        SUPPORTER_WANTS_TO_TALK,
    }
    # The wording lives with the app that sends it.
    assert purpose_for(SESSION_CHANGED).inbox_template.startswith("bookings/")
    assert purpose_for(NEW_GROUP).email_templates.startswith("directory/")


def test_a_new_purpose_needs_no_migration_and_appears_among_her_choices(monkeypatch, mum):
    monkeypatch.setattr(purposes, "_PURPOSES", dict(purposes._PURPOSES))
    key = register_purpose(
        Purpose(
            key="test_new_thing",
            label="News about a thing (a test)",
            default_channels=(Channel.IN_APP, Channel.EMAIL),
        )
    )
    notification = notify(recipient=mum, purpose=key)
    notification.full_clean()  # the field accepts any registered key
    _dispatch()
    assert dict(notification.deliveries.values_list("channel", "status")) == {
        "in_app": "sent",
        "email": "sent",
    }
    client = Client()
    client.force_login(mum)
    page = client.get(reverse("notifications:notification_preferences")).content.decode()
    assert "News about a thing (a test)" in page
    assert 'name="channels_test_new_thing"' in page


def test_an_unknown_purpose_is_refused_where_it_is_sent_and_by_the_field(mum):
    with pytest.raises(LookupError, match="No notification purpose"):
        notify(recipient=mum, purpose="goal_reminder")
    stray = Notification(recipient=mum, purpose="goal_reminder", due_at=NOON, idempotency_key="k")
    with pytest.raises(ValidationError):
        stray.full_clean()


def test_two_apps_cannot_register_the_same_key_differently():
    with pytest.raises(ValueError, match="Two purposes"):
        register_purpose(
            Purpose(key=SESSION_REMINDER, label="Something else", default_channels=("in_app",))
        )
    # Registering the very same purpose again (a module imported twice) is harmless.
    assert register_purpose(purpose_for(SESSION_REMINDER)) == SESSION_REMINDER


def test_an_old_notification_whose_purpose_has_gone_is_not_sent_and_reads_plainly(mum):
    old = Notification.objects.create(
        recipient=mum, purpose="goal_reminder", due_at=NOON, idempotency_key="old"
    )
    Delivery.objects.create(notification=old, channel="email", due_at=NOON)
    _dispatch()
    assert old.deliveries.get().status == OutboxStatus.SKIPPED
    assert old.get_purpose_display() == "A message"


def test_her_inbox_shows_each_apps_own_wording(mum):
    notify(recipient=mum, purpose=SESSION_CHANGED, context={"change": "cancelled"})
    notify(recipient=mum, purpose=NEW_GROUP, context={"names": ["Walk and talk"], "count": 1})
    _dispatch()
    client = Client()
    client.force_login(mum)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Changes to groups and sessions you booked" in html
    assert "A session you booked has been cancelled." in html
    assert "New groups that match what you are looking for" in html
    assert "Walk and talk" in html


def test_withdrawing_by_subject_stops_only_what_is_pending_about_it(mum, organisation):
    other = make_person(organisation, Role.MEMBER)
    sent = notify(recipient=mum, purpose=SESSION_REMINDER, subject=other, idempotency_key="a")
    _dispatch()
    later = notify(
        recipient=mum,
        purpose=SESSION_REMINDER,
        subject=other,
        due_at=NOON + dt.timedelta(days=1),
        idempotency_key="b",
    )
    offer = notify(recipient=mum, purpose=WAITING_LIST_OFFER, subject=other, idempotency_key="c")
    elsewhere = notify(recipient=mum, purpose=SESSION_REMINDER, subject=mum, idempotency_key="d")
    assert (later.subject_type, later.subject_id) == ("accounts.user", str(other.pk))

    withdrawn = notifications_withdraw(actor=WORKER, subject=other, purposes=[SESSION_REMINDER])

    assert withdrawn == 2  # in-app and email of the later reminder
    assert set(later.deliveries.values_list("status", flat=True)) == {OutboxStatus.SKIPPED}
    assert set(sent.deliveries.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert set(offer.deliveries.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert set(elsewhere.deliveries.values_list("status", flat=True)) == {OutboxStatus.PENDING}


def test_withdrawing_can_keep_what_is_due_before_a_time(mum, organisation):
    soon = notify(
        recipient=mum,
        purpose=SESSION_REMINDER,
        subject=organisation,
        due_at=NOON + dt.timedelta(hours=1),
        idempotency_key="soon",
    )
    later = notify(
        recipient=mum,
        purpose=SESSION_REMINDER,
        subject=organisation,
        due_at=NOON + dt.timedelta(days=2),
        idempotency_key="later",
    )
    notifications_withdraw(actor=WORKER, subject=organisation, due_from=NOON + dt.timedelta(days=1))
    assert set(soon.deliveries.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert set(later.deliveries.values_list("status", flat=True)) == {OutboxStatus.SKIPPED}


def test_a_subject_must_be_saved(mum, organisation):
    from peerpath.accounts.models import Organisation

    with pytest.raises(ValueError, match="saved first"):
        notify(recipient=mum, purpose=SESSION_REMINDER, subject=Organisation(name="Not saved"))
