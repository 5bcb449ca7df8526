"""Forms for the staff pages that manage listings, places, repeating times and sessions.

Nobody types an iCalendar rule: the schedule form asks for a first date, a time, a length and
how often, and the rule is built from those parts (``ScheduleForm.recurrence``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.choices import Language
from peerpath.accounts.models import User
from peerpath.core import clock
from peerpath.core.form_fields import NativeDateInput
from peerpath.directory.choices import Family, ForWhom, Kind
from peerpath.directory.geo import looks_like_postcode
from peerpath.directory.models import Location
from peerpath.directory.recurrence import YEARS_AHEAD, Recurrence, Repeats

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LENGTHS = (
    (30, _("30 minutes")),
    (45, _("45 minutes")),
    (60, _("1 hour")),
    (90, _("1 hour 30 minutes")),
    (120, _("2 hours")),
    (150, _("2 hours 30 minutes")),
    (180, _("3 hours")),
)


class TimeInput(forms.TimeInput):
    """The phone's own time picker; the value travels as HH:MM."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_current_timezone())


def _not_in_the_past(day: dt.date | None, message: StrOrPromise) -> dt.date | None:
    if day is not None and day < clock.today():
        raise forms.ValidationError(message)
    return _not_too_far_ahead(day)


def _not_too_far_ahead(day: dt.date | None) -> dt.date | None:
    """Dates more than two years ahead are almost always a typing slip (2062 for 2026)."""
    if day is not None and day > clock.today() + dt.timedelta(days=365 * YEARS_AHEAD):
        raise forms.ValidationError(
            _("Enter a date within the next %(years)s years.") % {"years": YEARS_AHEAD}
        )
    return day


# Listings -------------------------------------------------------------------------------------


class ListingValues(TypedDict):
    """What the listing form sets: keyword arguments of ``service_create``/``service_update``."""

    name: str
    kind: str
    summary: str
    provider_name: str
    for_whom: list[str]
    family: list[str]
    what_you_do: str
    first_visit: str
    languages: list[str]
    is_free: bool
    cost: str
    online: bool
    location: Location | None
    booking_required: bool
    capacity: int | None
    how_to_join: str
    phone: str
    email: str
    website: str
    last_checked_on: dt.date
    facilitators: list[User]


class ListingForm(forms.Form):
    """Everything a woman sees on a listing."""

    WHERE_PLACE = "place"
    WHERE_ONLINE = "online"
    WHERE_NONE = "none"

    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(
        label=_("What kind of support is it?"), choices=[("", _("Choose one")), *Kind.choices]
    )
    summary = forms.CharField(
        label=_("In one sentence"),
        help_text=_("Shown in search results. For example: A friendly group for new mums."),
        max_length=250,
    )
    provider_name = forms.CharField(
        label=_("Run by (optional)"),
        help_text=_("Only if someone other than your charity runs it."),
        max_length=150,
        required=False,
    )
    for_whom = forms.MultipleChoiceField(
        label=_("Who is it for?"),
        help_text=_("Choose all that apply. Searches for a stage only find listings that say it."),
        choices=ForWhom.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    family = forms.MultipleChoiceField(
        label=_("Bringing children"),
        choices=Family.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    what_you_do = forms.CharField(
        label=_("What you do there (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    first_visit = forms.CharField(
        label=_("What happens the first time (optional)"),
        help_text=_("For example: who meets her at the door, and whether she has to talk."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages it is run in"),
        help_text=_("Leave empty if English only."),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost_kind = forms.ChoiceField(
        label=_("Cost"),
        choices=(("free", _("Free")), ("paid", _("There is a cost"))),
        widget=forms.RadioSelect,
    )
    cost = forms.CharField(
        label=_("What it costs (if there is a cost)"),
        help_text=_("For example: £3 a session, or pay what you can."),
        max_length=100,
        required=False,
    )
    where = forms.ChoiceField(
        label=_("Where is it?"),
        choices=(
            (WHERE_PLACE, _("At a place")),
            (WHERE_ONLINE, _("Online")),
            (WHERE_NONE, _("By phone, or at her own local service")),
        ),
        widget=forms.RadioSelect,
    )
    location = forms.ChoiceField(
        label=_("Which place (if at a place)"),
        help_text=_("Not in the list? Add a place first."),
        required=False,
    )
    booking = forms.ChoiceField(
        label=_("Does she need to book?"),
        choices=(
            ("turn_up", _("No, she can just turn up")),
            ("book", _("Yes, she books a place")),
        ),
        widget=forms.RadioSelect,
    )
    capacity = forms.IntegerField(
        label=_("Places at each session (if booking is needed)"),
        help_text=_("Leave empty if there is no limit."),
        min_value=1,
        max_value=500,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    how_to_join = forms.CharField(
        label=_("How to join (optional)"),
        help_text=_(
            "For example: ring the bell at the side door, or ask your midwife to refer you."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        error_messages={"invalid": _("Enter an email address like name@example.org.")},
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        error_messages={"invalid": _("Enter a web address like https://example.org.")},
        required=False,
        assume_scheme="https",
    )
    last_checked_on = forms.DateField(
        label=_("Details last checked"),
        help_text=_("The day someone last confirmed these details are right."),
        error_messages={"invalid": _("Enter a real date, for example 3 March 2026.")},
        widget=NativeDateInput,
    )
    facilitators = forms.MultipleChoiceField(
        label=_("Peer supporters who run it"),
        help_text=_("They can keep the register of its sessions."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        locations: list[Location],
        supporters: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.locations = {str(location.public_id): location for location in locations}
        self.supporters = {str(user.public_id): user for user in supporters}
        self.fields["location"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a place")),
            *[(key, str(location)) for key, location in self.locations.items()],
        ]
        self.fields["facilitators"].choices = [  # type: ignore[attr-defined]
            (key, user.display_name) for key, user in self.supporters.items()
        ]
        if not supporters:
            self.fields["facilitators"].help_text = _(
                "Your charity has no peer supporters yet. Invite them from the staff pages."
            )

    @staticmethod
    def initial_for(service: Any) -> dict[str, Any]:
        where = ListingForm.WHERE_NONE
        if service.online:
            where = ListingForm.WHERE_ONLINE
        elif service.location_id:
            where = ListingForm.WHERE_PLACE
        return {
            "name": service.name,
            "kind": service.kind,
            "summary": service.summary,
            "provider_name": service.provider_name,
            "for_whom": service.for_whom,
            "family": service.family,
            "what_you_do": service.what_you_do,
            "first_visit": service.first_visit,
            "languages": service.languages,
            "cost_kind": "free" if service.is_free else "paid",
            "cost": service.cost,
            "where": where,
            "location": str(service.location.public_id) if service.location else "",
            "booking": "book" if service.booking_required else "turn_up",
            "capacity": service.capacity,
            "how_to_join": service.how_to_join,
            "phone": service.phone,
            "email": service.email,
            "website": service.website,
            "last_checked_on": service.last_checked_on,
            "facilitators": [str(user.public_id) for user in service.facilitators.all()],
        }

    def clean_last_checked_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["last_checked_on"]
        if day > clock.today():
            raise forms.ValidationError(_("The date they were checked cannot be in the future."))
        return day

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"]).strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        if phone and not (3 <= len(digits) <= 13):  # noqa: PLR2004  (111 to +44 numbers)
            raise forms.ValidationError(_("Enter a phone number like 01392 000000."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("where") == self.WHERE_PLACE and not data.get("location"):
            self.add_error("location", _("Choose the place, or add it first."))
        if data.get("cost_kind") == "paid" and not str(data.get("cost") or "").strip():
            self.add_error("cost", _("Say what it costs, for example £3 a session."))
        return data

    def values(self) -> ListingValues:
        """Keyword arguments for ``service_create`` and ``service_update``."""
        data = self.cleaned_data
        booking = data["booking"] == "book"
        where = data["where"]
        return {
            "name": data["name"],
            "kind": data["kind"],
            "summary": data["summary"],
            "provider_name": data["provider_name"],
            "for_whom": data["for_whom"],
            "family": data["family"],
            "what_you_do": data["what_you_do"],
            "first_visit": data["first_visit"],
            "languages": data["languages"],
            "is_free": data["cost_kind"] == "free",
            "cost": "" if data["cost_kind"] == "free" else data["cost"].strip(),
            "online": where == self.WHERE_ONLINE,
            "location": self.locations.get(data["location"]) if where == self.WHERE_PLACE else None,
            "booking_required": booking,
            "capacity": data["capacity"] if booking else None,
            "how_to_join": data["how_to_join"],
            "phone": data["phone"],
            "email": data["email"],
            "website": data["website"],
            "last_checked_on": data["last_checked_on"],
            "facilitators": [self.supporters[key] for key in data["facilitators"]],
        }


class LocationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the place"),
        help_text=_("For example: St Thomas Community Centre."),
        max_length=150,
    )
    address = forms.CharField(label=_("Address"), max_length=250)
    area = forms.CharField(
        label=_("Town or area"),
        help_text=_(
            "As people search for it, for example Exeter. Use the same spelling each time."
        ),
        max_length=80,
    )
    postcode = forms.CharField(
        label=_("Postcode (optional)"),
        help_text=_("So people can find it near their own postcode."),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    directions = forms.CharField(
        label=_("How to get there (optional)"),
        help_text=_("For example: which door, parking, buses, step-free access."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_area(self) -> str:
        return " ".join(str(self.cleaned_data["area"]).split())

    def clean_postcode(self) -> str:
        postcode = " ".join(str(self.cleaned_data["postcode"]).upper().split())
        if postcode and not looks_like_postcode(postcode):
            raise forms.ValidationError(_("Enter a postcode like EX4 3SR, or leave it empty."))
        return postcode


# Repeating times and sessions -----------------------------------------------------------------


def _date_field(label: StrOrPromise, required: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        error_messages={
            "required": required,
            "invalid": _("Enter a real date, for example 3 March 2026."),
        },
        widget=NativeDateInput,
    )


def _time_field(label: StrOrPromise, required: StrOrPromise) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=_("For example, 10:00 or 18:30."),
        error_messages={
            "required": required,
            "invalid": _("Enter a start time like 10:00 or 18:30."),
        },
        widget=TimeInput,
    )


class ScheduleForm(forms.Form):
    first_date = _date_field(
        _("Date of the first session"), _("Enter the date of the first session.")
    )
    start_time = _time_field(_("Start time"), _("Enter a start time, for example 10:00."))
    duration_minutes = forms.TypedChoiceField(
        label=_("How long each session lasts"),
        choices=LENGTHS,
        coerce=int,
        initial=90,
    )
    repeats = forms.ChoiceField(
        label=_("How often"),
        choices=Repeats.choices,
        error_messages={"required": _("Choose how often it happens.")},
        widget=forms.RadioSelect,
    )
    last_date = forms.DateField(
        label=_("Last date (optional)"),
        help_text=_("Leave empty if it carries on."),
        error_messages={"invalid": _("Enter a real date, for example 3 March 2026.")},
        required=False,
        widget=NativeDateInput,
    )

    def clean_first_date(self) -> dt.date | None:
        return _not_in_the_past(
            self.cleaned_data["first_date"], _("The first session must be today or later.")
        )

    def clean_last_date(self) -> dt.date | None:
        return _not_too_far_ahead(self.cleaned_data.get("last_date"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_date"), data.get("last_date")
        if first and last and last < first:
            self.add_error("last_date", _("The last date must be on or after the first date."))
        return data

    def first_starts_at(self) -> dt.datetime:
        return local_datetime(self.cleaned_data["first_date"], self.cleaned_data["start_time"])

    def recurrence(self) -> Recurrence:
        """How often, built from the choice and the first date (``recurrence.Recurrence``)."""
        return Recurrence.from_first_date(
            self.cleaned_data["repeats"], self.cleaned_data["first_date"]
        )


class ScheduleEndForm(forms.Form):
    from_date = forms.DateField(
        label=_("No more sessions from"),
        help_text=_(
            "Sessions on or after this date are removed. If anyone has booked one, it is "
            "cancelled instead and they are told."
        ),
        error_messages={
            "required": _("Enter the first date with no session."),
            "invalid": _("Enter a real date, for example 3 March 2026."),
        },
        widget=NativeDateInput,
    )

    def clean_from_date(self) -> dt.date | None:
        return _not_in_the_past(
            self.cleaned_data["from_date"], _("The date must be today or later.")
        )


class SessionCancelForm(forms.Form):
    note = forms.CharField(
        label=_("A short note for people looking at the listing (optional)"),
        help_text=_("For example: The hall is closed. We are back next week."),
        max_length=200,
        required=False,
    )


class SessionMoveForm(forms.Form):
    new_date = _date_field(_("New date"), _("Enter the new date."))
    new_time = _time_field(_("New start time"), _("Enter the new start time, for example 10:00."))
    note = forms.CharField(
        label=_("A short note for people looking at the listing (optional)"),
        help_text=_("For example: Moved to Thursday this week only."),
        max_length=200,
        required=False,
    )

    def clean_new_date(self) -> dt.date | None:
        return _not_too_far_ahead(self.cleaned_data.get("new_date"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_date") and data.get("new_time") and self.starts_at() <= clock.now():
            self.add_error("new_date", _("The new date and time must be in the future."))
        return data

    def starts_at(self) -> dt.datetime:
        return local_datetime(self.cleaned_data["new_date"], self.cleaned_data["new_time"])


# The gaps view --------------------------------------------------------------------------------


class GapsForm(forms.Form):
    stage = forms.ChoiceField(label=_("Who for"), choices=ForWhom.choices, required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas")), *areas]  # type: ignore[attr-defined]


_ORDINALS = {
    1: _("first"),
    2: _("second"),
    3: _("third"),
    4: _("fourth"),
    -1: _("last"),
}


def describe_schedule(schedule: Any) -> str:
    """A repeating time in plain words: "Every Tuesday, 10:00 to 11:30"."""
    from django.utils.dates import WEEKDAYS
    from django.utils.formats import date_format

    first = timezone.localtime(schedule.first_starts_at)
    ends = first + schedule.duration
    hours = _("%(start)s to %(end)s") % {
        "start": first.strftime("%H:%M"),
        "end": ends.strftime("%H:%M"),
    }
    shape = Recurrence.from_rule(schedule.rrule, first.replace(tzinfo=None))
    weekday = WEEKDAYS[shape.weekday] if shape is not None else ""
    if shape is None:
        text = _("Repeats (%(rule)s), %(hours)s") % {"rule": schedule.rrule, "hours": hours}
    elif shape.repeats == Repeats.ONCE:
        text = _("Once, on %(date)s, %(hours)s") % {
            "date": date_format(first, "l j F Y"),
            "hours": hours,
        }
    elif shape.repeats == Repeats.WEEKLY:
        text = _("Every %(day)s, %(hours)s") % {"day": weekday, "hours": hours}
    elif shape.repeats == Repeats.FORTNIGHTLY:
        text = _("Every other %(day)s, %(hours)s") % {"day": weekday, "hours": hours}
    else:
        ordinal = _ORDINALS[shape.week_of_month or -1]
        text = _("The %(ordinal)s %(day)s of each month, %(hours)s") % {
            "ordinal": ordinal,
            "day": weekday,
            "hours": hours,
        }
    if schedule.until and (shape is None or shape.repeats != Repeats.ONCE):
        text = _("%(text)s, until %(date)s") % {
            "text": text,
            "date": date_format(schedule.until, "j F Y"),
        }
    return str(text)
