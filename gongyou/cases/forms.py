"""Forms of the case pages: they parse and render; every rule lives in cases.services.

Fields are optional here on purpose: the services validate all fields at once and their
messages (ApplicationError.fields) are attached to the inputs they concern. Every form that
changes a case carries the `version` it was read at (optimistic concurrency).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ANY, LookupLabelsMixin, ServiceErrorsMixin, region_input
from gongyou.regions.selectors import region_is_known, region_label
from gongyou.workers.selectors import WorkerFilter

from .enums import (
    AttachmentKind,
    CaseStatus,
    CaseType,
    Channel,
    ClaimantOutcome,
    PlatformIssue,
    Resolution,
    RespondentRole,
)

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
}
CHOOSE = [("", _("Choose…"))]
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
DATE = forms.DateInput(attrs={"type": "date"})


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- queue ----------------------------------------------------------------------------------


class CaseQueueForm(LookupLabelsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    q = forms.CharField(label=_("Reference or claimant name"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + CaseStatus.choices)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=ANY + CaseType.choices)
    region = forms.CharField(
        label=_("Region code"), required=False, max_length=6, widget=region_input("region")
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    referred = forms.BooleanField(label=_("Referred to my organisation"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    near = forms.BooleanField(label=_("Deadline near"), required=False)


# --- intake ---------------------------------------------------------------------------------

_ID_NUMBER = re.compile(r"\d{17}[\dX]|\d{15}")
_MOBILE = re.compile(r"(?:\+?86)?1\d{10}")
_SPLIT = re.compile(r"[,，;；\t]+|\s{2,}|\s+(?=[\d.,，]+$)")


def worker_search_filter(q: str) -> WorkerFilter | None:
    """What a worker search box means: a full ID number, a full mobile number, or a name."""
    text = q.strip()
    compact = re.sub(r"[\s\-]", "", text).upper()
    if _ID_NUMBER.fullmatch(compact):
        return WorkerFilter(national_id=compact)
    if _MOBILE.fullmatch(compact):
        return WorkerFilter(phone=compact)
    if text and not any(c.isdigit() for c in text):
        return WorkerFilter(name=text)
    return None


@dataclass
class ClaimantLine:
    """One line of a pasted claimant list: `ID number or mobile, amount`."""

    number: int
    text: str
    key: str
    amount: str
    filter: WorkerFilter | None


def parse_claimant_lines(text: str) -> list[ClaimantLine]:
    """Lines of `ID number or mobile[, amount]` (a column pasted from a spreadsheet works).
    A line that names neither has `filter=None`; the view reports it."""
    out = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in _SPLIT.split(line, maxsplit=1)]
        key, amount = parts[0], (parts[1] if len(parts) > 1 else "")
        found = worker_search_filter(key)
        usable = found if found is not None and found.name is None else None
        out.append(ClaimantLine(number, line, key, amount, usable))
    return out


class CaseIntakeForm(ServiceErrorsMixin, forms.Form):
    """The case's own fields; claimant and respondent rows are posted as parallel lists."""

    lookup_labels = LOOKUP_LABELS
    required_fields = ("type", "summary", "region")

    type = forms.ChoiceField(label=_("Type"), required=False, choices=CHOOSE + CaseType.choices)
    platform_issue = forms.ChoiceField(
        label=_("Platform issue"),
        required=False,
        choices=[("", _("Not applicable")), *PlatformIssue.choices],
        help_text=_("Platform-work cases only."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[(v, label) for v, label in Channel.choices if v != Channel.SELF_SERVICE],
        initial=Channel.FRONT_DESK,
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": "300"}),
        help_text=_("One line, e.g. “Site owes three months' wages”."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=_textarea(4))
    region = forms.CharField(
        label=_("Region code"),
        required=False,
        widget=region_input("region"),
        help_text=_("Where the dispute arose."),
    )
    intake_station_id = forms.ChoiceField(label=_("Intake station"), required=False)
    incident_on = forms.CharField(
        label=_("Accident or diagnosis date"),
        required=False,
        widget=DATE,
        help_text=_("Work injury only: starts the application deadlines."),
    )
    infringement_known_on = forms.CharField(
        label=_("Infringement known on"),
        required=False,
        widget=DATE,
        help_text=_("Starts the one-year arbitration limitation."),
    )
    claimants_bulk = forms.CharField(
        label=_("More claimants, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "code", "spellcheck": "false"}),
        help_text=_("ID number or mobile, then the amount claimed: “440305199001011234, 12000”."),
    )
    project_name = forms.CharField(label=_("Project name"), required=False)
    project_address = forms.CharField(label=_("Project address"), required=False)
    project_region = forms.CharField(
        label=_("Project region code"), required=False, widget=region_input("project_region")
    )
    # An existing project picked with the project search (rendered by the picker, not here).
    project_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        stations: list[tuple[Any, str]] | None = None,
        station_fixed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if station_fixed:
            del self.fields["intake_station_id"]
        else:
            self.fields["intake_station_id"].choices = [("", _("None")), *(stations or [])]  # type: ignore[attr-defined]

    def service_data(
        self, *, claimants: list[dict[str, Any]], respondents: list[dict[str, Any]]
    ) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {
            name: data.get(name) or None
            for name in (
                "type",
                "platform_issue",
                "channel",
                "summary",
                "description",
                "region",
                "intake_station_id",
                "incident_on",
                "infringement_known_on",
            )
        }
        out["claimants"] = claimants
        out["respondents"] = respondents
        if data.get("project_id"):
            out["project_id"] = data["project_id"]
        if any(data.get(f"project_{k}") for k in ("name", "address", "region")):
            out["project"] = {
                "name": data.get("project_name"),
                "address": data.get("project_address"),
                "region": data.get("project_region"),
            }
        return out

    def add_service_error(self, exc: Any) -> None:
        """Field names of the service (`project.name`) map to the inputs (`project_name`);
        claimant and respondent rows are shown by the view."""
        renamed = {k.replace("project.", "project_"): v for k, v in exc.fields.items()}
        rows = {k: v for k, v in renamed.items() if k.startswith(("claimants", "respondents"))}
        exc.fields = {k: v for k, v in renamed.items() if k not in rows}
        super().add_service_error(exc)
        exc.fields = renamed


# --- case page ------------------------------------------------------------------------------


class VersionForm(ServiceErrorsMixin, forms.Form):
    """Every change sends the version it read; a stale one is the service's `case_changed`."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    form_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.form_name or None)
        super().__init__(*args, **kwargs)


class TransitionForm(VersionForm):
    form_name = "tr"
    required_fields = ("reason",)

    to_status = forms.ChoiceField(
        required=False, choices=CaseStatus.choices, widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=_textarea(2))
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        required=False,
        choices=[("", _("Only when resolving")), *Resolution.choices],
    )


class AssignForm(VersionForm):
    form_name = "as"
    required_fields = ("user_id",)

    user_id = forms.ChoiceField(label=_("Handler"), required=False)
    reason = forms.CharField(label=_("Note (optional)"), required=False)

    def __init__(self, *args: Any, users: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = CHOOSE + users  # type: ignore[attr-defined]


class OrganisationForm(VersionForm):
    """Transfer (a union organisation) or refer (a partner department)."""

    required_fields = ("organisation_id", "reason")

    organisation_id = forms.ChoiceField(label=_("Organisation"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=_textarea(2))

    def __init__(
        self, *args: Any, organisations: list[tuple[Any, str]], name: str, **kwargs: Any
    ) -> None:
        self.form_name = name
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].choices = CHOOSE + organisations  # type: ignore[attr-defined]


class ClaimantAddForm(VersionForm):
    form_name = "cl"
    required_fields = ("lines",)

    lines = forms.CharField(
        label=_("Claimants, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "code", "spellcheck": "false"}),
        help_text=_("ID number or mobile, then the amount claimed: “440305199001011234, 12000”."),
    )


class OutcomeForm(VersionForm):
    form_name = "oc"

    claimant_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=ClaimantOutcome.choices)
    amount_recovered = forms.CharField(
        label=_("Amount recovered (yuan)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not asked")), *[(n, str(n)) for n in range(1, 6)]],
    )

    @staticmethod
    def service_data_of(data: dict[str, Any]) -> dict[str, Any]:
        """Only what was given: an empty amount or score leaves the recorded one alone."""
        out: dict[str, Any] = {"outcome": data.get("outcome")}
        if data.get("amount_recovered") not in (None, ""):
            out["amount_recovered"] = data["amount_recovered"]
        if data.get("satisfaction") is not None:
            out["satisfaction"] = data["satisfaction"]
        return out


class DeadlineExtendForm(VersionForm):
    form_name = "ex"
    required_fields = ("days", "reason")

    days = forms.CharField(
        label=_("Extend by"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    reason = forms.CharField(label=_("Reason"), required=False)


class DeadlineMetForm(VersionForm):
    form_name = "mt"

    met_on = forms.CharField(label=_("Met on"), required=False, widget=DATE)


class NoteForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("text",)

    text = forms.CharField(label=_("Note"), required=False, widget=_textarea(3))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "nt")
        super().__init__(*args, **kwargs)


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("file", "kind")

    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, JPG, PNG, Word, Excel, MP3 or M4A.")
    )
    kind = forms.ChoiceField(
        label=_("Kind of evidence"), required=False, choices=[("", "—"), *AttachmentKind.choices]
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "ev")
        super().__init__(*args, **kwargs)


class NotificationFilterForm(forms.Form):
    unread = forms.BooleanField(label=_("Unread only"), required=False)


# Roles offered on each respondent row of the intake form.
RESPONDENT_ROLES = RespondentRole.choices


# --- construction projects ------------------------------------------------------------------


class ProjectFilterForm(LookupLabelsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    name = forms.CharField(label=_("Project name"), required=False, max_length=100)
    region = forms.CharField(
        label=_("Region code"), required=False, max_length=6, widget=region_input("region")
    )
    flagged = forms.BooleanField(label=_("Flagged for wage arrears only"), required=False)


class ProjectFlagForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("reason",)

    reason = forms.CharField(label=_("Reason"), required=False, widget=_textarea(2))


class CalendarDayForm(ServiceErrorsMixin, forms.Form):
    """One day of the State Council's holiday notice (system admins)."""

    required_fields = ("date", "kind")

    date = forms.CharField(label=_("Date"), required=False, widget=DATE)
    kind = forms.ChoiceField(
        label=_("Kind of day"),
        required=False,
        choices=[
            ("", _("Choose…")),
            ("holiday", _("Holiday (not a working day)")),
            ("working", _("Adjusted working day (weekend day worked)")),
        ],
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=50,
        help_text=_("e.g. Spring Festival"),
    )

    def service_data(self) -> dict[str, Any]:
        kind = self.cleaned_data.get("kind")
        return {
            "date": self.cleaned_data.get("date") or "",
            "is_working_day": {"holiday": False, "working": True}.get(kind or ""),
            "name": self.cleaned_data.get("name") or "",
        }

    def add_service_error(self, exc: Any) -> None:
        if "is_working_day" in exc.fields:
            exc.fields = {
                ("kind" if k == "is_working_day" else k): v for k, v in exc.fields.items()
            }
        super().add_service_error(exc)
