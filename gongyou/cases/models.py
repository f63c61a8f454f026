"""Rights-protection cases: claimants, respondents and projects, the timeline, deadlines,
notifications, and the administrators' holiday calendar."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyou.core.models import TimeStampedModel

from .enums import (
    AttachmentKind,
    CaseEventKind,
    CaseStatus,
    CaseType,
    Channel,
    ClaimantOutcome,
    DeadlineKind,
    DeadlineStatus,
    DeadlineUnit,
    NotificationKind,
    PlatformIssue,
    Resolution,
    RespondentRole,
)


class Case(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    type = models.CharField(_("type"), max_length=24, choices=CaseType.choices, db_index=True)
    platform_issue = models.CharField(
        _("platform issue"), max_length=24, choices=PlatformIssue.choices, blank=True
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=32, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    # Optimistic concurrency: every change sends the version it read and bumps it.
    version = models.PositiveIntegerField(_("version"), default=1)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling organisation"),
    )
    intake_station = models.ForeignKey(
        "stations.Station",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("intake station"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handler"),
    )
    referred_to = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred to"),
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    incident_on = models.DateField(_("accident or diagnosis date"), null=True, blank=True)
    infringement_known_on = models.DateField(_("infringement known on"), null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=32, choices=Resolution.choices, blank=True
    )
    is_collective = models.BooleanField(_("collective case"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("taken in by"),
    )

    class Meta:
        verbose_name = _("case")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="case_region_status_idx"),
            models.Index(fields=["organisation", "status"], name="case_org_status_idx"),
            models.Index(fields=["referred_to", "status"], name="case_referred_idx"),
            models.Index(fields=["assigned_to", "status"], name="case_assignee_idx"),
            models.Index(fields=["intake_station", "received_at"], name="case_station_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class Claimant(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="claimants", verbose_name=_("case")
    )
    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    amount_claimed = models.DecimalField(
        _("amount claimed (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    amount_recovered = models.DecimalField(
        _("amount recovered (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=ClaimantOutcome.choices,
        default=ClaimantOutcome.PENDING,
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("claimant")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "worker"], name="claimant_unique_worker"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="claimant_satisfaction_1_5",
            ),
        ]
        indexes = [models.Index(fields=["worker"], name="claimant_worker_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.worker_id}"


class Project(TimeStampedModel):
    """A construction project: the general contractor answers for its subcontractors' wages
    (2020 wage regulation, Art. 30)."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    general_contractor = models.ForeignKey(
        "employers.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("general contractor"),
    )
    subcontractors = models.ManyToManyField(
        "employers.Employer", blank=True, related_name="+", verbose_name=_("subcontractors")
    )
    arrears_flagged = models.BooleanField(_("flagged for wage arrears"), default=False)
    arrears_flag_reason = models.CharField(_("flag reason"), max_length=300, blank=True)
    arrears_flag_changed_at = models.DateTimeField(_("flag changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class Respondent(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="respondents", verbose_name=_("case")
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    role = models.CharField(_("role"), max_length=24, choices=RespondentRole.choices)
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="respondents",
        verbose_name=_("project"),
    )

    class Meta:
        verbose_name = _("respondent")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "employer", "role"], name="respondent_unique_role"
            )
        ]
        indexes = [models.Index(fields=["employer"], name="respondent_employer_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.employer_id} ({self.role})"


class CaseEvent(models.Model):
    """One entry of the case timeline (the audit log holds the same change, per claimant)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CaseEventKind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    summary = models.CharField(_("summary"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case event")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d}"


class Deadline(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DeadlineKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    trust = models.CharField(_("trust"), max_length=1)
    start_date = models.DateField(_("start date"))
    unit = models.CharField(_("unit"), max_length=16, choices=DeadlineUnit.choices)
    length = models.PositiveSmallIntegerField(_("length"))
    extended_by = models.PositiveSmallIntegerField(_("extended by"), default=0)
    due_date = models.DateField(_("due date"))
    calendar_missing = models.BooleanField(_("holiday calendar missing"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    met_at = models.DateTimeField(_("recorded as met at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="deadline_open_due_idx"),
            models.Index(fields=["case", "status"], name="deadline_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.due_date}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    text = models.CharField(_("text"), max_length=300)
    # Makes the daily task idempotent: one notification per recipient and key.
    key = models.CharField(_("key"), max_length=80)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.case_id}"


class HolidayCalendarDay(models.Model):
    """An administrator's entry from the State Council's annual holiday notice: a holiday
    (not a working day) or an adjusted working day. Overrides the package; any row for a year
    the package lacks makes that year known (enter the whole notice)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday calendar day")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'work' if self.is_working_day else 'holiday'}"


class Attachment(models.Model):
    """A piece of evidence. The bytes live outside the web root under CASE_ATTACHMENTS_DIR."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(_("stored as"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence attachment")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.original_name}"
