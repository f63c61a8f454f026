"""Award rounds with quotas per nominating organisation, nominations (registry workers or people
outside the registry), their evidence, timeline and objections raised during public notice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongyou.core.models import TimeStampedModel

from .enums import (
    AwardType,
    EvidenceKind,
    NominationEventKind,
    NominationStatus,
    ObjectionStatus,
    ReviewStep,
)


class AwardRound(TimeStampedModel):
    award_type = models.CharField(_("award"), max_length=32, choices=AwardType.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser"),
    )
    # The organiser's region when the round was opened (empty = a national round).
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    nominations_close_on = models.DateField(_("nominations close on"))
    notice_starts_on = models.DateField(_("public notice starts on"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice ends on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
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
        verbose_name = _("award round")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["region", "year"], name="round_region_year_idx")]

    def __str__(self) -> str:
        return self.title


class RoundQuota(models.Model):
    round = models.ForeignKey(
        AwardRound, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("round")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nominating organisation"),
    )
    quota = models.PositiveIntegerField(_("quota"))

    class Meta:
        verbose_name = _("quota")
        ordering = ["organisation_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="quota_unique_org")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.organisation_id}: {self.quota}"


class Nomination(TimeStampedModel):
    round = models.ForeignKey(
        AwardRound, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("round")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nominating organisation"),
    )
    # A registry worker (a migrant worker), or empty for a person outside the registry. Whether
    # a nominee counts as a migrant worker is read from this link, never entered by hand.
    worker = models.ForeignKey(
        "workers.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("worker"),
    )
    nominee_name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    nominee_unit = models.CharField(_("work unit"), max_length=200)
    nominee_position = models.CharField(_("position or trade"), max_length=100, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.SUBMITTED,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nominated by"),
    )

    class Meta:
        verbose_name = _("nomination")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["round", "status"], name="nomination_round_status_idx"),
            models.Index(fields=["region", "status"], name="nomination_region_idx"),
            models.Index(fields=["organisation", "round"], name="nomination_org_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "worker"],
                condition=models.Q(worker__isnull=False),
                name="nomination_unique_worker_per_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} ({self.round_id})"

    @property
    def is_migrant_worker(self) -> bool:
        return self.worker_id is not None


class NominationEvent(models.Model):
    """The nomination's timeline: every change, review decision, evidence and objection."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="events", verbose_name=_("nomination")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NominationEventKind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    step = models.CharField(_("review step"), max_length=16, choices=ReviewStep.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nomination event")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.kind} {self.summary}"


class NominationEvidence(models.Model):
    """A supporting file: content-checked, stored outside the web root, downloads audited."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("nomination")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(_("storage name"), max_length=100, unique=True)
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
        verbose_name = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Objection(models.Model):
    """An objection received during the public notice, and how it was handled."""

    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("nomination"),
    )
    received_on = models.DateField(_("received on"))
    objector = models.CharField(_("objector (may be anonymous)"), max_length=100, blank=True)
    content = models.TextField(_("objection"))
    status = models.CharField(
        _("status"), max_length=12, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    handling_note = models.TextField(_("findings and handling"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.status}"
