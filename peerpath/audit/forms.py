"""The audit search form: every filter optional, every mistake explained beside its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.audit.models import Action, AuditEvent

DATE_INPUT_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d")


def object_type_labels() -> dict[str, str]:
    """{"accounts.Membership": "Membership", ...} for every PeerPath model the log can name."""
    return {
        model._meta.label: str(model._meta.verbose_name).capitalize()
        for model in apps.get_models()
        if model.__module__.startswith("peerpath.") and model is not AuditEvent
    }


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class AuditSearchForm(forms.Form):
    action = forms.ChoiceField(label=_("What happened"), required=False)
    object_type = forms.ChoiceField(label=_("Type of record"), required=False)
    date_from = forms.DateField(
        label=_("Earliest date"),
        help_text=_("For example, 31/3/2025"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": _("Enter a real date, like 31/3/2025")},
    )
    date_to = forms.DateField(
        label=_("Latest date"),
        help_text=_("For example, 30/4/2025"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": _("Enter a real date, like 30/4/2025")},
    )
    actor = forms.UUIDField(
        label=_("ID of the person who did it"),
        help_text=_("As shown after “user” in the results, for example 0f8fad5b-d9cb-469f-…"),
        required=False,
        error_messages={
            "invalid": _("Enter the whole ID as shown in the results, with its dashes"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = ("", _("Any"))
        self.fields["action"].choices = [any_choice, *Action.choices]  # type: ignore[attr-defined]
        labels = sorted(object_type_labels().items(), key=lambda item: item[1])
        self.fields["object_type"].choices = [any_choice, *labels]  # type: ignore[attr-defined]
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["actor"].widget.attrs.update(spellcheck=False, autocapitalize="none")

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            value = self.cleaned_data.get(name)
            if value and not (EARLIEST_YEAR <= value.year <= LATEST_YEAR):
                self.add_error(name, _("Enter a date between 2000 and 2100"))
                self.cleaned_data.pop(name, None)
        date_from = self.cleaned_data.get("date_from")
        date_to = self.cleaned_data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error(
                "date_to", _("The latest date must be the same as or after the earliest date")
            )
        return cleaned

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The events matching the filters given. Call only once the form is valid."""
        data = self.cleaned_data
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("object_type"):
            events = events.filter(object_type=data["object_type"])
        if data.get("date_from"):
            events = events.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(at__lt=_start_of(data["date_to"] + dt.timedelta(days=1)))
        if data.get("actor"):
            events = events.filter(actor__public_id=data["actor"])
        return events
