"""Portal forms: plain inputs with labels, phone-friendly input modes, no widgets that need
JavaScript. Services do the validation; these forms only collect and show errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.cases.enums import AttachmentKind, CaseType, PlatformIssue
from gongyou.classifications.enums import EducationLevel, EmploymentForm, Industry
from gongyou.core.forms import ServiceErrorsMixin, region_input

from .enums import CorrectionField

BLANK = [("", "—")]


class PhoneForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("phone",)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True}
        ),
    )


class CodeForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("code",)
    code = forms.CharField(
        label=_("6-digit code from the text message"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class DistrictField(forms.ChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True  # the service checks the code against the region table


class LinkForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("name", "national_id")
    name = forms.CharField(
        label=_("Name (as on your ID card)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    national_id = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    current_region = DistrictField(
        label=_("District where you live or work"),
        required=False,
        help_text=_("Needed if you are not registered yet: the nearest station confirms."),
    )

    def __init__(
        self, *args: Any, districts: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["current_region"].choices = BLANK + list(districts or [])  # type: ignore[attr-defined]


class ComplaintForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("type", "summary")
    type = forms.ChoiceField(
        label=_("What is the problem?"), choices=BLANK + list(CaseType.choices), required=False
    )
    platform_issue = forms.ChoiceField(
        label=_("Platform work: which issue?"),
        choices=BLANK + list(PlatformIssue.choices),
        required=False,
        help_text=_("Only for delivery, ride-hailing and other platform work."),
    )
    summary = forms.CharField(
        label=_("In one sentence"),
        max_length=300,
        required=False,
        help_text=_("For example: the site owes me three months' wages."),
    )
    employer = forms.CharField(
        label=_("Employer or project (name)"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("When, where, who, how much. Write as much as you know."),
    )
    amount_claimed = forms.CharField(
        label=_("Amount owed to you (yuan)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    incident_on = forms.CharField(
        label=_("Date of the accident or diagnosis (work injury only)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    infringement_known_on = forms.CharField(
        label=_("When did you learn of the problem?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The time limit for arbitration counts from this date."),
    )
    region = DistrictField(label=_("Where did it happen?"), required=False)

    def __init__(
        self, *args: Any, districts: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = list(districts or [])  # type: ignore[attr-defined]


ATTACHMENT_SLOTS = 3


def attachment_kind_choices() -> list[tuple[str, Any]]:
    return list(AttachmentKind.choices)


class CorrectionForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("field", "requested_value")
    field = forms.ChoiceField(
        label=_("What is wrong?"), choices=BLANK + list(CorrectionField.choices), required=False
    )
    requested_value = forms.CharField(label=_("What it should say"), max_length=300, required=False)
    explanation = forms.CharField(
        label=_("Anything else staff should know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmRegistrationForm(ServiceErrorsMixin, forms.Form):
    """Staff confirm a NEW self-registration: the registry's required fields, pre-filled."""

    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    hukou_region = forms.CharField(
        label=_("Hukou region"), required=False, widget=region_input("hukou_region")
    )
    current_region = forms.CharField(
        label=_("Current region"), required=False, widget=region_input("current_region")
    )
    current_address = forms.CharField(label=_("Current address"), max_length=200, required=False)
    education = forms.ChoiceField(
        label=_("Education"), choices=BLANK + list(EducationLevel.choices), required=False
    )
    employment_form = forms.ChoiceField(
        label=_("Employment form"), choices=BLANK + list(EmploymentForm.choices), required=False
    )
    industry = forms.ChoiceField(
        label=_("Industry"), choices=BLANK + list(Industry.choices), required=False
    )
    id_card_seen = forms.BooleanField(
        label=_("I have seen the worker's ID card and it matches"), required=False
    )


class DecisionForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the worker)"), max_length=300, required=False
    )
