"""Public-service tables: the catalogue per city as versioned data, a worker's family members,
referrals to the responsible department, and integration activities with their registrations.

A catalogue version's `conditions` are the settlement engine's condition data, validated by
`gongyou.settlement.rules.conditions_clean` (ADR 0012): one rule language for both apps. Its
fields in common with a settlement policy version (number, status, dates in force, conditions,
source and trust, edit version, stamps) come from `settlement.models.VersionedRuleSet`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongyou.core.models import TimeStampedModel
from gongyou.settlement.models import VersionedRuleSet

from .enums import (
    ActivityKind,
    ActivityStatus,
    Audience,
    Beneficiary,
    ReferralStatus,
    RegistrationStatus,
    Relation,
    SchoolStage,
    ServiceKind,
)


class PublicService(TimeStampedModel):
    """One service in one prefecture-level city; what it requires lives in its versions."""

    city = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    kind = models.CharField(_("service"), max_length=32, choices=ServiceKind.choices)
    name = models.CharField(_("name"), max_length=160)

    class Meta:
        verbose_name = _("public service")
        ordering = ["city", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "kind", "name"], name="pubservice_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceVersion(VersionedRuleSet):
    """What a service requires from `effective_from` to `effective_to` (inclusive), who runs it,
    what to bring and how to apply. Published versions are frozen; at most one is in force."""

    service = models.ForeignKey(
        PublicService, on_delete=models.CASCADE, related_name="versions", verbose_name=_("service")
    )
    beneficiary = models.CharField(
        _("for"), max_length=8, choices=Beneficiary.choices, default=Beneficiary.WORKER
    )
    department = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    department_name = models.CharField(_("department (name)"), max_length=200, blank=True)
    open_to_all = models.BooleanField(_("open to every resident (no conditions)"), default=False)
    needs_points = models.BooleanField(
        _("needs the city's residence-permit points standard"), default=False
    )
    documents = models.JSONField(_("documents to bring"), default=list, blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)

    class Meta:
        verbose_name = _("public-service version")
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="pubservice_version_number"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="pubservice_version_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "status", "effective_from"], name="pubservice_ver_idx")
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.number}"

    @property
    def department_label(self) -> str:
        if self.department_id:
            return self.department.name  # type: ignore[union-attr]
        return self.department_name


class FamilyMember(TimeStampedModel):
    """A member of a worker's family, registered for services that are theirs (school places)."""

    worker = models.ForeignKey(
        "workers.Worker",
        on_delete=models.CASCADE,
        related_name="family_members",
        verbose_name=_("worker"),
    )
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=50)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    school_stage = models.CharField(
        _("school stage"), max_length=20, choices=SchoolStage.choices, blank=True
    )
    lives_with_worker = models.BooleanField(_("lives with the worker"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("family member")
        ordering = ["worker", "relation", "birth_date", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


class Referral(TimeStampedModel):
    """Staff send a worker (or a family member) to the department responsible for a service."""

    worker = models.ForeignKey(
        "workers.Worker",
        on_delete=models.CASCADE,
        related_name="service_referrals",
        verbose_name=_("worker"),
    )
    family_member = models.ForeignKey(
        FamilyMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("for family member"),
    )
    service = models.ForeignKey(
        PublicService, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    service_version = models.ForeignKey(
        ServiceVersion,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("catalogue version"),
    )
    city = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    department = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_referrals",
        verbose_name=_("department"),
    )
    department_name = models.CharField(_("department (name)"), max_length=200, blank=True)
    referred_by_org = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred by organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("referred by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    note = models.TextField(_("note for the department"), blank=True)
    reason = models.TextField(_("reason (for a refusal)"), blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    availability = models.CharField(_("answer when referred"), max_length=20, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("service referral")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"], name="referral_dept_status_idx"),
            models.Index(fields=["city", "status"], name="referral_city_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} → {self.service} ({self.status})"

    @property
    def department_label(self) -> str:
        if self.department_id:
            return self.department.name  # type: ignore[union-attr]
        return self.department_name


class Activity(TimeStampedModel):
    """An integration activity run by a union or a station: a cultural event, a family day, a
    summer child-care class for workers' children, a city orientation for newcomers.

    `places_taken` counts the registrations holding a place; it moves only through the
    registration services by conditional UPDATEs, and the CHECK constraint makes over-booking
    impossible (the pattern of training's course seats, ADR 0007)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser"),
    )
    station = models.ForeignKey(
        "stations.Station",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("station"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    places = models.PositiveIntegerField(_("places"))
    places_taken = models.PositiveIntegerField(_("places taken"), default=0)
    waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    registration_opens_on = models.DateField(_("registration opens on"))
    registration_closes_on = models.DateField(_("registration closes on"))
    audience = models.CharField(
        _("for"), max_length=10, choices=Audience.choices, default=Audience.WORKERS
    )
    child_age_min = models.PositiveSmallIntegerField(_("children from age"), null=True, blank=True)
    child_age_max = models.PositiveSmallIntegerField(_("children up to age"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("integration activity")
        verbose_name_plural = _("integration activities")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(places_taken__lte=models.F("places")),
                name="activity_places_not_overbooked",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="activity_times"
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes_on__gte=models.F("registration_opens_on")),
                name="activity_registration_window",
            ),
            models.CheckConstraint(
                condition=models.Q(audience=Audience.WORKERS)
                | models.Q(
                    child_age_min__isnull=False,
                    child_age_max__isnull=False,
                    child_age_max__gte=models.F("child_age_min"),
                ),
                name="activity_child_ages",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "starts_at"], name="activity_region_idx"),
            models.Index(fields=["status", "starts_at"], name="activity_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_free(self) -> int:
        return max(self.places - self.places_taken, 0)


class ActivityRegistration(TimeStampedModel):
    """A worker (or, for a children's activity, one of their registered children) signed up for
    an activity; attendance and the attendee's feedback are recorded on it."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("activity"),
    )
    worker = models.ForeignKey(
        "workers.Worker",
        on_delete=models.CASCADE,
        related_name="activity_registrations",
        verbose_name=_("worker"),
    )
    family_member = models.ForeignKey(
        FamilyMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_registrations",
        verbose_name=_("child"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    holds_place = models.BooleanField(_("holds a place"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    attendance_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("activity registration")
        ordering = ["activity", "created_at", "id"]
        constraints = [
            # One live registration per worker (or per child) and activity.
            models.UniqueConstraint(
                fields=["activity", "worker"],
                condition=models.Q(family_member__isnull=True)
                & ~models.Q(status=RegistrationStatus.CANCELLED),
                name="activity_reg_worker_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "family_member"],
                condition=models.Q(family_member__isnull=False)
                & ~models.Q(status=RegistrationStatus.CANCELLED),
                name="activity_reg_child_once",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__gte=1, rating__lte=5, status=RegistrationStatus.ATTENDED),
                name="activity_reg_rating_by_attendee",
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "status"], name="activity_reg_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.worker_id} ({self.status})"
