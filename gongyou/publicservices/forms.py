"""Forms of the public-service pages: parse and render only; services validate and write."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ANY, ServiceErrorsMixin, region_input
from gongyou.regions.selectors import region_is_known, region_label

from .enums import Beneficiary, ReferralStatus, Relation, SchoolStage, ServiceKind, Trust

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
