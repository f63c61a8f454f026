"""Forms of the station pages: parse and render only; stations.services validates and writes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ANY, LookupLabelsMixin, ServiceErrorsMixin, region_input
from gongyou.regions.selectors import region_is_known, region_label
from gongyou.workers.selectors import WorkerFilter

from .enums import ServiceType, StationType

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
}


class StationFilterForm(LookupLabelsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

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


class StationForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
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
