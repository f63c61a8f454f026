"""Forms of the employer pages: parse and render only; employers.services validates and writes."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.classifications.enums import Industry
from gongyou.core.forms import ANY, LookupLabelsMixin, ServiceErrorsMixin, region_input
from gongyou.regions.selectors import region_is_known, region_label

from .enums import EmployerSize

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
}


class EmployerFilterForm(LookupLabelsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"class": "code", "autocomplete": "off"}),
    )
    region = forms.CharField(
        label=_("Region code"), required=False, max_length=6, widget=region_input("region")
    )
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=ANY + Industry.choices
    )
    flagged = forms.BooleanField(label=_("Flagged for wage arrears only"), required=False)


class EmployerForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("name", "region")

    name = forms.CharField(label=_("Name"), required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        widget=forms.TextInput(attrs={"class": "code", "autocomplete": "off"}),
        help_text=_("18 characters; leave empty for an individual labour contractor."),
    )
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("Not given")), *Industry.choices]
    )
    region = forms.CharField(label=_("Region code"), required=False, widget=region_input("region"))
    size_class = forms.ChoiceField(
        label=_("Size"), required=False, choices=EmployerSize.choices, initial=EmployerSize.UNKNOWN
    )
    address = forms.CharField(label=_("Address"), required=False)


class ArrearsFlagForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
