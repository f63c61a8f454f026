"""Forms of the registry pages: they parse and render; every rule lives in workers.services.

Fields are optional here on purpose: the service validates all fields at once and its
messages (ApplicationError.fields) are attached to the inputs they concern.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongyou.classifications.enums import (
    CertificateKind,
    EducationLevel,
    EmploymentForm,
    Industry,
    Sex,
    SkillLevel,
)
from gongyou.classifications.selectors import occupation_names
from gongyou.core.forms import (
    ANY,
    LookupLabelsMixin,
    ServiceErrorsMixin,
    occupation_input,
    region_input,
)
from gongyou.regions.selectors import region_is_known, region_label

from .enums import ConsentMethod, ConsentPurpose, MigrationScope, RevealPurpose

NOT_GIVEN = [("", _("Not given"))]

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
    "occupation": lambda code: occupation_names().get(code, ""),
}


class WorkerSearchForm(LookupLabelsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    national_id = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "code"}),
    )
    phone = forms.CharField(
        label=_("Mobile"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    name = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=50)
    region = forms.CharField(
        label=_("Region code"), required=False, max_length=6, widget=region_input("region")
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=ANY + Sex.choices)
    education = forms.ChoiceField(
        label=_("Education"), required=False, choices=ANY + EducationLevel.choices
    )
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=ANY + Industry.choices
    )
    employment_form = forms.ChoiceField(
        label=_("Employment form"), required=False, choices=ANY + EmploymentForm.choices
    )
    migration_scope = forms.ChoiceField(
        label=_("Migration"), required=False, choices=ANY + MigrationScope.choices
    )


class WorkerFieldsForm(ServiceErrorsMixin, forms.Form):
    """The editable fields shared by registration and editing."""

    lookup_labels = LOOKUP_LABELS

    name = forms.CharField(
        label=pgettext_lazy("person", "Name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    hukou_region = forms.CharField(
        label=_("Hukou region code"),
        required=False,
        widget=region_input("hukou_region"),
        help_text=_("6 digits; type a code or a place name to see suggestions."),
    )
    current_region = forms.CharField(
        label=_("Current region code"),
        required=False,
        widget=region_input("current_region"),
        help_text=_("Where the worker lives and works now."),
    )
    current_address = forms.CharField(label=_("Current address"), required=False)
    education = forms.ChoiceField(
        label=_("Education"), required=False, choices=NOT_GIVEN + EducationLevel.choices
    )
    employment_form = forms.ChoiceField(
        label=_("Employment form"), required=False, choices=NOT_GIVEN + EmploymentForm.choices
    )
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=NOT_GIVEN + Industry.choices
    )
    occupation = forms.CharField(
        label=_("Occupation code"),
        required=False,
        widget=occupation_input(),
        help_text=_("Type a code or an occupation name to see suggestions."),
    )
    union_member = forms.BooleanField(label=_("Trade-union member"), required=False)
    union_joined_on = forms.CharField(
        label=_("Joined the union on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class WorkerRegisterForm(WorkerFieldsForm):
    required_fields = ("national_id", "name", "phone", "hukou_region", "current_region")

    national_id = forms.CharField(
        label=_("ID number"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "code", "autofocus": True}),
        help_text=_("18 characters; sex and birth date are read from it."),
    )
    consent = forms.BooleanField(
        label=_("The worker agrees to registration (privacy notice read)"), required=False
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"),
        required=False,
        choices=ConsentMethod.choices,
        initial=ConsentMethod.PAPER,
    )

    field_order = ["national_id", "name", "phone"]

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class WorkerEditForm(WorkerFieldsForm):
    """Editing sends only the fields that changed; the phone is left alone when empty."""

    national_id = forms.CharField(
        label=_("Correct the ID number"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "code"}),
        help_text=_("Administrators only. Leave empty to keep the current number."),
    )

    def __init__(
        self, *args: Any, can_correct_id: bool = False, phone_masked: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not can_correct_id:
            del self.fields["national_id"]
        self.fields["phone"].help_text = _("Leave empty to keep the current number.")
        if phone_masked:
            self.fields["phone"].widget.attrs["placeholder"] = phone_masked

    def service_data(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name not in ("phone", "national_id")
        }
        for name in ("phone", "national_id"):
            if self.cleaned_data.get(name):
                data[name] = self.cleaned_data[name]
        return data


def worker_initial(worker: Any) -> dict[str, Any]:
    return {
        "name": worker.name,
        "hukou_region": worker.hukou_region_id,
        "current_region": worker.current_region_id,
        "current_address": worker.current_address,
        "education": worker.education,
        "employment_form": worker.employment_form,
        "industry": worker.industry,
        "occupation": worker.occupation_id or "",
        "union_member": worker.union_member,
        "union_joined_on": worker.union_joined_on.isoformat() if worker.union_joined_on else "",
    }


REVEAL_PURPOSES = [("", _("Choose a reason…")), *RevealPurpose.choices]


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        choices=[("national_id", _("ID number")), ("phone", _("Mobile"))], widget=forms.HiddenInput
    )
    purpose = forms.ChoiceField(
        label=_("Reason"),
        choices=REVEAL_PURPOSES,
        required=False,
        widget=forms.Select(attrs={"required": True}),
    )
    # Validated by the service (required for "other"; at most 150 characters).
    detail = forms.CharField(label=_("Details"), required=False)


class CertificateForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("occupation", "certificate_no", "issuing_organisation", "issued_on")

    kind = forms.ChoiceField(
        label=_("Kind"), choices=CertificateKind.choices, initial=CertificateKind.SKILL_LEVEL
    )
    occupation = forms.CharField(
        label=_("Occupation code"),
        required=False,
        widget=occupation_input(),
    )
    level = forms.TypedChoiceField(
        label=_("Skill level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("None")), *SkillLevel.choices],
    )
    certificate_no = forms.CharField(label=_("Certificate number"), required=False)
    issuing_organisation = forms.CharField(label=_("Issued by"), required=False)
    issued_on = forms.CharField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.CharField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cert")
        super().__init__(*args, **kwargs)


class ConsentForm(ServiceErrorsMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Granted")), ("no", _("Withdrawn"))],
        initial="yes",
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=ConsentMethod.choices, initial=ConsentMethod.PAPER
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)


class WorkerMergeForm(ServiceErrorsMixin, forms.Form):
    """Which of two workers to keep, and why; the other is merged into it."""

    required_fields = ("keep", "reason")

    keep = forms.TypedChoiceField(
        label=_("Keep"), coerce=int, required=False, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Kept in the audit log with the merge."),
    )

    def __init__(self, *args: Any, first: Any, second: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [  # type: ignore[attr-defined]
            (w.pk, f"{w.name} · {w.national_id_masked} · #{w.pk}") for w in (first, second)
        ]


class WorkerMergeUndoForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
