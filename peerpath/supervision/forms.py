"""Forms for recording training, checks and supervision, setting a caseload limit, and her
wellbeing check-in. Each is sent back with its errors beside the fields and what was typed
kept."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core import clock
from peerpath.core.form_fields import NativeDateInput
from peerpath.core.validators import no_hidden_characters
from peerpath.supervision.models import CheckOutcome, Feeling
from peerpath.supervision.services import (
    KIND_MAX_LENGTH,
    MAX_CASELOAD,
    NOTE_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
)

if TYPE_CHECKING:
    from peerpath.accounts.models import Membership, User
    from peerpath.supervision.models import TrainingModule

DATE_INVALID = _("Enter a real date, for example 2026-03-03.")


def _date_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=NativeDateInput(),
        error_messages={"invalid": DATE_INVALID, **kwargs.pop("error_messages", {})},
        **kwargs,
    )


def _not_after_today(value: dt.date | None) -> dt.date | None:
    if value is not None and value > clock.today():
        raise forms.ValidationError(_("Enter today or a day before it."))
    return value


class TrainingCompletionForm(forms.Form):
    module = forms.ChoiceField(
        label=_("Training module"),
        error_messages={
            "required": _("Choose the training she completed."),
            "invalid_choice": _("Choose one of the training modules in the list."),
        },
    )
    completed_on = _date_field(
        _("Completed on"), error_messages={"required": _("Enter the day she completed it.")}
    )

    def __init__(self, *args: Any, modules: list[TrainingModule], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "training")
        super().__init__(*args, **kwargs)
        self.modules = {str(module.public_id): module for module in modules}
        cast(forms.ChoiceField, self.fields["module"]).choices = [
            ("", _("Choose the training")),
            *[(key, module.name) for key, module in self.modules.items()],
        ]

    def clean_module(self) -> TrainingModule:
        return self.modules[self.cleaned_data["module"]]

    def clean_completed_on(self) -> dt.date | None:
        return _not_after_today(self.cleaned_data.get("completed_on"))


class BackgroundCheckForm(forms.Form):
    kind = forms.CharField(
        label=_("Kind of check"),
        help_text=_("For example: Enhanced DBS, or Enhanced DBS with barred list."),
        max_length=KIND_MAX_LENGTH,
        initial=_("Enhanced DBS"),
        error_messages={"required": _("Say what kind of check it was.")},
        validators=[no_hidden_characters],
    )
    checked_on = _date_field(
        _("Date on the certificate"),
        error_messages={"required": _("Enter the date on the certificate.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=CheckOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the check was clear.")},
    )
    renew_by = _date_field(
        _("Renew by (optional)"),
        required=False,
        help_text=_("Your organisation's rule for renewing checks; leave empty if it has none."),
    )
    reference = forms.CharField(
        label=_("Certificate number (optional)"),
        max_length=REFERENCE_MAX_LENGTH,
        required=False,
        validators=[no_hidden_characters],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "check")
        super().__init__(*args, **kwargs)

    def clean_checked_on(self) -> dt.date | None:
        return _not_after_today(self.cleaned_data.get("checked_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        checked_on, renew_by = data.get("checked_on"), data.get("renew_by")
        if checked_on and renew_by and renew_by <= checked_on:
            self.add_error("renew_by", _("Enter a date after the date on the certificate."))
        return data


class SupervisionSessionForm(forms.Form):
    supervisor = forms.ChoiceField(
        label=_("Who held it"),
        error_messages={
            "required": _("Choose who held the session."),
            "invalid_choice": _("Choose one of the people in the list."),
        },
    )
    held_on = _date_field(
        _("Held on"), error_messages={"required": _("Enter the day it was held.")}
    )
    notes = forms.CharField(
        label=_("Notes (coordinators and safeguarding leads only)"),
        help_text=_(
            "She does not see these on her page, but they are in her copy of everything she "
            "can ask for: write them as she might read them."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        validators=[no_hidden_characters],
    )
    agreed_actions = forms.CharField(
        label=_("What you agreed (she sees this)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        validators=[no_hidden_characters],
    )
    is_debrief = forms.BooleanField(
        label=_("This was a debrief after an alert she raised"), required=False
    )

    def __init__(
        self, *args: Any, people: list[User], supporter: Membership, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "session")
        super().__init__(*args, **kwargs)
        self.people = {
            str(person.public_id): person for person in people if person.pk != supporter.user_id
        }
        cast(forms.ChoiceField, self.fields["supervisor"]).choices = [
            ("", _("Choose who held it")),
            *[(key, str(person)) for key, person in self.people.items()],
        ]

    def clean_supervisor(self) -> User:
        return self.people[self.cleaned_data["supervisor"]]

    def clean_held_on(self) -> dt.date | None:
        return _not_after_today(self.cleaned_data.get("held_on"))


class CaseloadForm(forms.Form):
    limit = forms.IntegerField(
        label=_("Active matches at most"),
        min_value=0,
        max_value=MAX_CASELOAD,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter a whole number, for example 3."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter %(most)s or fewer.") % {"most": MAX_CASELOAD},
        },
    )

    def __init__(self, *args: Any, default: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "caseload")
        super().__init__(*args, **kwargs)
        self.fields["limit"].help_text = _(
            "Leave empty to use your organisation's limit (%(default)s). Enter 0 to pause new "
            "matches. She can change it on her own profile too."
        ) % {"default": default}


class WellbeingForm(forms.Form):
    feeling = forms.ChoiceField(
        label=_("How are you finding supporting right now?"),
        choices=Feeling.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you are finding it.")},
    )
    note = forms.CharField(
        label=_("Anything you would like to add (optional)"),
        help_text=_("Your coordinators and safeguarding leads can read this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        validators=[no_hidden_characters],
    )
    wants_to_talk = forms.BooleanField(
        label=_("I'd like to talk to my coordinator"), required=False
    )
    place = forms.ChoiceField(
        label=_("Which organisation is this about?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the organisation this is about.")},
    )

    def __init__(self, *args: Any, places: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {str(place.public_id): place for place in places}
        if len(places) <= 1:
            del self.fields["place"]
        else:
            cast(forms.ChoiceField, self.fields["place"]).choices = [
                (key, place.organisation.name) for key, place in self.places.items()
            ]

    def chosen_place(self) -> Membership:
        if "place" in self.fields:
            return self.places[self.cleaned_data["place"]]
        return next(iter(self.places.values()))
