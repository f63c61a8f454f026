"""Forms of the station pages: parse and render only; stations.services validates and writes."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from gongyou.core.errors import ApplicationError
from gongyou.regions.selectors import region_is_known, region_label
from gongyou.workers.selectors import WorkerFilter

from .enums import ServiceType, StationType

ANY = [("", _("Any"))]


def region_input(field: str) -> forms.TextInput:
    """A 6-digit code input with suggestions from the registry's region lookup."""
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "maxlength": "6",
            "autocomplete": "off",
            "list": f"{field}-options",
            "class": "code",
            "hx-get": reverse_lazy("workers:region_options"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{field}-options",
            "hx-vals": json.dumps({"field": field}),
            "hx-sync": "this:replace",
        }
    )


class ServiceErrorsMixin:
    """Show an ApplicationError: its message on top, each field message beside its input."""

    service_error: ApplicationError | None = None
    required_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            if name in self.fields:  # type: ignore[attr-defined]
                self.fields[name].show_required = True  # type: ignore[attr-defined]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            value = str(self[name].value() or "").strip()  # type: ignore[index]
            if field.widget.attrs.get("list") and region_is_known(value):
                field.current_label = region_label(value)

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


class StationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, code or address"), required=False, max_length=50)
    region = forms.CharField(
        label=_("Region code"), required=False, max_length=6, widget=region_input("region")
    )
    type = forms.ChoiceField(label=_("Type"), required=False, choices=ANY + StationType.choices)
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=ANY + ServiceType.choices
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lng = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        value = str(self["region"].value() or "").strip()
        if region_is_known(value):
            self.fields["region"].current_label = region_label(value)  # type: ignore[attr-defined]


class StationForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("name", "type", "organisation", "region", "address")

    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=32,
        help_text=_("Leave empty to number the station automatically."),
    )
    name = forms.CharField(label=_("Name"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Choose…")), *StationType.choices]
    )
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    region = forms.CharField(label=_("Region code"), required=False, widget=region_input("region"))
    address = forms.CharField(label=_("Address"), required=False)
    latitude = forms.CharField(
        label=_("Latitude"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = forms.CharField(
        label=_("Longitude"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"), required=False, help_text=_("For example: Mon–Sat 8:00–20:00")
    )
    open_24h = forms.BooleanField(label=_("Open 24 hours"), required=False)
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        required=False,
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to use the usual services of this type of station."),
    )
    phone = forms.CharField(label=_("Station telephone"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, organisations: list[tuple[Any, str]], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Choose…")), *organisations]  # type: ignore[attr-defined]
        self.editing = editing
        if editing:
            del self.fields["code"]
        else:
            del self.fields["is_active"]

    def service_data(self) -> dict[str, Any]:
        if not self.editing:
            return dict(self.cleaned_data)
        return {name: self.cleaned_data[name] for name in self.changed_data}


def station_initial(station: Any) -> dict[str, Any]:
    return {
        "name": station.name,
        "type": station.type,
        "organisation": station.organisation_id,
        "region": station.region_id,
        "address": station.address,
        "latitude": "" if station.latitude is None else station.latitude,
        "longitude": "" if station.longitude is None else station.longitude,
        "opening_hours": station.opening_hours,
        "open_24h": station.open_24h,
        "services": list(station.services or []),
        "phone": station.phone,
        "is_active": station.is_active,
    }


_ID_NUMBER = re.compile(r"\d{17}[\dX]|\d{15}")
_MOBILE = re.compile(r"(?:\+?86)?1\d{10}")


def front_desk_filter(q: str) -> WorkerFilter | None:
    """What the one search box means: a full ID number, a full mobile number, or a name."""
    text = q.strip()
    compact = re.sub(r"[\s\-]", "", text).upper()
    if _ID_NUMBER.fullmatch(compact):
        return WorkerFilter(national_id=compact)
    if _MOBILE.fullmatch(compact):
        return WorkerFilter(phone=compact)
    if text and not any(c.isdigit() for c in text):
        return WorkerFilter(name=text)
    return None
