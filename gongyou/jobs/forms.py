"""Forms of the jobs pages: parse and render only; jobs.services validates and writes."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyou.classifications.enums import SkillLevel
from gongyou.classifications.selectors import occupation_names
from gongyou.core.forms import (
    ANY,
    LookupLabelsMixin,
    ServiceErrorsMixin,
    lookup_input,
    region_input,
)
from gongyou.regions.selectors import region_is_known, region_label

from .enums import (
    ContractType,
    FairStatus,
    FollowUpStatus,
    HousingMeals,
    ReferralSource,
    ReferralStatus,
    SeekerStatus,
    ShiftPattern,
    SocialInsurance,
    VacancyStatus,
)

LOOKUP_LABELS: Mapping[str, Callable[[str], str]] = {
    "region": lambda code: region_label(code) if region_is_known(code) else "",
    "occupation": lambda code: occupation_names().get(code, ""),
}
DATE = forms.DateInput(attrs={"type": "date"})
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})
SKILL_CHOICES = [("", _("None required"))] + [(str(v), label) for v, label in SkillLevel.choices]


def occupation_field(name: str = "occupation", label: str | None = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Occupation code"),
        required=False,
        widget=lookup_input(name, kind="occupation", url_name="classifications:occupation_options"),
    )


class VacancyFilterForm(LookupLabelsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    q = forms.CharField(label=_("Title or employer"), required=False, max_length=100)
    region = forms.CharField(
        label=_("Region code"), required=False, max_length=6, widget=region_input("region")
    )
    occupation = occupation_field()
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + VacancyStatus.choices
    )
    wage_at_least = forms.IntegerField(
        label=_("Pays at least (yuan)"), required=False, min_value=0, widget=NUMBER
    )
    open_only = forms.BooleanField(label=_("Open for applications only"), required=False)


class VacancyForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = (
        "employer_id",
        "title",
        "occupation",
        "headcount",
        "wage_min",
        "wage_max",
        "region",
        "contract_type",
        "social_insurance",
        "housing_meals",
        "shift_pattern",
        "closing_date",
    )

    employer_id = forms.CharField(
        label=_("Employer number"),
        required=False,
        help_text=_("The number shown on the employer's page (Employers)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "code"}),
    )
    title = forms.CharField(label=_("Job title"), required=False)
    occupation = occupation_field()
    skill_level = forms.ChoiceField(
        label=_("Required skill level"), required=False, choices=SKILL_CHOICES
    )
    headcount = forms.CharField(label=_("Headcount"), required=False, widget=NUMBER)
    wage_min = forms.CharField(label=_("Monthly wage from (yuan)"), required=False, widget=NUMBER)
    wage_max = forms.CharField(label=_("Monthly wage up to (yuan)"), required=False, widget=NUMBER)
    region = forms.CharField(
        label=_("Workplace region"), required=False, widget=region_input("region")
    )
    address = forms.CharField(label=_("Workplace address"), required=False)
    contract_type = forms.ChoiceField(
        label=_("Contract"), required=False, choices=[("", "—"), *ContractType.choices]
    )
    social_insurance = forms.ChoiceField(
        label=_("Social insurance"), required=False, choices=[("", "—"), *SocialInsurance.choices]
    )
    housing_meals = forms.ChoiceField(
        label=_("Housing and meals"), required=False, choices=[("", "—"), *HousingMeals.choices]
    )
    shift_pattern = forms.ChoiceField(
        label=_("Shifts"), required=False, choices=[("", "—"), *ShiftPattern.choices]
    )
    closing_date = forms.CharField(label=_("Closing date"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    publish = forms.BooleanField(label=_("Publish now"), required=False)


class TransitionForm(ServiceErrorsMixin, forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferralTransitionForm(TransitionForm):
    start_date = forms.CharField(label=_("Start date"), required=False, widget=DATE)
    monthly_wage = forms.CharField(label=_("Monthly wage (yuan)"), required=False, widget=NUMBER)


class SeekerForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS

    status = forms.ChoiceField(label=_("Status"), choices=SeekerStatus.choices, required=False)
    desired_occupations = forms.CharField(
        label=_("Desired occupations"),
        required=False,
        help_text=_(
            "Up to 4 occupation or mid-group codes, separated by commas (e.g. 6-29-01-04, 6-18)."
        ),
    )
    wage_expectation = forms.CharField(
        label=_("Expected monthly wage (yuan)"), required=False, widget=NUMBER
    )
    previous_wage = forms.CharField(
        label=_("Last monthly wage (yuan)"),
        required=False,
        widget=NUMBER,
        help_text=_("Used as the wage before, for the wage-before-and-after indicator."),
    )
    available_from = forms.CharField(label=_("Available from"), required=False, widget=DATE)
    preferred_regions = forms.CharField(
        label=_("Preferred regions"),
        required=False,
        help_text=_("Up to 3 region codes (province, city or county), separated by commas."),
    )
    max_distance_km = forms.CharField(
        label=_("Maximum distance (km)"), required=False, widget=NUMBER
    )
    note = forms.CharField(label=_("Note"), required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class PlacementForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("employer_id", "start_date", "monthly_wage")

    employer_id = forms.CharField(
        label=_("Employer number"), required=False, widget=forms.TextInput(attrs={"class": "code"})
    )
    occupation = occupation_field()
    region = forms.CharField(
        label=_("Workplace region"),
        required=False,
        widget=region_input("region"),
        help_text=_("Empty: the employer's region."),
    )
    start_date = forms.CharField(label=_("Start date"), required=False, widget=DATE)
    monthly_wage = forms.CharField(label=_("Monthly wage (yuan)"), required=False, widget=NUMBER)
    wage_before = forms.CharField(
        label=_("Wage before (yuan)"),
        required=False,
        widget=NUMBER,
        help_text=_("Empty: the previous job's last wage, else the profile's last wage."),
    )


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + ReferralStatus.choices
    )
    open_only = forms.BooleanField(label=_("Open referrals only"), required=False)
    mine = forms.BooleanField(label=_("Made by me"), required=False)


class ReferForm(ServiceErrorsMixin, forms.Form):
    source = forms.ChoiceField(label=_("How"), choices=ReferralSource.choices, required=False)
    note = forms.CharField(label=_("Note"), required=False)


class FollowUpFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + FollowUpStatus.choices, initial="due"
    )
    mine = forms.BooleanField(label=_("My placements only"), required=False)


class FollowUpAnswerForm(ServiceErrorsMixin, forms.Form):
    reached = forms.ChoiceField(
        label=_("Reached the worker?"),
        choices=[("1", _("Yes")), ("0", _("No, could not reach them"))],
        widget=forms.RadioSelect,
        required=False,
    )
    still_employed = forms.ChoiceField(
        label=_("Still in the job?"),
        choices=[("", "—"), ("1", _("Yes")), ("0", _("No, they left"))],
        required=False,
    )
    current_wage = forms.CharField(
        label=_("Monthly wage now (yuan)"), required=False, widget=NUMBER
    )
    left_on = forms.CharField(label=_("Left on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)


class FairForm(ServiceErrorsMixin, forms.Form):
    lookup_labels = LOOKUP_LABELS
    required_fields = ("name", "region", "venue", "starts_on")

    name = forms.CharField(label=_("Name"), required=False)
    region = forms.CharField(label=_("Region code"), required=False, widget=region_input("region"))
    venue = forms.CharField(label=_("Venue"), required=False)
    starts_on = forms.CharField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.CharField(label=_("Ends on"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FairEmployerForm(ServiceErrorsMixin, forms.Form):
    employer_id = forms.CharField(label=_("Employer number"), required=False)
    booth = forms.CharField(label=_("Booth"), required=False)


class FairVacancyForm(ServiceErrorsMixin, forms.Form):
    vacancy_id = forms.CharField(label=_("Vacancy number"), required=False)


class FairRegistrationForm(ServiceErrorsMixin, forms.Form):
    worker_id = forms.CharField(label=_("Worker number"), required=False)


FAIR_TARGETS = [(FairStatus.HELD, _("Mark as held")), (FairStatus.CANCELLED, _("Cancel the fair"))]
