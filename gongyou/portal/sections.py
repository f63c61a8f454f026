"""The portal's home-page sections. Each is one entry: a later module (training, settlement,
jobs) adds its page to the portal by adding a view and one entry here, guarded by whether that
app exposes what the page needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: Any
    url_name: str
    hint: Any


SECTIONS: list[Section] = [
    Section(
        "profile",
        _("My profile and certificates"),
        "portal:profile",
        _("What the union holds about you"),
    ),
    Section("cases", _("My cases"), "portal:cases", _("Status, next step and deadline")),
    Section(
        "complaint",
        _("New complaint"),
        "portal:complaint_new",
        _("Unpaid wages, injury, contract…"),
    ),
    Section(
        "training",
        _("My trainings and open courses"),
        "portal:training",
        _("Courses near you — apply"),
    ),
    Section(
        "settlement",
        _("Where can I settle"),
        "portal:settlement",
        _("Hukou: what you meet and what is missing"),
    ),
    Section("jobs", _("Jobs for me"), "portal:jobs", _("Open jobs that fit you — apply")),
    Section("stations", _("Stations near me"), "portal:stations", _("Opening hours and services")),
    Section("my_data", _("My data"), "portal:my_data", _("Download, consent, corrections")),
]


def available_sections() -> list[Section]:
    return list(SECTIONS)
