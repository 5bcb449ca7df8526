from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.notifications.models import NotificationPreference
from peerpath.notifications.purposes import Channel, registered_purposes

CHOOSABLE = [(c.value, c.label) for c in Channel if c != Channel.IN_APP]


def _hour_choices() -> list[tuple[str, Any]]:
    return [("", _("No quiet hours"))] + [
        (f"{hour:02d}:00", dt.time(hour).strftime("%H:%M")) for hour in range(24)
    ]


class PreferencesForm(forms.Form):
    all_off = forms.BooleanField(
        label=_("Switch off all emails, texts and phone notifications"),
        help_text=_("You will still see messages in PeerPath when you sign in."),
        required=False,
    )
    quiet_start = forms.ChoiceField(label=_("Quiet from"), choices=_hour_choices, required=False)
    quiet_end = forms.ChoiceField(label=_("Quiet until"), choices=_hour_choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for purpose in registered_purposes():
            if not purpose.can_be_switched_off:
                continue
            self.fields[f"channels_{purpose.key}"] = forms.MultipleChoiceField(
                label=purpose.label,
                choices=CHOOSABLE,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @property
    def purpose_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("channels_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if bool(start) != bool(end):
            self.add_error(
                "quiet_end" if start else "quiet_start",
                _("Choose both times, or 'No quiet hours' for both."),
            )
        elif start and start == end:
            self.add_error("quiet_end", _("Quiet hours must end at a different time."))
        return data

    def cleaned_channels(self) -> dict[str, list[str]]:
        return {
            name.removeprefix("channels_"): self.cleaned_data[name]
            for name in self.fields
            if name.startswith("channels_")
        }

    def cleaned_time(self, name: str) -> dt.time | None:
        value = self.cleaned_data.get(name)
        return dt.time.fromisoformat(value) if value else None

    @staticmethod
    def initial_for(preference: NotificationPreference) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "all_off": preference.all_off,
            "quiet_start": preference.quiet_start.strftime("%H:%M")
            if preference.quiet_start
            else "",
            "quiet_end": preference.quiet_end.strftime("%H:%M") if preference.quiet_end else "",
        }
        for purpose in registered_purposes():
            chosen = preference.channels.get(purpose.key)
            defaults = [c for c in purpose.default_channels if c != Channel.IN_APP]
            initial[f"channels_{purpose.key}"] = defaults if chosen is None else chosen
        return initial


class PushSubscriptionForm(forms.Form):
    endpoint = forms.URLField(max_length=600, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)


CODE_DIGITS = 6


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we texted you"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "class": "nhsuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the code from the text.")},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if len(code) != CODE_DIGITS or not code.isdigit():
            raise forms.ValidationError(_("Enter the 6 numbers from the text."))
        return code
