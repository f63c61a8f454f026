"""The export page's form, and the translation of a list page's query string into the list's
filter values (the same names as its filter dataclass, plus the pages' own aliases)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ServiceErrorsMixin

from .enums import ExportFormat, ExportHeaders, ExportKind

# Query parameters of the list pages that are navigation, not filters.
IGNORED = frozenset({"kind", "page", "lat", "lng", "near", "csrfmiddlewaretoken"})


def filters_from_query(kind: str, params: QueryDict) -> tuple[dict[str, Any], str]:
    """(filter values, free-text search) from a list page's query string.

    The pages use the filter dataclasses' names, except: visits `date` = `on_date`; the case
    queue's checkboxes `mine` (assigned to me) and `referred` (to my organisation), and its
    text box `q`, which is case_queue's search rather than a CaseFilter field.
    """
    data: dict[str, Any] = {}
    for key in params:
        value = params.get(key, "").strip()
        if value and key not in IGNORED:
            data[key] = value
    search = ""
    if kind == ExportKind.VISITS and "date" in data:
        data["on_date"] = data.pop("date")
    if kind == ExportKind.CASES:
        search = data.pop("q", "")
        if data.pop("mine", ""):
            data["assigned_to"] = "me"
        if data.get("referred"):
            data["referred"] = "me"
    return data, search


class ExportForm(ServiceErrorsMixin, forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )
    headers = forms.ChoiceField(
        label=_("Header row"),
        choices=ExportHeaders.choices,
        initial=ExportHeaders.LABELS,
        widget=forms.RadioSelect,
        help_text=_("Parquet always uses the stable keys."),
    )
    reveal = forms.BooleanField(
        label=_("Reveal full ID numbers and mobile numbers (audited)"), required=False
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=200,
        help_text=_("Required when revealing: why you need the full numbers."),
    )

    def __init__(self, *args: Any, can_reveal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_reveal:
            del self.fields["reveal"]
            del self.fields["purpose"]
