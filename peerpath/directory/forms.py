"""The search form. Everything travels in the URL, so a midwife can share a search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.choices import Language
from peerpath.directory.choices import Family, ForWhom, Kind, TimeOfDay
from peerpath.directory.geo import locate, looks_like_postcode

WHEN = (
    ("this_week", _("This week")),
    ("next_week", _("Next week")),
    ("four_weeks", _("The next 4 weeks")),
)
DAYS = (
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
)
ANYWHERE = ""
ONLINE = "online"


DISTANCES = (
    ("1", _("1 mile")),
    ("3", _("3 miles")),
    ("5", _("5 miles")),
    ("10", _("10 miles")),
    ("20", _("20 miles")),
)


class SearchForm(forms.Form):
    postcode = forms.CharField(
        label=_("Your postcode (optional)"),
        help_text=_("Or just the first part, like EX4."),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )
    distance = forms.ChoiceField(label=_("Within"), choices=DISTANCES, required=False)
    where = forms.ChoiceField(label=_("Or choose a town"), required=False)
    when = forms.ChoiceField(label=_("When"), choices=WHEN, required=False)
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=DAYS, required=False, widget=forms.CheckboxSelectMultiple
    )
    times = forms.MultipleChoiceField(
        label=_("Time of day"),
        choices=TimeOfDay.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(
        label=_("Who it is for"),
        choices=[("", _("Anyone")), *ForWhom.choices],
        required=False,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kind of support"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    family = forms.MultipleChoiceField(
        label=_("Bringing children"),
        choices=Family.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any")), *Language.choices], required=False
    )
    free = forms.BooleanField(label=_("Free only"), required=False)

    def clean_postcode(self) -> str:
        text = str(self.cleaned_data.get("postcode") or "").strip()
        if not text:
            return ""
        if not looks_like_postcode(text):
            raise forms.ValidationError(
                _("Enter a postcode like EX4 3SR, or the first part of one like EX4.")
            )
        point = locate(text)
        if point is None:
            raise forms.ValidationError(
                _("We could not find that postcode. Check it, or choose a town instead.")
            )
        self.cleaned_data["near"] = point
        return text.upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "near" in self.cleaned_data:
            data["near"] = self.cleaned_data["near"]
        return data

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = [  # type: ignore[attr-defined]
            (ANYWHERE, _("Anywhere")),
            (ONLINE, _("Online only")),
            *[(area, area) for area in areas],
        ]
