"""Skills and education pathways: campaigns with regional targets, courses of training
providers, enrolments with attendance, subsidy claims, skill-level eligibility rules, and the
education upgrade (institutions, programmes, study enrolments with credits)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gongyou.classifications.enums import SkillLevel
from gongyou.core.models import TimeStampedModel

from .enums import (
    CampaignKind,
    ClaimStatus,
    EnrolmentStatus,
    InstitutionKind,
    ProgrammeLevel,
    StudyStatus,
    Trust,
)


def _user_fk(label: Any) -> Any:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=label,
    )


class Campaign(TimeStampedModel):
    """A training campaign (e.g. a spring vocational-training campaign) or the 求学圆梦 degree
    programme: a lead organisation, co-organisers, a period and targets per region."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=CampaignKind.choices)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    co_organisers = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("co-organisers")
    )
    # The campaign's area (the lead organisation's region); empty = national.
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = _user_fk(_("created by"))

    class Meta:
        verbose_name = _("campaign")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """Targets of one campaign in one region (a province, city or county subtree)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name=_("campaign")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    trained = models.PositiveIntegerField(_("people trained"), default=0)
    completed = models.PositiveIntegerField(_("people completing"), default=0)
    certified = models.PositiveIntegerField(_("people certified"), default=0)
    funded_study = models.PositiveIntegerField(_("people funded for study"), default=0)

    class Meta:
        verbose_name = _("campaign target")
        ordering = ["campaign_id", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "region"], name="target_unique_region")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.region_id}"


class Course(TimeStampedModel):
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("training provider"),
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("title"), max_length=200)
    occupation = models.ForeignKey(
        "classifications.Occupation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    target_level = models.PositiveSmallIntegerField(
        _("target skill level"), choices=SkillLevel.choices
    )
    hours = models.PositiveIntegerField(_("hours"))
    # Share of the hours a trainee must attend to complete the course (the provider's rule).
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80
    )
    seats = models.PositiveIntegerField(_("seats"))
    # Seats held by enrolments; only the enrolment services change it, with a conditional
    # UPDATE, and the CHECK below makes over-booking impossible even for a buggy writer.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    subsidy_per_trainee = models.DecimalField(
        _("subsidy per trainee (yuan)"), max_digits=10, decimal_places=2, default=0
    )
    enrol_opens_on = models.DateField(_("enrolment opens on"))
    enrol_closes_on = models.DateField(_("enrolment closes on"))
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = _user_fk(_("created by"))

    class Meta:
        verbose_name = _("course")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("seats")), name="course_seats_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="course_period_order"
            ),
            models.CheckConstraint(
                condition=Q(enrol_closes_on__gte=F("enrol_opens_on")),
                name="course_enrolment_window_order",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "starts_on"], name="course_region_idx"),
            models.Index(fields=["occupation", "target_level"], name="course_occupation_idx"),
            models.Index(fields=["provider", "starts_on"], name="course_provider_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_free(self) -> int:
        return max(self.seats - self.seats_taken, 0)


class Enrolment(TimeStampedModel):
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course")
    )
    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.APPLIED,
    )
    holds_seat = models.BooleanField(_("holds a seat"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    assessment_score = models.DecimalField(
        _("assessment score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    certificate = models.ForeignKey(
        "workers.SkillCertificate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("certificate"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = _user_fk(_("applied by"))

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["-id"]
        constraints = [
            # One live enrolment per worker and course; withdrawn/dropped ones stay as history.
            models.UniqueConstraint(
                fields=["course", "worker"],
                condition=~Q(status__in=[EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DROPPED]),
                name="enrolment_one_live_per_course",
            )
        ]
        indexes = [
            models.Index(fields=["course", "status"], name="enrolment_course_idx"),
            models.Index(fields=["worker", "status"], name="enrolment_worker_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.worker_id} {self.status}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("enrolment")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours attended"), max_digits=4, decimal_places=1)
    recorded_by = _user_fk(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "date"], name="attendance_one_per_day"),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="attendance_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.date} {self.hours}h"


class SubsidyClaim(TimeStampedModel):
    """The provider's claim for the training subsidy of one completed trainee."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="claims", verbose_name=_("enrolment")
    )
    # Denormalised from the enrolment so the database itself refuses a second live claim.
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="claims", verbose_name=_("course")
    )
    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("training provider"),
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("campaign"),
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = _user_fk(_("submitted by"))

    class Meta:
        verbose_name = _("subsidy claim")
        ordering = ["-id"]
        constraints = [
            # Never paid twice: one claim per trainee and course unless it was rejected.
            models.UniqueConstraint(
                fields=["course", "worker"],
                condition=~Q(status=ClaimStatus.REJECTED),
                name="claim_one_per_trainee_course",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["provider", "status"], name="claim_provider_idx"),
            models.Index(fields=["campaign", "status"], name="claim_campaign_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.worker_id} {self.amount} {self.status}"


class EligibilityRule(TimeStampedModel):
    """One route to apply for a skill level: all its conditions must hold; a level is open to
    a worker when any of its routes is. `occupation` empty = the general template of
    post-2018 national occupational skill standards, used where an occupation has no own rules.

    `conditions` is a list of {"type": ConditionType, ...}; services.rules validates it."""

    occupation = models.ForeignKey(
        "classifications.Occupation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupational standard"),
    )
    level = models.PositiveSmallIntegerField(_("skill level"), choices=SkillLevel.choices)
    route = models.CharField(_("route"), max_length=200)
    conditions = models.JSONField(_("conditions"), default=list)
    trust = models.CharField(_("trust"), max_length=1, choices=Trust.choices)
    source = models.CharField(_("source"), max_length=300)
    active = models.BooleanField(_("in force"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("eligibility rule")
        ordering = ["occupation_id", "-level", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "level", "route"], name="rule_unique_route"
            ),
            models.UniqueConstraint(
                fields=["level", "route"],
                condition=Q(occupation__isnull=True),
                name="rule_unique_general_route",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id or '*'} L{self.level} {self.route}"

    def clean(self) -> None:
        """The one-row rule: conditions must be valid (services.rules checks it on every save)."""
        from .eligibility import conditions_problems

        problems = conditions_problems(self.conditions)
        if problems:
            raise ValidationError({"conditions": problems})


class Institution(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=InstitutionKind.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("institution")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(TimeStampedModel):
    """A junior-college or bachelor programme of continuing study, with the union subsidy."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("institution"),
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("major"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=ProgrammeLevel.choices)
    credits_required = models.PositiveIntegerField(_("credits to graduate"))
    tuition = models.DecimalField(_("tuition (yuan)"), max_digits=10, decimal_places=2)
    union_subsidy = models.DecimalField(
        _("union tuition subsidy (yuan)"), max_digits=10, decimal_places=2, default=0
    )
    starts_on = models.DateField(_("starts on"))
    blended = models.BooleanField(_("blended online and offline teaching"), default=True)

    class Meta:
        verbose_name = _("programme")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(union_subsidy__lte=F("tuition")), name="programme_subsidy_le_tuition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.name}"


class StudyEnrolment(TimeStampedModel):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("programme"),
    )
    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    # The worker's current region when they applied: where the funding counts.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StudyStatus.choices, default=StudyStatus.APPLIED
    )
    subsidy = models.DecimalField(
        _("union tuition subsidy (yuan)"), max_digits=10, decimal_places=2, default=0
    )
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = _user_fk(_("applied by"))

    class Meta:
        verbose_name = _("study enrolment")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "worker"],
                condition=~Q(status=StudyStatus.WITHDRAWN),
                name="study_one_live_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.worker_id} {self.status}"


class CreditRecord(models.Model):
    """Credits earned (the credit bank): one course or recognised prior learning."""

    study = models.ForeignKey(
        StudyEnrolment, on_delete=models.CASCADE, related_name="credits", verbose_name=_("study")
    )
    module = models.CharField(_("module"), max_length=200)
    credits = models.PositiveSmallIntegerField(_("credits"))
    earned_on = models.DateField(_("earned on"))
    recorded_by = _user_fk(_("recorded by"))

    class Meta:
        verbose_name = _("credit record")
        ordering = ["earned_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "module"], name="credit_unique_module")
        ]

    def __str__(self) -> str:
        return f"{self.study_id} {self.module} {self.credits}"
