"""Form pieces every page layer shares: reference-data lookup inputs, the lookup request's
parameters, and showing an ApplicationError beside the inputs it names.

Core sits below the reference apps, so it names their lookup endpoints by URL name only and
takes the code -> name functions from the forms that use it (`lookup_labels`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError

ANY = [("", _("Any"))]

LOOKUP_SIZE = 20
"""Suggestions in one lookup answer."""


def lookup_input(
    field: str, *, kind: str, url_name: str, attrs: Mapping[str, str] | None = None
) -> forms.TextInput:
    """A code input that asks `url_name` for suggestions (a datalist) and the current name."""
    return forms.TextInput(
        attrs={
            **(attrs or {}),
            "autocomplete": "off",
            "list": f"{field}-options",
            "class": "code",
            "data-lookup": kind,
            "hx-get": reverse_lazy(url_name),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{field}-options",
            "hx-vals": json.dumps({"field": field}),
            "hx-sync": "this:replace",
        }
    )


def region_input(field: str) -> forms.TextInput:
    """A 6-digit region code input; suggestions and place name come from regions:options."""
    return lookup_input(
        field,
        kind="region",
        url_name="regions:options",
        attrs={"inputmode": "numeric", "maxlength": "6"},
    )


def occupation_input() -> forms.TextInput:
    """An occupation code input; suggestions come from classifications:occupation_options."""
    return lookup_input(
        "occupation", kind="occupation", url_name="classifications:occupation_options"
    )


def lookup_query(params: Mapping[str, str], *, max_length: int) -> str:
    """The typed text: the value of whichever input sent the lookup (its name varies)."""
    values = (params.get(key, "").strip() for key in params if key != "field")
    return next((v for v in values if v), "")[:max_length]


def lookup_field(params: Mapping[str, str]) -> str:
    """The name of the input that asked, if it is safe to put into an element id."""
    field = params.get("field", "")
    return field if field.replace("_", "").isalnum() else ""


class LookupLabelsMixin:
    """Put the name of the current value beside lookup inputs (`field.current_label`).

    `lookup_labels` maps a lookup kind ("region", "occupation") to a function that returns
    the name of a code, or "" for an unknown code.
    """

    lookup_labels: ClassVar[Mapping[str, Callable[[str], str]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fill_lookup_labels()

    def fill_lookup_labels(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            label_for = self.lookup_labels.get(field.widget.attrs.get("data-lookup", ""))
            value = str(self[name].value() or "").strip()  # type: ignore[index]
            if label_for and value:
                field.current_label = label_for(value)


class ServiceErrorsMixin(LookupLabelsMixin):
    """Show an ApplicationError: its message on top, each field message beside its input."""

    service_error: ApplicationError | None = None
    required_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            if name in self.fields:  # type: ignore[attr-defined]
                self.fields[name].show_required = True  # type: ignore[attr-defined]

    def add_service_error(self, exc: ApplicationError) -> None:
        self.service_error = exc
        for field, error in exc.fields.items():
            name = field if field in self.fields else None  # type: ignore[attr-defined]
            if name:
                bound = self[name]  # type: ignore[index]
                ids = [f"{bound.auto_id}_error"] + (
                    [f"{bound.auto_id}_helptext"] if bound.help_text else []
                )
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)  # type: ignore[attr-defined]
            self.add_error(name, error["message"])  # type: ignore[attr-defined]
