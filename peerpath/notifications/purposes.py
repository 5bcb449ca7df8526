"""What a notification is for: default channels, quiet-hours rule and lock-screen wording.

The text that may show on a lock screen (SMS, push) is the same bland sentence for every
purpose: a partner or relative may see the phone. Details are only ever shown after sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In PeerPath")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    PUSH = "push", _("Phone notification")


class Purpose(models.TextChoices):
    SESSION_REMINDER = "session_reminder", _("Reminders about groups and sessions you booked")
    SESSION_CHANGED = "session_changed", _("Changes to groups and sessions you booked")
    WAITING_LIST_OFFER = "waiting_list_offer", _("A place comes up from a waiting list")
    GOAL_REMINDER = "goal_reminder", _("Reminders about plans you agreed with your peer supporter")
    NEW_MESSAGE = "new_message", _("New messages")
    NEW_GROUP = "new_group", _("New groups that match what you are looking for")
    ACCOUNT = "account", _("Your account")
    SAFEGUARDING_ALERT = "safeguarding_alert", _("Safeguarding alerts (staff)")


@dataclass(frozen=True)
class PurposeRules:
    default_channels: tuple[Channel, ...]
    ignores_quiet_hours: bool = False
    can_be_switched_off: bool = True


RULES: dict[str, PurposeRules] = {
    Purpose.SESSION_REMINDER: PurposeRules((Channel.IN_APP, Channel.EMAIL)),
    # A cancelled or moved session she has booked: she may be about to travel with a baby.
    Purpose.SESSION_CHANGED: PurposeRules((Channel.IN_APP, Channel.EMAIL, Channel.SMS)),
    Purpose.WAITING_LIST_OFFER: PurposeRules((Channel.IN_APP, Channel.EMAIL, Channel.SMS)),
    Purpose.GOAL_REMINDER: PurposeRules((Channel.IN_APP,)),
    Purpose.NEW_MESSAGE: PurposeRules((Channel.IN_APP,)),
    Purpose.NEW_GROUP: PurposeRules((Channel.IN_APP, Channel.EMAIL)),
    Purpose.ACCOUNT: PurposeRules((Channel.IN_APP, Channel.EMAIL)),
    # Reaches the on-duty person at once, whatever the hour, and cannot be switched off.
    Purpose.SAFEGUARDING_ALERT: PurposeRules(
        (Channel.IN_APP, Channel.EMAIL, Channel.SMS, Channel.PUSH),
        ignores_quiet_hours=True,
        can_be_switched_off=False,
    ),
}

# Shown on lock screens (SMS and push). Never the content: "You have a new message on PeerPath".
LOCK_SCREEN_TEXT: Promise = _("You have a new message on PeerPath. Sign in to read it.")


def rules_for(purpose: str) -> PurposeRules:
    return RULES[purpose]
