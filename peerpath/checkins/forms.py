"""Forms for answering a question, sharing results and choosing reminders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Membership
from peerpath.checkins.instruments import Instrument, Item
from peerpath.checkins.models import ReminderRhythm


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["answer"])
        field.label = item.text
        field.choices = [(str(index), option.text) for index, option in enumerate(item.options)]
        field.required = item.scored
        if not item.scored:
            field.help_text = _("You can leave this one out: it does not change your result.")
        field.error_messages["required"] = _("Choose the answer closest to how you have felt.")
        field.error_messages["invalid_choice"] = _("Choose one of the answers shown.")

    def chosen(self) -> int | None:
        value = self.cleaned_data.get("answer")
        return int(value) if isinstance(value, str) and value else None


class ShareForm(forms.Form):
    viewer = forms.ChoiceField(
        label=_("Who would you like to share with?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who to share with.")},
    )
    instruments = forms.MultipleChoiceField(
        label=_("Which check-ins?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one check-in to share.")},
    )

    def __init__(
        self,
        *args: Any,
        people: list[Membership],
        measures: Sequence[Instrument],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.public_id): person for person in people}
        cast(forms.ChoiceField, self.fields["viewer"]).choices = [
            (str(person.public_id), f"{person.user.display_name} ({person.get_role_display()})")
            for person in people
        ]
        cast(forms.MultipleChoiceField, self.fields["instruments"]).choices = [
            (m.id, m.title) for m in measures
        ]

    def chosen_viewer(self) -> Membership:
        return self.people[self.cleaned_data["viewer"]]


HOURS = [(str(hour), f"{hour:02d}:00") for hour in range(7, 22)]


class ReminderForm(forms.Form):
    every_days = forms.ChoiceField(
        label=_("How often would you like a reminder?"),
        widget=forms.RadioSelect,
        choices=[
            *[(str(v), label) for v, label in ReminderRhythm.choices],
            ("0", _("No reminders")),
        ],
        error_messages={"required": _("Choose how often, or no reminders.")},
    )
    at_hour = forms.ChoiceField(
        label=_("At about what time of day?"),
        choices=HOURS,
        initial="10",
        help_text=_("Reminders wait until your quiet hours end."),
        error_messages={"required": _("Choose a time of day.")},
    )
