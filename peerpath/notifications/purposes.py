"""What a notification is for: the registry every app contributes its purposes to.

Each app that tells people things registers its purposes in its own ``purposes.py``
(discovered at start-up), with the wording in its own templates: its label on the
preferences page and in her inbox, its default channels, whether it may wait for quiet hours
or be switched off, what her inbox shows under it, and its emails. A purpose is stored by its
key in a plain field, so adding one needs no migration.

    # peerpath/bookings/purposes.py
    SESSION_REMINDER = register_purpose(
        Purpose(
            key="session_reminder",
            label=_("Reminders about groups and sessions you booked"),
            default_channels=(Channel.IN_APP, Channel.EMAIL),
            email_templates="bookings/notifications/session_reminder",
        )
    )

The text that may show on a lock screen (SMS, push) is the same bland sentence for every
purpose: a partner or relative may see the phone. Details are only ever shown after sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KEY_MAX_LENGTH = 30


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In PeerPath")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    PUSH = "push", _("Phone notification")


@dataclass(frozen=True)
class Purpose:
    """One reason PeerPath tells someone something.

    ``inbox_template`` is included under the message's label in her inbox, with the
    notification as ``item`` (its context holds ids and small words, never content).
    ``lock_screen_text`` replaces ``LOCK_SCREEN_TEXT`` on lock screens; it must stay as bland.
    ``email_templates`` is a folder of ``subject.txt``, ``message.txt`` and ``message.html``;
    any it lacks fall back to the general wording in ``notifications/email/``.
    """

    key: str
    label: StrOrPromise
    default_channels: tuple[str, ...]
    ignores_quiet_hours: bool = False
    can_be_switched_off: bool = True
    inbox_template: str = ""
    email_templates: str = ""
    # For staff duties only (a safeguarding page): a different bland sentence for lock
    # screens, and the notification's link added to texts so one tap opens it. Never content.
    lock_screen_text: StrOrPromise | None = None
    text_includes_link: bool = False

    def __post_init__(self) -> None:
        if not self.key or len(self.key) > KEY_MAX_LENGTH or not self.key.isidentifier():
            raise ValueError(f"A purpose key is a short identifier, not {self.key!r}.")


_PURPOSES: dict[str, Purpose] = {}


def register_purpose(purpose: Purpose) -> str:
    """Register a purpose; returns its key, which is what ``notify`` takes and stores."""
    existing = _PURPOSES.get(purpose.key)
    if existing is not None and existing != purpose:
        raise ValueError(f"Two purposes are registered as {purpose.key!r}.")
    _PURPOSES[purpose.key] = purpose
    return purpose.key


def purpose_for(key: str) -> Purpose:
    try:
        return _PURPOSES[key]
    except KeyError:
        raise LookupError(f"No notification purpose is registered as {key!r}.") from None


def find_purpose(key: str) -> Purpose | None:
    """The purpose, or None for one no app registers any more (old notifications)."""
    return _PURPOSES.get(key)


def registered_purposes() -> list[Purpose]:
    """Every purpose, in the order apps registered them (lowest layer first)."""
    return list(_PURPOSES.values())


def validate_purpose(value: str) -> None:
    """The model field's validator: only registered purposes are stored."""
    if value not in _PURPOSES:
        raise ValidationError(
            _("%(value)s is not a notification purpose."), params={"value": value}, code="purpose"
        )


# Shown on lock screens (SMS and push). Never the content: "You have a new message on PeerPath".
LOCK_SCREEN_TEXT: Promise = _("You have a new message on PeerPath. Sign in to read it.")


def lock_screen_text(purpose: Purpose) -> str:
    return str(purpose.lock_screen_text or LOCK_SCREEN_TEXT)


# Notifications' own purposes.
ACCOUNT = register_purpose(
    Purpose(
        key="account",
        label=_("Your account"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
