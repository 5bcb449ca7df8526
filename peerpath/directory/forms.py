"""The search form. Everything travels in the URL, so a midwife can share a search."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.choices import Language
from peerpath.directory.choices import Family, ForWhom, Kind, TimeOfDay
from peerpath.directory.geo import Point, locate, looks_like_postcode

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
# "Use my location": the UK with its islands, and 2 decimal places (about a kilometre), so a
# shared search never gives away her front door.
UK_LATITUDES = (49.0, 61.0)
UK_LONGITUDES = (-8.7, 2.1)
LOCATION_PLACES = 2


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
        elif not str(self.data.get("postcode") or "").strip():
            self._clean_location(data)
        return data

    def _clean_location(self, data: dict[str, Any]) -> None:
        """Her location from the browser, used when she has not typed a postcode."""
        raw = (str(data.get("lat") or "").strip(), str(data.get("lng") or "").strip())
        data["lat"] = data["lng"] = None
        if raw == ("", ""):
            return
        try:
            latitude, longitude = (float(value) for value in raw)
        except ValueError:
            latitude = longitude = math.nan
        if not all(math.isfinite(value) for value in (latitude, longitude)):
            self.add_error(
                "postcode",
                _("We could not use your location. Type a postcode or choose a town instead."),
            )
            return
        if not (
            UK_LATITUDES[0] <= latitude <= UK_LATITUDES[1]
            and UK_LONGITUDES[0] <= longitude <= UK_LONGITUDES[1]
        ):
            self.add_error(
                "postcode",
                _(
                    "Your location looks to be outside the UK. "
                    "Type a postcode or choose a town instead."
                ),
            )
            return
        data["lat"] = round(latitude, LOCATION_PLACES)
        data["lng"] = round(longitude, LOCATION_PLACES)
        data["near"] = Point(data["lat"], data["lng"])

    @property
    def near_location(self) -> bool:
        """Whether the search is near her location (rather than a postcode or a town)."""
        data = getattr(self, "cleaned_data", {})
        return data.get("lat") is not None and "near" in data and not data.get("postcode")

    def query_without_location(self) -> str:
        """This search's query string without her location, to stop using it."""
        data = self.data
        return urlencode(
            [
                (key, value)
                for key in data
                if key not in ("lat", "lng")
                for value in (data.getlist(key) if isinstance(data, QueryDict) else [data[key]])
            ]
        )

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filled in by the "Use my location" button (static/peerpath/geolocate.js). Added here
        # rather than declared, so they are not among the base fields a kept search keeps:
        # her location is used for this search only and never stored.
        for name in ("lat", "lng"):
            self.fields[name] = forms.CharField(
                required=False, max_length=20, widget=forms.HiddenInput
            )
        self.fields["where"].choices = [  # type: ignore[attr-defined]
            (ANYWHERE, _("Anywhere")),
            (ONLINE, _("Online only")),
            *[(area, area) for area in areas],
        ]
