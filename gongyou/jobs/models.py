"""Stable employment: employer accounts, vacancies, job-seeker profiles and their match index,
referrals, placements, retention follow-ups and job fairs. Employers themselves live in
gongyou/employers (reused, never copied)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongyou.classifications.enums import SkillLevel
from gongyou.core.models import TimeStampedModel

from .enums import (
    REFERRAL_OPEN,
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

USER = settings.AUTH_USER_MODEL


class EmployerAccount(models.Model):
    """Links an organisation of kind `employer` (its users sign in) to the employer record it
    speaks for; its users post that employer's vacancies through the API and follow referrals."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("employer account")

    def __str__(self) -> str:
        return f"{self.organisation_id} -> {self.employer_id}"


class Vacancy(TimeStampedModel):
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employer"),
    )
    title = models.CharField(_("title"), max_length=100)
    occupation = models.ForeignKey(
        "classifications.Occupation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    # Denormalised from the occupation code ("6-29"), for the match pre-filter.
    mid_group = models.CharField(_("mid group"), max_length=5)
    skill_level = models.PositiveSmallIntegerField(
        _("required skill level"), choices=SkillLevel.choices, null=True, blank=True
    )
    headcount = models.PositiveIntegerField(_("headcount"))
    wage_min = models.PositiveIntegerField(_("monthly wage from (yuan)"))
    wage_max = models.PositiveIntegerField(_("monthly wage up to (yuan)"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The workplace; filled from the region's reference coordinates when not given.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    contract_type = models.CharField(_("contract"), max_length=16, choices=ContractType.choices)
    social_insurance = models.CharField(
        _("social insurance"), max_length=16, choices=SocialInsurance.choices
    )
    housing_meals = models.CharField(
        _("housing and meals"), max_length=12, choices=HousingMeals.choices
    )
    shift_pattern = models.CharField(_("shifts"), max_length=16, choices=ShiftPattern.choices)
    closing_date = models.DateField(_("closing date"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    posted_by_employer = models.BooleanField(_("posted by the employer"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("posting organisation"),
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "mid_group", "closing_date"], name="vacancy_match_idx"),
            models.Index(fields=["region", "status"], name="vacancy_region_idx"),
            models.Index(fields=["employer", "status"], name="vacancy_employer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(wage_max__gte=models.F("wage_min")), name="vacancy_wage_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SeekerProfile(TimeStampedModel):
    """A worker's job-seeker registration (求职登记): what work, where and for what pay."""

    worker = models.OneToOneField(
        "workers.Worker",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("worker"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SeekerStatus.choices, default=SeekerStatus.SEEKING
    )
    desired_occupations = models.JSONField(_("desired occupations"), default=list, blank=True)
    wage_expectation = models.PositiveIntegerField(
        _("expected monthly wage (yuan)"), null=True, blank=True
    )
    # "Wage before" of the wage-before-and-after indicator when no earlier placement exists.
    previous_wage = models.PositiveIntegerField(
        _("last monthly wage (yuan)"), null=True, blank=True
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    preferred_regions = models.JSONField(_("preferred regions"), default=list, blank=True)
    max_distance_km = models.PositiveIntegerField(_("maximum distance (km)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    indexed_at = models.DateTimeField(_("match index refreshed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("job-seeker profile")
        indexes = [models.Index(fields=["status", "indexed_at"], name="seeker_status_idx")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.status}"


class MatchEntry(models.Model):
    """The match index: one row per (seeking worker, occupation they offer), with everything the
    score needs, so ranking never touches the registry tables. Rebuilt by seeker_index_refresh."""

    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.CASCADE, related_name="+", verbose_name=_("worker")
    )
    occupation_code = models.CharField(max_length=12)
    mid_group = models.CharField(max_length=5)
    skill_level = models.PositiveSmallIntegerField(null=True, blank=True)
    current_region_code = models.CharField(max_length=6)
    hukou_region_code = models.CharField(max_length=6)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    max_distance_km = models.PositiveIntegerField(null=True, blank=True)
    wage_expectation = models.PositiveIntegerField(null=True, blank=True)
    available_from = models.DateField(null=True, blank=True)
    # Up to three preferred regions, as subtree prefixes (2, 4 or 6 digits).
    pref1 = models.CharField(max_length=6, blank=True)
    pref2 = models.CharField(max_length=6, blank=True)
    pref3 = models.CharField(max_length=6, blank=True)

    class Meta:
        verbose_name = _("match index entry")
        indexes = [
            # Covering index for the vacancy-side ranking: the pre-filter (mid group) and every
            # scored column, so SQLite and PostgreSQL read the index only.
            models.Index(
                fields=[
                    "mid_group",
                    "occupation_code",
                    "skill_level",
                    "wage_expectation",
                    "available_from",
                    "latitude",
                    "longitude",
                    "max_distance_km",
                    "pref1",
                    "pref2",
                    "pref3",
                    "worker",
                ],
                name="match_entry_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.occupation_code}"


class Referral(TimeStampedModel):
    """A worker put forward for a vacancy: by an officer, the worker's own application, or at a
    job fair. One open referral per worker and vacancy."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("vacancy")
    )
    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    source = models.CharField(_("source"), max_length=12, choices=ReferralSource.choices)
    fair = models.ForeignKey(
        "jobs.JobFair",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("job fair"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    note = models.CharField(_("note"), max_length=500, blank=True)
    last_reason = models.CharField(_("reason of the last change"), max_length=500, blank=True)
    # The match score and its explanation when the referral was made (for later review).
    score = models.PositiveSmallIntegerField(_("match score"), null=True, blank=True)
    explanation = models.JSONField(_("match explanation"), default=list, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referring organisation"),
    )
    referred_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("referral")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "worker"],
                condition=Q(status__in=sorted(REFERRAL_OPEN)),
                name="referral_one_open_per_worker",
            )
        ]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="referral_queue_idx"),
            models.Index(fields=["worker", "status"], name="referral_worker_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} -> {self.vacancy_id} ({self.status})"


class Placement(TimeStampedModel):
    """A worker in a job: from a hired referral, or recorded directly."""

    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    vacancy = models.ForeignKey(
        Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="placement"
    )
    occupation = models.ForeignKey(
        "classifications.Occupation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("workplace")
    )
    start_date = models.DateField(_("start date"))
    monthly_wage = models.PositiveIntegerField(_("monthly wage (yuan)"))
    wage_before = models.PositiveIntegerField(_("wage before (yuan)"), null=True, blank=True)
    ended_on = models.DateField(_("left the job on"), null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("following organisation"),
    )
    officer = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("follow-up officer"),
    )

    class Meta:
        verbose_name = _("placement")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["start_date"], name="placement_start_idx"),
            models.Index(fields=["region", "start_date"], name="placement_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.employer_id} {self.start_date}"


class FollowUp(TimeStampedModel):
    """A retention check 3, 6 or 12 months after a placement started: a to-do for the officer."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="followups", verbose_name=_("placement")
    )
    month = models.PositiveSmallIntegerField(_("months after start"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.DUE
    )
    still_employed = models.BooleanField(_("still in the job"), null=True, blank=True)
    current_wage = models.PositiveIntegerField(_("current monthly wage"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="followup_once_per_month")
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="followup_todo_idx")]

    def __str__(self) -> str:
        return f"{self.placement_id} +{self.month}m"


class JobFair(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    venue = models.CharField(_("venue"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FairStatus.choices, default=FairStatus.PLANNED
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser"),
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("job fair")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["region", "starts_on"], name="fair_region_idx")]

    def __str__(self) -> str:
        return self.name


class FairEmployer(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="employers")
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="+")
    booth = models.CharField(_("booth"), max_length=40, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participating employer")
        constraints = [
            models.UniqueConstraint(fields=["fair", "employer"], name="fair_employer_once")
        ]

    def __str__(self) -> str:
        return f"{self.fair_id}: {self.employer_id}"


class FairVacancy(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="vacancies")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fair vacancy")
        constraints = [
            models.UniqueConstraint(fields=["fair", "vacancy"], name="fair_vacancy_once")
        ]

    def __str__(self) -> str:
        return f"{self.fair_id}: {self.vacancy_id}"


class FairRegistration(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="registrations")
    worker = models.ForeignKey("workers.Worker", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("fair registration")
        constraints = [
            models.UniqueConstraint(fields=["fair", "worker"], name="fair_registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.fair_id}: {self.worker_id}"
