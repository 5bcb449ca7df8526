"""The search form. Everything travels in the URL, so a midwife can share a search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.choices import Language
from peerpath.directory.choices import Family, ForWhom, Kind, TimeOfDay

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


class SearchForm(forms.Form):
    where = forms.ChoiceField(label=_("Where"), required=False)
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

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = [  # type: ignore[attr-defined]
            (ANYWHERE, _("Anywhere")),
            (ONLINE, _("Online only")),
            *[(area, area) for area in areas],
        ]
