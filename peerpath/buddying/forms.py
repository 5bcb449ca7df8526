"""Asking for a peer supporter, and a supporter's answer to a proposal."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.choices import Experience, Language
from peerpath.accounts.forms import WeeklyAvailability
from peerpath.buddying.choices import DeclineReason, Mode, Rhythm
from peerpath.buddying.models import Helped
from peerpath.core.form_fields import NativeDateInput

if TYPE_CHECKING:
    from peerpath.accounts.models import MemberProfile
    from peerpath.buddying.models import SupportRequest

STORY_MAX = 3000
HOPES_MAX = 1500


class AskForm(WeeklyAvailability, forms.Form):
    """What she would like from a peer supporter. Only the ways of keeping in touch and how
    often are needed; everything else helps the coordinator choose."""

    story = forms.CharField(
        label=_("What has been happening? (optional)"),
        help_text=_("As much or as little as you like. Only the coordinators can read this."),
        max_length=STORY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _(
                "Keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."
            ),
        },
    )
    hopes = forms.CharField(
        label=_("What would you like from a peer supporter? (optional)"),
        help_text=_("For example: someone to talk to in the evenings, or help to get out more."),
        max_length=HOPES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "Keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."
            ),
        },
    )
    modes = forms.MultipleChoiceField(
        label=_("How would you like to keep in touch?"),
        help_text=_("Choose all that suit you."),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way of keeping in touch.")},
    )
    rhythm = forms.ChoiceField(
        label=_("How often would you like to be in touch?"),
        help_text=_("You can change this with your peer supporter later."),
        choices=Rhythm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you would like to be in touch.")},
    )
    area = forms.CharField(
        label=_("Your town or area"),
        help_text=_("Needed if you would like to meet in person."),
        max_length=100,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you would like support in (optional)"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experiences = forms.MultipleChoiceField(
        label=_("Would you like your peer supporter to have been through any of these? (optional)"),
        help_text=_("Choose any that matter to you, or none."),
        choices=Experience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_day_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if Mode.IN_PERSON in (data.get("modes") or []) and not (data.get("area") or "").strip():
            self.add_error(
                "area", _("Enter your town or area, so we can find someone who can meet you.")
            )
        return data

    def wish(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "story": data["story"].strip(),
            "hopes": data["hopes"].strip(),
            "experiences": data["experiences"],
            "modes": data["modes"],
            "rhythm": data["rhythm"],
            "availability": self.availability(),
            "languages": data["languages"],
            "area": data["area"].strip(),
        }

    @staticmethod
    def initial_for(
        profile: MemberProfile | None, earlier: SupportRequest | None = None
    ) -> dict[str, Any]:
        """What she told us already: her last request, else her profile."""
        if earlier is not None:
            return {
                "story": earlier.story,
                "hopes": earlier.hopes,
                "experiences": earlier.experiences,
                "modes": earlier.modes,
                "rhythm": earlier.rhythm,
                "area": earlier.area,
                "languages": earlier.languages,
                **WeeklyAvailability.days_initial(earlier.availability),
            }
        if profile is None:
            return {}
        return {
            "area": profile.area,
            "languages": profile.languages,
            "experiences": [e for e in profile.experiences if e in Experience.values],
        }


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you saying no?"),
        help_text=_("Only the coordinator sees this. The mother is never told."),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason, so the coordinator can ask someone else.")},
    )


WORDS_MAX = 300
NOTES_MAX = 3000
REMINDER_TIMES = [
    (f"{hour:02d}:{minute:02d}", dt.time(hour, minute).strftime("%-I:%M%p").lower())
    for hour in range(7, 22)
    for minute in (0, 30)
]
WORRY_CHOICES = (
    ("0", _("No")),
    ("1", _("Yes: someone from the team should contact her today")),
    (
        "2",
        _(
            "Yes, seriously: she has thoughts or plans of harming herself or her baby, or may "
            "be unwell in a way that needs help now"
        ),
    ),
)


class AgreementForm(forms.Form):
    rhythm = forms.ChoiceField(
        label=_("How often you agreed to be in touch"),
        choices=Rhythm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often.")},
    )
    modes = forms.MultipleChoiceField(
        label=_("How you keep in touch"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way of keeping in touch.")},
    )


class GoalForm(forms.Form):
    words = forms.CharField(
        label=_("A goal to work towards"),
        help_text=_(
            "Something small that would make a difference, for example: go out with the "
            "baby on my own."
        ),
        max_length=WORDS_MAX,
        error_messages={
            "required": _("Write the goal."),
            "max_length": _(
                "Keep a goal to %(limit_value)d characters or fewer (it has %(show_value)d)."
            ),
        },
    )


class ReminderFields(forms.Form):
    remind_on = forms.DateField(
        label=_("Remind me on (optional)"),
        required=False,
        widget=NativeDateInput(),
        error_messages={"invalid": _("Enter a real date, for example 9 March 2027.")},
    )
    remind_time = forms.ChoiceField(
        label=_("At"),
        choices=[("", _("Choose a time")), *REMINDER_TIMES],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on, at = data.get("remind_on"), data.get("remind_time")
        if on and not at:
            self.add_error("remind_time", _("Choose a time for the reminder."))
        if at and not on and "remind_on" not in self.errors:
            self.add_error("remind_on", _("Choose a day for the reminder."))
        return data

    def remind_at(self) -> dt.datetime | None:
        on, at = self.cleaned_data.get("remind_on"), self.cleaned_data.get("remind_time")
        if not (on and at):
            return None
        hour, minute = (int(part) for part in at.split(":"))
        # A wall-clock time where the charity is (Europe/London), so 8am stays 8am in summer.
        return timezone.make_aware(dt.datetime.combine(on, dt.time(hour, minute)))


class StepForm(ReminderFields):
    words = forms.CharField(
        label=_("A small step"),
        help_text=_("For example: go to the Tuesday group, or ring the GP about a review."),
        max_length=WORDS_MAX,
        error_messages={
            "required": _("Write the step."),
            "max_length": _(
                "Keep a step to %(limit_value)d characters or fewer (it has %(show_value)d)."
            ),
        },
    )
    field_order = ("words", "remind_on", "remind_time")


class ContactForm(forms.Form):
    happened_on = forms.DateField(
        label=_("Date of the contact"),
        widget=NativeDateInput(),
        error_messages={
            "required": _("Enter the date of the contact."),
            "invalid": _("Enter a real date, for example 2 March 2027."),
        },
    )
    mode = forms.ChoiceField(
        label=_("How"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you were in touch.")},
    )
    minutes = forms.IntegerField(
        label=_("How long, in minutes"),
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how long, in minutes, for example 30."),
            "invalid": _("Enter a whole number of minutes, for example 30."),
            "min_value": _("Enter 1 minute or more."),
            "max_value": _("Enter 600 minutes or fewer."),
        },
    )
    talked_about = forms.CharField(
        label=_("What you talked about (optional)"),
        help_text=_("Only you and the coordinators can read this. She cannot."),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    follow_ups = forms.CharField(
        label=_("Anything to follow up (optional)"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    worry_tier = forms.TypedChoiceField(
        label=_("Are you worried about her safety, or her baby's?"),
        help_text=_(
            "If she or her baby are in danger right now, call 999 first. A yes here goes "
            "straight to the person on duty."
        ),
        choices=WORRY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you are worried about her safety.")},
    )
    worry = forms.CharField(
        label=_("What worries you? (needed if you are worried)"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("worry_tier") and not (data.get("worry") or "").strip():
            self.add_error(
                "worry", _("Say what worries you, so the person on duty knows what to do.")
            )
        return data


class ReviewForm(forms.Form):
    week = forms.TypedChoiceField(
        choices=((6, "6"), (12, "12")), coerce=int, widget=forms.HiddenInput
    )
    held_on = forms.DateField(
        label=_("Date of the review"),
        widget=NativeDateInput(),
        error_messages={
            "required": _("Enter the date of the review."),
            "invalid": _("Enter a real date, for example 13 April 2027."),
        },
    )
    notes = forms.CharField(
        label=_("How it is going, and what you agreed (optional)"),
        help_text=_("Only you and the coordinators can read this."),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EndForm(forms.Form):
    goodbye = forms.CharField(
        label=_("A goodbye message for her (optional)"),
        help_text=_("She sees this with what comes next: groups, check-ins, and asking again."),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FeedbackForm(forms.Form):
    helped = forms.ChoiceField(
        label=_("How much did having a peer supporter help?"),
        choices=Helped.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how much it helped.")},
    )
    words = forms.CharField(
        label=_("Anything you would like to tell us (optional)"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    become_supporter = forms.BooleanField(
        label=_("I would like to hear about training to be a peer supporter myself"),
        required=False,
    )
