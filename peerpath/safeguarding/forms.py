"""Forms for asking for contact and for handling alerts. Each keeps what was typed when it
is sent back with an error beside the field."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core import clock
from peerpath.core.validators import no_hidden_characters
from peerpath.safeguarding.models import (
    CONTACT_WAYS,
    ActionKind,
    AlertOutcome,
    AlertSource,
    ReferralDecision,
)
from peerpath.safeguarding.services import (
    CONTEXT_MAX_LENGTH,
    FOLLOW_UP_DESCRIPTION_MAX_LENGTH,
    FOLLOW_UP_MAX_DAYS_AHEAD,
    REFERRAL_MISMATCH,
    refers_but_says_not,
)

if TYPE_CHECKING:
    from peerpath.accounts.models import User


PHONE_DIGITS_MIN, PHONE_DIGITS_MAX = 10, 15


class AskForContactForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How would you like us to contact you?"),
        choices=CONTACT_WAYS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you would like us to contact you.")},
    )
    when = forms.CharField(
        label=_("When is a good time? (optional)"),
        help_text=_("For example: this afternoon, or after 7pm."),
        max_length=100,
        required=False,
        validators=[no_hidden_characters],
    )
    number = forms.CharField(
        label=_("The mobile number to use"),
        help_text=_("We do not have one for you. It is kept with this request only."),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    voicemail = forms.ChoiceField(
        label=_("If we call or text, is it safe to leave a message?"),
        choices=(("yes", _("Yes")), ("no", _("No, please do not leave a message"))),
        widget=forms.RadioSelect,
        required=False,
    )
    harm_thoughts = forms.ChoiceField(
        label=_("Are you having thoughts of harming yourself or your baby? (optional)"),
        help_text=_("Telling us helps us reach you sooner. You will not get into trouble for it."),
        choices=(("yes", _("Yes")), ("no", _("No"))),
        widget=forms.RadioSelect,
        required=False,
    )
    message = forms.CharField(
        label=_("Anything you would like us to know first (optional)"),
        help_text=_("You do not have to write anything. We will listen when we talk."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=CONTEXT_MAX_LENGTH,
        required=False,
        validators=[no_hidden_characters],
    )

    def __init__(self, *args: Any, has_phone: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_phone = has_phone
        if has_phone:
            del self.fields["number"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_phone = data.get("how") in {"phone", "text"}
        if by_phone and not self.has_phone:
            digits = "".join(ch for ch in data.get("number", "") if ch.isdigit())
            if not data.get("number", "").strip():
                self.add_error(
                    "number", _("Enter the mobile number to use, or choose another way.")
                )
            elif not PHONE_DIGITS_MIN <= len(digits) <= PHONE_DIGITS_MAX:
                self.add_error("number", _("Enter a phone number, like 07700 900123."))
        if by_phone and not data.get("voicemail"):
            self.add_error("voicemail", _("Tell us whether it is safe to leave a message."))
        return data


class StaffRaiseForm(forms.Form):
    tier = forms.TypedChoiceField(
        label=_("How urgent is it?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a tier.")},
    )
    context = forms.CharField(
        label=_("What happened"),
        help_text=_(
            "Only what the person handling it needs: what she said or wrote, and when. "
            "Everyone who reads this is recorded."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=CONTEXT_MAX_LENGTH,
        error_messages={"required": _("Write what happened.")},
        validators=[no_hidden_characters],
    )
    source = forms.ChoiceField(
        label=_("Where did it come from?"),
        choices=[
            (AlertSource.CONTACT_LOG, AlertSource.CONTACT_LOG.label),
            (AlertSource.STAFF, _("Something else staff saw or heard")),
        ],
        widget=forms.RadioSelect,
        initial=AlertSource.CONTACT_LOG,
    )

    def __init__(self, *args: Any, tiers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = tiers  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you recording?"),
        choices=[
            (ActionKind.CONTACT, _("Contact with her (a call, a text, a visit)")),
            (ActionKind.MESSAGE, _("A message sent to her")),
            (ActionKind.NOTE, _("A note or a decision")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you are recording.")},
    )
    text = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=CONTEXT_MAX_LENGTH,
        error_messages={"required": _("Write what happened.")},
        validators=[no_hidden_characters],
    )


class _ChoosesColleague(forms.Form):
    """A form with a choice among the colleagues who handle the alert's organisation's alerts;
    the cleaned value is the person."""

    colleague_field = ""

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.public_id): person for person in people}
        field = self.fields[self.colleague_field]
        field.choices = [  # type: ignore[attr-defined]
            *field.choices,  # type: ignore[attr-defined]
            *[(key, str(person)) for key, person in self.people.items()],
        ]

    def _colleague(self) -> User:
        return self.people[self.cleaned_data[self.colleague_field]]


class FollowUpForm(_ChoosesColleague):
    colleague_field = "owner"
    description = forms.CharField(
        label=_("What needs doing"),
        max_length=FOLLOW_UP_DESCRIPTION_MAX_LENGTH,
        initial=_("Warm contact today"),
        error_messages={"required": _("Say what needs doing.")},
        validators=[no_hidden_characters],
    )
    due_at = forms.DateTimeField(
        label=_("Due by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Say when it is due."),
            "invalid": _("Enter the date and time it is due, for example 2026-12-01 16:00."),
        },
    )
    owner = forms.ChoiceField(
        label=_("Who will do it"), error_messages={"required": _("Choose who will do it.")}
    )

    def clean_due_at(self) -> dt.datetime:
        due: dt.datetime = self.cleaned_data["due_at"]
        now = clock.now()
        if due <= now:
            raise forms.ValidationError(_("Choose a time that has not passed yet."))
        if due > now + dt.timedelta(days=FOLLOW_UP_MAX_DAYS_AHEAD):
            raise forms.ValidationError(
                _("Choose a time in the next %(days)s days.") % {"days": FOLLOW_UP_MAX_DAYS_AHEAD}
            )
        return due

    def clean_owner(self) -> User:
        return self._colleague()


class HandOverForm(_ChoosesColleague):
    colleague_field = "to"
    to = forms.ChoiceField(
        label=_("Hand it to"),
        choices=[("", _("Choose a colleague"))],
        error_messages={"required": _("Choose a colleague.")},
    )
    note = forms.CharField(
        label=_("What they need to know (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=CONTEXT_MAX_LENGTH,
        required=False,
        validators=[no_hidden_characters],
    )

    def clean_to(self) -> User:
        return self._colleague()


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        help_text=_(
            "If you could not reach her, set a follow-up for someone to try again before you "
            "close it."
        ),
        choices=AlertOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the outcome was.")},
    )
    referral_decision = forms.ChoiceField(
        label=_("Safeguarding referral"),
        help_text=_(
            "If a child may be at risk of significant harm, refer to children's social care "
            "straight away. Record a decision not to refer, and why, as carefully as a referral."
        ),
        choices=ReferralDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether a safeguarding referral was made.")},
    )
    reasons = forms.CharField(
        label=_("What was decided and why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=CONTEXT_MAX_LENGTH,
        error_messages={"required": _("Write down what was decided and why.")},
        validators=[no_hidden_characters],
    )

    def clean_reasons(self) -> str:
        value = str(self.cleaned_data.get("reasons", "")).strip()
        if not value:
            raise forms.ValidationError(_("Write down what was decided and why."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if refers_but_says_not(data.get("outcome", ""), data.get("referral_decision", "")):
            self.add_error("referral_decision", REFERRAL_MISMATCH)
        return data


NUMBERS_PERIODS = (
    ("30", _("The last 30 days")),
    ("90", _("The last 90 days")),
    ("365", _("The last 12 months")),
)


class NumbersPeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Alerts raised in"),
        choices=NUMBERS_PERIODS,
        coerce=int,
        initial="90",
        error_messages={"invalid_choice": _("Choose one of the periods in the list.")},
    )
