"""Forms of the public-service pages: parse and render only; services validate and write."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ANY, ServiceErrorsMixin, region_input
from gongyou.regions.selectors import region_is_known, region_label

from .enums import (
    ActivityKind,
    ActivityStatus,
    Audience,
    Beneficiary,
    ReferralStatus,
    Relation,
    SchoolStage,
    ServiceKind,
    Trust,
)

LOOKUP_LABELS = {"region": lambda code: region_label(code) if region_is_known(code) else ""}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CatalogueFilterForm(forms.Form):
    city = forms.CharField(label=_("City (code or name)"), required=False, max_length=20)
    kind = forms.ChoiceField(label=_("Service"), required=False, choices=ANY + ServiceKind.choices)
    q = forms.CharField(label=_("Name contains"), required=False, max_length=50)


class ServiceForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("city", "kind", "name")

    city = forms.CharField(
        label=_("City"),
        required=False,
        widget=region_input("city"),
        help_text=_("The prefecture-level city code, e.g. 440300 for 深圳市."),
    )
    kind = forms.ChoiceField(label=_("Service"), required=False, choices=ServiceKind.choices)
    name = forms.CharField(
        label=_("Name"), required=False, max_length=160, help_text=_("As the city calls it.")
    )


class _JSONList(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 10, "class": "json", "spellcheck": "false"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value) or ""
        if not text.strip():
            return []
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)s, column %(col)s): %(msg)s"),
                params={"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
            ) from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False, indent=1)
        return value


class _Lines(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value


class VersionForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("effective_from", "source", "trust")

    beneficiary = forms.ChoiceField(label=_("For"), required=False, choices=Beneficiary.choices)
    department = forms.ChoiceField(
        label=_("Responsible department (in the system)"), required=False
    )
    department_name = forms.CharField(
        label=_("Responsible department (name, if not in the system)"),
        required=False,
        max_length=200,
    )
    effective_from = forms.CharField(label=_("In force from"), required=False, widget=DATE)
    effective_to = forms.CharField(
        label=_("In force until"),
        required=False,
        widget=DATE,
        help_text=_("Empty = until replaced."),
    )
    open_to_all = forms.BooleanField(
        label=_("Open to every resident (no conditions)"), required=False
    )
    needs_points = forms.BooleanField(
        label=_("Needs the city's residence-permit points standard score"),
        required=False,
        help_text=_("Answered from the city's settlement policy for public services."),
    )
    conditions = _JSONList(
        label=_("Conditions (JSON)"),
        required=False,
        help_text=_(
            "The settlement engine's conditions, e.g. "
            '[{"type": "residence_permit"}, {"type": "social_insurance", "min_months": 12}]. '
            "Empty and not open to all = conditions not recorded."
        ),
    )
    documents = _Lines(label=_("Documents to bring (one per line)"), required=False)
    how_to_apply = forms.CharField(
        label=_("How to apply"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(
        label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trust = forms.ChoiceField(label=_("Trust"), required=False, choices=[("", "—"), *Trust.choices])
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, departments: list[tuple[str, str]] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        field: Any = self.fields["department"]
        field.choices = [("", "—"), *(departments or [])]


class TransitionForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class FamilyMemberForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("relation", "name")

    relation = forms.ChoiceField(
        label=_("Relation"), required=False, choices=[("", "—"), *Relation.choices]
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        widget=DATE,
        help_text=_("Required for a child: school and kindergarten places depend on age."),
    )
    school_stage = forms.ChoiceField(
        label=_("School stage"), required=False, choices=[("", "—"), *SchoolStage.choices]
    )
    lives_with_worker = forms.BooleanField(
        label=_("Lives with the worker"), required=False, initial=True
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReferralForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("service_id",)

    service_id = forms.CharField(widget=forms.HiddenInput, required=False)
    family_member_id = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Note for the department"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + ReferralStatus.choices
    )
    kind = forms.ChoiceField(label=_("Service"), required=False, choices=ANY + ServiceKind.choices)
    queue = forms.BooleanField(label=_("Only referrals to my organisation"), required=False)


# -- integration activities ------------------------------------------------------------------

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + ActivityKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + ActivityStatus.choices
    )
    region = forms.CharField(label=_("Region (code)"), required=False, max_length=6)
    start = forms.DateField(label=_("Starting from"), required=False, widget=DATE)
    end = forms.DateField(label=_("Starting until"), required=False, widget=DATE)
    q = forms.CharField(label=_("Title or venue contains"), required=False, max_length=50)

    def clean_region(self) -> str:
        code = self.cleaned_data["region"].strip()
        if code and not (code.isdigit() and len(code) == 6 and region_is_known(code)):
            raise forms.ValidationError(_("Choose a known region (6-digit code)."))
        return code


class ActivityForm(ServiceErrorsMixin, forms.Form):
    """Every field is parsed leniently; `activity_clean` validates and names each bad one."""

    lookup_labels = LOOKUP_LABELS
    required_fields = (
        "kind",
        "title",
        "venue",
        "starts_at",
        "ends_at",
        "places",
        "registration_opens_on",
        "registration_closes_on",
    )

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *ActivityKind.choices]
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    station = forms.ChoiceField(label=_("Station (if held at one)"), required=False)
    region = forms.CharField(
        label=_("Region"),
        required=False,
        widget=region_input("region"),
        help_text=_("Where it takes place (6-digit code); empty = the station's region."),
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    starts_at = forms.CharField(label=_("Starts at"), required=False, widget=DATETIME)
    ends_at = forms.CharField(label=_("Ends at"), required=False, widget=DATETIME)
    places = forms.CharField(label=_("Places"), required=False, max_length=7)
    waiting_list = forms.BooleanField(
        label=_("Keep a waiting list when full"), required=False, initial=True
    )
    registration_opens_on = forms.CharField(
        label=_("Registration opens on"), required=False, widget=DATE
    )
    registration_closes_on = forms.CharField(
        label=_("Registration closes on"),
        required=False,
        widget=DATE,
        help_text=_("At the latest the day the activity starts."),
    )
    audience = forms.ChoiceField(label=_("For"), required=False, choices=Audience.choices)
    child_age_min = forms.CharField(
        label=_("Children from age"),
        required=False,
        max_length=2,
        help_text=_("For children only."),
    )
    child_age_max = forms.CharField(label=_("Children up to age"), required=False, max_length=2)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, stations: list[tuple[str, str]] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        field: Any = self.fields["station"]
        field.choices = [("", "—"), *(stations or [])]

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["waiting_list"] = bool(data.get("waiting_list"))
        return data


class RegistrationForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("worker_id",)

    worker_id = forms.CharField(
        label=_("Worker number"), required=False, max_length=20, help_text=_("The registry number.")
    )
    family_member_id = forms.CharField(
        label=_("Child (family member number)"),
        required=False,
        max_length=20,
        help_text=_("For children's activities: the child as registered on the worker's page."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class FeedbackForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("rating",)

    rating = forms.ChoiceField(
        label=_("Rating"),
        required=False,
        choices=[("", "—"), *((str(n), str(n)) for n in range(5, 0, -1))],
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
