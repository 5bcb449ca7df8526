"""Asking for a peer supporter, and a supporter's answer to a proposal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.choices import Experience, Language
from peerpath.accounts.forms import WeeklyAvailability
from peerpath.buddying.choices import DeclineReason, Mode, Rhythm

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
        data = super().clean()
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
