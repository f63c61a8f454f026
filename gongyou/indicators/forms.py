"""Forms of the indicator pages: the region and the period (parsing only)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ServiceErrorsMixin, region_input
from gongyou.regions.selectors import region_is_known, region_label

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
}
DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    region = forms.CharField(
        label=_("Region code"),
        required=False,
        max_length=6,
        widget=region_input("region"),
        help_text=_("Empty: your whole area."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    published = forms.BooleanField(label=_("Publication view (hide small counts)"), required=False)


class BriefingForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    region = forms.CharField(
        label=_("Region code"), required=False, max_length=6, widget=region_input("region")
    )
    date = forms.DateField(label=_("As of"), required=False, widget=DATE)
