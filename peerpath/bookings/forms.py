"""The facilitator's register: who came, who came for the first time, and walk-ins."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.bookings.models import Booking
from peerpath.bookings.services import Mark

CAME = "yes"
DID_NOT_COME = "no"
NOT_MARKED = ""
ATTENDANCE = ((CAME, _("Came")), (DID_NOT_COME, _("Did not come")))


class RegisterForm(forms.Form):
    walk_ins = forms.IntegerField(
        label=_("People who came without booking"),
        min_value=0,
        max_value=500,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter a number, or 0 if nobody came without booking."),
            "invalid": _("Enter a whole number, like 3."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter a number of 500 or fewer."),
        },
    )
    walk_in_first_visits = forms.IntegerField(
        label=_("Of them, how many came for the first time"),
        min_value=0,
        max_value=500,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter a number, or 0."),
            "invalid": _("Enter a whole number, like 1."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter a number of 500 or fewer."),
        },
    )

    def __init__(
        self,
        *args: Any,
        bookings: list[Booking],
        returning: set[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        for booking in bookings:
            key = booking.public_id.hex
            self.fields[f"came_{key}"] = forms.ChoiceField(
                label=str(booking.member.display_name or _("Someone who booked")),
                choices=ATTENDANCE,
                required=False,
                widget=forms.RadioSelect,
                initial={True: CAME, False: DID_NOT_COME, None: NOT_MARKED}[booking.attended],
            )
            # Ticked already when she has not come to this group before.
            first_time = (
                booking.first_visit if booking.attended else booking.member_id not in returning
            )
            self.fields[f"first_{key}"] = forms.BooleanField(
                label=_("%(name)s came for the first time")
                % {"name": booking.member.display_name or _("She")},
                required=False,
                initial=first_time,
            )

    def rows(self) -> list[tuple[Booking, forms.BoundField, forms.BoundField]]:
        return [
            (booking, self[f"came_{booking.public_id.hex}"], self[f"first_{booking.public_id.hex}"])
            for booking in self.bookings
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        walk_ins = data.get("walk_ins")
        first = data.get("walk_in_first_visits")
        if walk_ins is not None and first is not None and first > walk_ins:
            self.add_error(
                "walk_in_first_visits",
                _("This cannot be more than the number of people who came without booking."),
            )
        return data

    def marks(self) -> dict[int, Mark]:
        marks = {}
        for booking in self.bookings:
            came = self.cleaned_data.get(f"came_{booking.public_id.hex}") or NOT_MARKED
            marks[booking.pk] = Mark(
                attended=None if came == NOT_MARKED else came == CAME,
                first_visit=bool(self.cleaned_data.get(f"first_{booking.public_id.hex}")),
            )
        return marks
