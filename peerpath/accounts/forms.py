"""Forms for the pages people use to manage their account, and staff tools."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.choices import (
    INVITABLE_ROLES,
    WEEKDAYS,
    ContactMethod,
    DayPart,
    Experience,
    Language,
    Role,
    Stage,
)
from peerpath.accounts.models import ConsentMethod
from peerpath.core import clock
from peerpath.core.form_fields import NativeDateInput

# A pregnancy lasts at most about 42 weeks: a due date further ahead is almost surely a typo.
LATEST_DUE_DATE_DAYS = 42 * 7


class AccountDetailsForm(forms.Form):
    display_name = forms.CharField(
        label=_("The name other people see"),
        help_text=_(
            "This can be a nickname. It is shown in groups and chat instead of your real name."
        ),
        max_length=60,
    )
    phone = forms.CharField(
        label=_("Mobile phone number (optional)"),
        help_text=_("Only if you would like texts or calls. We store it securely."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"]).strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        if phone and not (10 <= len(digits) <= 13):  # noqa: PLR2004
            raise forms.ValidationError(
                _("Enter a phone number like 07700 900123, or leave it empty.")
            )
        return phone


class MemberPreferencesForm(forms.Form):
    """What does not need health-data consent: where she is, languages, how to reach her."""

    area = forms.CharField(
        label=_("Your town or area (optional)"),
        help_text=_("So we can suggest groups near you. For example, Exeter or St Thomas."),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you would like support in"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_methods = forms.MultipleChoiceField(
        label=_("How would you like us to contact you?"),
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_notes = forms.CharField(
        label=_("Anything we should know about contacting you? (optional)"),
        help_text=_("For example, the best times, or if someone else might see your messages."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MemberHealthForm(forms.Form):
    """Pregnancy, baby and experiences: shown only once she has agreed to their use."""

    stage = forms.ChoiceField(
        label=_("Where are you at the moment?"),
        choices=Stage.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    due_date = forms.DateField(
        label=_("Your due date"),
        help_text=_("If you are pregnant. Your best guess is fine."),
        required=False,
        widget=NativeDateInput(),
    )
    baby_birth_date = forms.DateField(
        label=_("Your baby's date of birth"),
        help_text=_("If your baby has been born."),
        required=False,
        widget=NativeDateInput(),
    )
    experiences = forms.MultipleChoiceField(
        label=_("Experiences you would like to share (optional)"),
        help_text=_(
            "Only if you want to. It helps us find a peer supporter who has been through "
            "something similar."
        ),
        choices=Experience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stage = data.get("stage")
        today = clock.today()
        due: dt.date | None = data.get("due_date")
        born: dt.date | None = data.get("baby_birth_date")
        if stage == Stage.PREGNANT:
            if not due:
                self.add_error("due_date", _("Enter your due date, or choose another answer."))
            elif due > today + dt.timedelta(days=LATEST_DUE_DATE_DAYS):
                self.add_error("due_date", _("Your due date must be within the next 42 weeks."))
            data["baby_birth_date"] = None
        elif stage == Stage.BABY_BORN:
            if not born:
                self.add_error(
                    "baby_birth_date",
                    _("Enter your baby's date of birth, or choose another answer."),
                )
            elif born > today:
                self.add_error(
                    "baby_birth_date", _("Your baby's date of birth must be in the past.")
                )
            data["due_date"] = None
        else:
            data["due_date"] = None
            data["baby_birth_date"] = None
        return data


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(choices=(("give", "give"), ("withdraw", "withdraw")))


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand my account and what I have told you will be deleted"),
        error_messages={"required": _("Tick the box to confirm you want to delete your account.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right. Try again."))
        return password


class MemberOnBehalfForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label=_("Her email address"),
        help_text=_("We will send her a link to choose her own password."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    display_name = forms.CharField(
        label=_("The name she would like others to see"),
        help_text=_("A nickname is fine. Leave empty and we will suggest one."),
        max_length=60,
        required=False,
    )
    consent_method = forms.ChoiceField(
        label=_("How did she agree to having an account?"),
        choices=[(ConsentMethod.PHONE, _("By phone")), (ConsentMethod.IN_PERSON, _("In person"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how she agreed.")},
    )
    consent_confirmed = forms.BooleanField(
        label=_("I have read her the privacy notice summary and she agreed to an account"),
        error_messages={"required": _("You can only create an account if she has agreed.")},
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label=_("Their email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in INVITABLE_ROLES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role.")},
    )

    def clean_role(self) -> str:
        role = str(self.cleaned_data["role"])
        if role == Role.MEMBER:
            raise forms.ValidationError(_("Members sign up themselves."))
        return role


class InvitationSignupForm(forms.Form):
    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    display_name = forms.CharField(label=_("Your name as colleagues will see it"), max_length=60)
    password1 = forms.CharField(
        label=_("Choose a password"),
        help_text=_("At least 8 characters. Avoid common words."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        from django.contrib.auth.password_validation import validate_password

        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are different. Type them again."))
        elif first:
            from peerpath.accounts.models import User

            try:
                validate_password(
                    first, User(email=self.email, display_name=data.get("display_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class WeeklyAvailability:
    """A morning / afternoon / evening choice for each day of the week, as
    ``{"mon": ["morning"], ...}``."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_day_fields(self) -> None:
        for key, day in WEEKDAYS:
            self.fields[f"day_{key}"] = forms.MultipleChoiceField(
                label=day,
                choices=DayPart.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @property
    def day_fields(self) -> list[Any]:
        return [self[f"day_{key}"] for key, _day in WEEKDAYS]  # type: ignore[index]

    def availability(self) -> dict[str, list[str]]:
        return {
            key: self.cleaned_data[f"day_{key}"]
            for key, _day in WEEKDAYS
            if self.cleaned_data.get(f"day_{key}")
        }

    @staticmethod
    def days_initial(availability: dict[str, list[str]]) -> dict[str, list[str]]:
        return {f"day_{key}": availability.get(key, []) for key, _day in WEEKDAYS}


class SupporterProfileForm(WeeklyAvailability, forms.Form):
    """What a peer supporter offers: what she has lived through, languages, areas, times."""

    lived_experiences = forms.MultipleChoiceField(
        label=_("Experiences you have been through yourself"),
        help_text=_("So we can match you with mothers who are going through something similar."),
        choices=Experience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can give support in"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.CharField(
        label=_("Towns or areas you can meet in (optional)"),
        help_text=_(
            "Separate them with commas. Leave empty if you support by phone or online only."
        ),
        max_length=300,
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("How many mothers could you support at the same time?"),
        min_value=0,
        max_value=20,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter a number, for example 2. Enter 0 to pause new matches."),
            "invalid": _("Enter a whole number, for example 2."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter 20 or fewer."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_day_fields()

    def clean_areas(self) -> list[str]:
        text = str(self.cleaned_data["areas"])
        return [area.strip() for area in text.split(",") if area.strip()]

    @staticmethod
    def initial_for(profile: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "lived_experiences": profile.lived_experiences,
            "languages": profile.languages,
            "areas": ", ".join(profile.areas),
            "capacity": profile.capacity,
        }
        initial.update(WeeklyAvailability.days_initial(profile.availability))
        return initial
