"""Turn Django bound fields into parameters for the NHS.UK form macros.

Templates call ``{{ field(form.email) }}`` (``templates/includes/forms.jinja``): the label, hint,
error message beside the field and the value already typed all come from the form, so bad
input is explained where it happened and nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField

_PASSED_ATTRIBUTES = ("autocomplete", "inputmode", "spellcheck", "autocapitalize", "pattern")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _common(bound: BoundField, overrides: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {
        "id": bound.auto_id or bound.html_name,
        "name": bound.html_name,
    }
    if bound.help_text:
        params["hint"] = {"text": _text(bound.help_text)}
    if bound.errors:
        params["errorMessage"] = {"text": " ".join(_text(e) for e in bound.errors)}
    params.update(overrides)
    return params


def _choices(bound: BoundField) -> tuple[list[tuple[str, str]], set[str]]:
    value = bound.value()
    values = value if isinstance(value, (list, tuple)) else [value]
    chosen = {_text(v) for v in values if v not in (None, "")}
    choices = [(_text(key), _text(label)) for key, label in bound.field.choices]  # type: ignore[attr-defined]
    return choices, chosen


def field_params(bound: BoundField, **overrides: Any) -> tuple[str, dict[str, Any]]:
    """(which NHS.UK macro to use, its parameters) for one bound field."""
    widget = bound.field.widget
    label = {"text": _text(bound.label)}
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        choices, chosen = _choices(bound)
        params = _common(bound, {})
        params["idPrefix"] = params.pop("id")
        params["fieldset"] = {"legend": {"text": _text(bound.label), "size": "s"}}
        params["items"] = [
            {"value": key, "text": text, "checked": key in chosen}
            for key, text in choices
            if key != ""
        ]
        params.update(overrides)
        kind = "checkboxes" if isinstance(widget, forms.CheckboxSelectMultiple) else "radios"
        return kind, params
    if isinstance(widget, forms.CheckboxInput):
        params = _common(bound, {})
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {"value": "on", "text": _text(bound.label), "checked": bool(bound.value())}
        ]
        params.update(overrides)
        return "checkboxes", params
    if isinstance(widget, forms.Select):
        choices, chosen = _choices(bound)
        params = _common(bound, {"label": label})
        params["items"] = [
            {"value": key, "text": text, "selected": key in chosen} for key, text in choices
        ]
        params.update(overrides)
        return "select", params
    value = widget.format_value(bound.value())
    if isinstance(widget, forms.Textarea):
        params = _common(bound, {"label": label, "value": _text(value)})
        params.update(overrides)
        return "textarea", params
    params = _common(bound, {"label": label})
    params["type"] = getattr(widget, "input_type", "text")
    if params["type"] != "password":
        params["value"] = _text(value)
    for name in _PASSED_ATTRIBUTES:
        if name in widget.attrs:
            params[name] = widget.attrs[name]
    params.update(overrides)
    return "input", params


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """Every error with a link to its field, for the error summary at the top of the page."""
    visible = form.visible_fields()
    first = f"#{visible[0].auto_id}" if visible else "#maincontent"
    items = [{"text": _text(error), "href": first} for error in form.non_field_errors()]
    for bound in form:
        for error in bound.errors:
            # For checkboxes and radios the first option carries the id.
            anchor = bound.auto_id or bound.html_name
            items.append({"text": _text(error), "href": f"#{anchor}"})
    return items


class NativeDateInput(forms.DateInput):
    """The phone's own date picker; the value travels as YYYY-MM-DD whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
