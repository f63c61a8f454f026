from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.core.forms import ServiceErrorsMixin

from .enums import ImportKind


class ImportForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("kind", "file")

    kind = forms.ChoiceField(
        label=_("What the file holds"), required=False, choices=[("", "—"), *ImportKind.choices]
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("CSV (UTF-8 or GB18030) or Excel .xlsx, headers in Chinese or English."),
    )
