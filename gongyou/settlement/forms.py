"""Forms of the settlement pages: parse and render only; settlement.services validates and writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ANY, ServiceErrorsMixin, region_input
from gongyou.regions.selectors import region_is_known, region_label

from .enums import ContributionKind, FactKey, Purpose, Route, Tenure, Trust

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CITY_HELP = _("The prefecture-level city code, e.g. 440100 for 广州市.")


class ContributionForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("city", "kind", "start")

    city = forms.CharField(
        label=_("City"), required=False, widget=region_input("city"), help_text=CITY_HELP
    )
    kind = forms.ChoiceField(
        label=_("Insurance"), required=False, choices=[("", "—"), *ContributionKind.choices]
    )
    start = forms.CharField(label=_("From"), required=False, widget=DATE)
    end = forms.CharField(
        label=_("To"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty if still contributing."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ResidenceForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("city", "start", "tenure")

    city = forms.CharField(
        label=_("City"), required=False, widget=region_input("city"), help_text=CITY_HELP
    )
    start = forms.CharField(label=_("From"), required=False, widget=DATE)
    end = forms.CharField(
        label=_("To"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty if still living there."),
    )
    tenure = forms.ChoiceField(
        label=_("Housing"), required=False, choices=[("", "—"), *Tenure.choices]
    )
    permit_held = forms.BooleanField(label=_("Residence permit held there"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class FactForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("key",)

    key = forms.ChoiceField(label=_("Fact"), required=False, choices=FactKey.choices)
    value = forms.CharField(
        label=_("Value"), required=False, help_text=_("Leave empty to clear the fact.")
    )
    evidence = forms.CharField(label=_("Evidence seen"), required=False, max_length=200)


class EvaluateForm(forms.Form):
    city = forms.CharField(label=_("City"), required=False, widget=region_input("city"))
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)


class PolicyFilterForm(forms.Form):
    city = forms.CharField(label=_("City (code or name)"), required=False, max_length=20)
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=ANY + Purpose.choices)
    route = forms.ChoiceField(
        label=_("Route in force"), required=False, choices=ANY + Route.choices
    )


class PolicyForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("city", "purpose", "name")

    city = forms.CharField(
        label=_("City"), required=False, widget=region_input("city"), help_text=CITY_HELP
    )
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=Purpose.choices)
    name = forms.CharField(label=_("Name"), required=False, max_length=120)


class _JSONField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 14, "class": "json", "spellcheck": "false"})

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


class VersionForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("route", "effective_from", "source", "trust")

    route = forms.ChoiceField(label=_("Route"), required=False, choices=Route.choices)
    effective_from = forms.CharField(label=_("In force from"), required=False, widget=DATE)
    effective_to = forms.CharField(
        label=_("In force until"),
        required=False,
        widget=DATE,
        help_text=_("Empty = until replaced."),
    )
    pass_mark = forms.CharField(
        label=_("Pass mark"),
        required=False,
        help_text=_("A fixed qualifying score; empty if unknown."),
    )
    last_cutoff = forms.CharField(
        label=_("Last cut-off score"),
        required=False,
        help_text=_("Where a quota sets the score each year; empty if unknown."),
    )
    cutoff_year = forms.CharField(label=_("Cut-off year"), required=False)
    annual_quota = forms.CharField(label=_("Annual quota"), required=False)
    group = forms.ChoiceField(label=_("Years accumulate within"), required=False)
    source = forms.CharField(
        label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trust = forms.ChoiceField(label=_("Trust"), required=False, choices=[("", "—"), *Trust.choices])
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conditions = _JSONField(
        label=_("Conditions (JSON)"),
        required=False,
        help_text=_("A list; see the policy model in the settlement documentation for each type."),
    )
    points_items = _JSONField(
        label=_("Points items (JSON)"), required=False, help_text=_("A list; points routes only.")
    )

    def __init__(
        self, *args: Any, groups: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        group_field: Any = self.fields["group"]
        group_field.choices = [("", _("This city only")), *(groups or [])]


class TransitionForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class GroupForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("name", "cities", "source", "trust")

    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    cities = forms.CharField(
        label=_("Cities"),
        required=False,
        help_text=_("Prefecture-level city codes separated by spaces, e.g. 440100 440300 440600."),
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=300)
    trust = forms.ChoiceField(label=_("Trust"), required=False, choices=[("", "—"), *Trust.choices])
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
