"""Forms of the administration pages (users and organisations). Validation lives in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import DepartmentType, OrganisationKind, Role
from .models import Organisation


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    # The queryset is set per request (stations the manager may assign).
    station: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Station (station staff only)"), queryset=None, required=False
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("At least 10 characters; leave empty to keep the current one."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, organisations: Any, stations: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
        if editing:
            del self.fields["username"]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    department_type = forms.ChoiceField(
        label=_("Department type (partner departments)"),
        required=False,
        choices=[("", "—"), *DepartmentType.choices],
    )
    parent = forms.ModelChoiceField(
        label=_("Parent organisation"), queryset=Organisation.objects.none(), required=False
    )
    region = forms.CharField(
        label=_("Region code (6 digits; empty = national)"), max_length=6, required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = organisations  # type: ignore[attr-defined]
