"""Forms of the training pages: parse and render only; training.services validates and writes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.classifications.enums import SkillLevel
from gongyou.classifications.selectors import occupation_names
from gongyou.core.forms import (
    ANY,
    LookupLabelsMixin,
    ServiceErrorsMixin,
    occupation_input,
    region_input,
)
from gongyou.regions.selectors import region_is_known, region_label

from .enums import (
    CampaignKind,
    ClaimStatus,
    DiplomaKind,
    EnrolmentStatus,
    InstitutionKind,
    ProgrammeLevel,
    Trust,
)

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
    "occupation": lambda code: occupation_names().get(code, ""),
}
LEVELS = [(str(v), label) for v, label in SkillLevel.choices]
DATE = forms.DateInput(attrs={"type": "date"})


def _date(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=DATE)


class CourseFilterForm(LookupLabelsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    q = forms.CharField(label=_("Title"), required=False, max_length=100)
    occupation = forms.CharField(
        label=_("Occupation code"), required=False, widget=occupation_input()
    )
    level = forms.ChoiceField(label=_("Target skill level"), required=False, choices=ANY + LEVELS)
    region = forms.CharField(
        label=_("Place (region code)"), required=False, max_length=6, widget=region_input("region")
    )
    starts_from = forms.DateField(label=_("Starts on or after"), required=False, widget=DATE)
    starts_to = forms.DateField(label=_("Starts on or before"), required=False, widget=DATE)
    open_only = forms.BooleanField(label=_("Open for enrolment now"), required=False)


class CourseForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = (
        "provider",
        "title",
        "occupation",
        "target_level",
        "hours",
        "seats",
        "starts_on",
        "ends_on",
        "region",
        "enrol_opens_on",
        "enrol_closes_on",
    )

    provider = forms.ChoiceField(label=_("Training provider"), required=False, choices=[])
    campaign = forms.ChoiceField(label=_("Campaign"), required=False, choices=[])
    title = forms.CharField(label=_("Title"), required=False)
    occupation = forms.CharField(
        label=_("Occupation code"), required=False, widget=occupation_input()
    )
    target_level = forms.ChoiceField(
        label=_("Target skill level"), required=False, choices=[("", "—"), *LEVELS]
    )
    hours = forms.CharField(label=_("Hours"), required=False, widget=forms.NumberInput)
    min_attendance_percent = forms.CharField(
        label=_("Minimum attendance (%)"),
        required=False,
        initial=80,
        widget=forms.NumberInput,
        help_text=_("Share of the hours a trainee must attend to complete the course."),
    )
    seats = forms.CharField(label=_("Seats"), required=False, widget=forms.NumberInput)
    starts_on = _date(_("Starts on"))
    ends_on = _date(_("Ends on"))
    schedule = forms.CharField(
        label=_("Schedule"), required=False, help_text=_("e.g. Saturdays and Sundays 09:00-17:00")
    )
    region = forms.CharField(
        label=_("Place (region code)"), required=False, widget=region_input("region")
    )
    address = forms.CharField(label=_("Address"), required=False)
    subsidy_per_trainee = forms.CharField(label=_("Subsidy per trainee (yuan)"), required=False)
    enrol_opens_on = _date(_("Enrolment opens on"))
    enrol_closes_on = _date(_("Enrolment closes on"))
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        providers: list[tuple[str, str]] | None = None,
        campaigns: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if providers is None:
            del self.fields["provider"]
        else:
            self.fields["provider"].choices = [("", "—"), *providers]  # type: ignore[attr-defined]
        self.fields["campaign"].choices = [("", _("None")), *(campaigns or [])]  # type: ignore[attr-defined]


class ApplyForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("worker_id",)

    worker_id = forms.CharField(
        label=_("Worker number"), required=False, help_text=_("The number on the worker's page.")
    )
    enrol = forms.BooleanField(label=_("Give a seat now"), required=False)
    note = forms.CharField(label=_("Note"), required=False)


class EnrolmentTransitionForm(ServiceErrorsMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), required=False, choices=[])
    reason = forms.CharField(
        label=_("Reason"), required=False, help_text=_("Required when withdrawing or dropping out.")
    )
    assessed_on = _date(_("Assessed on"))
    score = forms.CharField(label=_("Assessment score (0-100)"), required=False)
    certificate_no = forms.CharField(
        label=_("Certificate number"), required=False, help_text=_("Required to certify.")
    )
    issuing_organisation = forms.CharField(
        label=_("Issued by"), required=False, help_text=_("Empty: the training provider.")
    )
    issued_on = _date(_("Issued on"))
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, statuses: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [  # type: ignore[attr-defined]
            (s, EnrolmentStatus(s).label) for s in (statuses or [])
        ]


class AttendanceForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("date", "hours")

    date = _date(_("Date"))
    hours = forms.CharField(label=_("Hours attended"), required=False)


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + ClaimStatus.choices)
    provider = forms.ChoiceField(label=_("Training provider"), required=False, choices=[])
    campaign = forms.ChoiceField(label=_("Campaign"), required=False, choices=[])

    def __init__(
        self,
        *args: Any,
        providers: list[tuple[str, str]],
        campaigns: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = ANY + providers  # type: ignore[attr-defined]
        self.fields["campaign"].choices = ANY + campaigns  # type: ignore[attr-defined]


class ClaimDecisionForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False)
    paid_on = _date(_("Paid on"))


class CampaignForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("name", "kind", "lead_organisation", "starts_on", "ends_on")

    name = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *CampaignKind.choices]
    )
    lead_organisation = forms.ChoiceField(label=_("Lead organisation"), required=False, choices=[])
    co_organisers = forms.MultipleChoiceField(
        label=_("Co-organisers"), required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    starts_on = _date(_("Starts on"))
    ends_on = _date(_("Ends on"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].choices = [("", "—"), *organisations]  # type: ignore[attr-defined]
        self.fields["co_organisers"].choices = organisations  # type: ignore[attr-defined]


class EligibilityForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("worker_id", "occupation", "level")

    worker_id = forms.CharField(label=_("Worker number"), required=False)
    occupation = forms.CharField(
        label=_("Occupation code"), required=False, widget=occupation_input()
    )
    level = forms.ChoiceField(
        label=_("Level applied for"), required=False, choices=[("", "—"), *LEVELS]
    )
    years_in_occupation = forms.CharField(
        label=_("Years of work in the occupation"),
        required=False,
        help_text=_("As the worker states it: the registry holds no work history."),
    )
    apprenticeship = forms.BooleanField(label=_("Completed an apprenticeship"), required=False)
    diplomas = forms.MultipleChoiceField(
        label=_("Diplomas relevant to the occupation"),
        required=False,
        choices=DiplomaKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class RuleForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("level", "route", "conditions", "trust", "source")

    occupation = forms.CharField(
        label=_("Occupational standard (occupation code)"),
        required=False,
        widget=occupation_input(),
        help_text=_("Empty: the general template for occupations without rules of their own."),
    )
    level = forms.ChoiceField(label=_("Skill level"), required=False, choices=[("", "—"), *LEVELS])
    route = forms.CharField(label=_("Route"), required=False)
    conditions = forms.CharField(
        label=_("Conditions (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "code"}),
        help_text=_(
            'All must hold. Types: {"type": "years_in_occupation", "min": 6}, '
            '{"type": "apprenticeship"}, {"type": "holds_level", "level": 5, "years_after": 4}, '
            '{"type": "diploma", "any_of": ["technical_school"]}.'
        ),
    )
    trust = forms.ChoiceField(label=_("Trust"), required=False, choices=Trust.choices)
    source = forms.CharField(label=_("Source"), required=False)
    active = forms.BooleanField(label=_("In force"), required=False, initial=True)
    version = forms.CharField(required=False, widget=forms.HiddenInput)


class InstitutionForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("name", "kind", "region")

    name = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *InstitutionKind.choices]
    )
    region = forms.CharField(label=_("Region code"), required=False, widget=region_input("region"))


class ProgrammeForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("institution", "name", "level", "credits_required", "tuition", "starts_on")

    institution = forms.ChoiceField(label=_("Institution"), required=False, choices=[])
    campaign = forms.ChoiceField(label=_("Campaign"), required=False, choices=[])
    name = forms.CharField(label=_("Major"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", "—"), *ProgrammeLevel.choices]
    )
    credits_required = forms.CharField(label=_("Credits to graduate"), required=False)
    tuition = forms.CharField(label=_("Tuition (yuan)"), required=False)
    union_subsidy = forms.CharField(label=_("Union tuition subsidy (yuan)"), required=False)
    starts_on = _date(_("Starts on"))
    blended = forms.BooleanField(
        label=_("Blended online and offline teaching"), required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        institutions: list[tuple[str, str]],
        campaigns: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "—"), *institutions]  # type: ignore[attr-defined]
        self.fields["campaign"].choices = [("", _("None")), *campaigns]  # type: ignore[attr-defined]


class StudyApplyForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("worker_id",)

    worker_id = forms.CharField(label=_("Worker number"), required=False)
    subsidy = forms.CharField(
        label=_("Union tuition subsidy (yuan)"),
        required=False,
        help_text=_("Empty: the programme's."),
    )


class CreditForm(ServiceErrorsMixin, forms.Form):
    required_fields = ("module", "credits", "earned_on")

    module = forms.CharField(label=_("Module"), required=False)
    credits = forms.CharField(label=_("Credits"), required=False)
    earned_on = _date(_("Earned on"))


class StudyTransitionForm(ServiceErrorsMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), required=False, choices=[])
    reason = forms.CharField(
        label=_("Reason"), required=False, help_text=_("Required when withdrawing.")
    )
    graduated_on = _date(_("Graduated on"))
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, statuses: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = statuses  # type: ignore[attr-defined]
