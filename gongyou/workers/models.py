"""The worker registry: workers, their skill certificates and consent records.

ID number and phone are stored encrypted (`*_enc`), with a keyed hash for exact lookup
(`*_hash`) and the display mask (`*_masked`); see docs/decisions/0002.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
from gongyou.core.models import TimeStampedModel

from .enums import ConsentMethod, ConsentPurpose, MigrationScope


class Worker(TimeStampedModel):
    national_id_enc = models.TextField(_("ID number (encrypted)"))
    national_id_hash = models.CharField(_("ID number lookup hash"), max_length=64, unique=True)
    national_id_masked = models.CharField(_("ID number"), max_length=18)
    # No index of its own: equality is served by worker_duplicate_idx (name first), partial
    # search by the trigram index on PostgreSQL (migration 0002).
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    phone_enc = models.TextField(_("mobile (encrypted)"), blank=True)
    phone_hash = models.CharField(_("mobile lookup hash"), max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("mobile"), max_length=11, blank=True)
    # Both indexed by the (region, id) indexes of Meta: a single-column one would be a twin.
    hukou_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hukou region"),
        db_index=False,
    )
    current_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("current region"),
        db_index=False,
    )
    current_address = models.CharField(_("current address"), max_length=200, blank=True)
    migration_scope = models.CharField(
        _("migration"), max_length=16, choices=MigrationScope.choices
    )
    education = models.CharField(
        _("education"), max_length=24, choices=EducationLevel.choices, blank=True
    )
    employment_form = models.CharField(
        _("employment form"), max_length=24, choices=EmploymentForm.choices, blank=True
    )
    industry = models.CharField(_("industry"), max_length=24, choices=Industry.choices, blank=True)
    occupation = models.ForeignKey(
        "classifications.Occupation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    union_member = models.BooleanField(_("trade-union member"), default=False)
    union_joined_on = models.DateField(_("joined the union on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_org = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registering organisation"),
    )
    # A merged worker keeps its row (and its ID hash, so the number stays taken) but is hidden
    # from every list and lookup; `merged_into` leads to the worker that holds its records now.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_workers",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    # Set when the identity was replaced by placeholders (workers.anonymise); never undone.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["current_region", "id"], name="worker_current_region_idx"),
            models.Index(fields=["hukou_region", "id"], name="worker_hukou_region_idx"),
            # Duplicate review groups by these (selectors.worker_duplicate_candidates).
            models.Index(
                fields=["name", "birth_date", "hukou_region"], name="worker_duplicate_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.national_id_masked})"


class SkillCertificate(TimeStampedModel):
    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("worker")
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=CertificateKind.choices,
        default=CertificateKind.SKILL_LEVEL,
    )
    occupation = models.ForeignKey(
        "classifications.Occupation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    level = models.PositiveSmallIntegerField(
        _("skill level"), choices=SkillLevel.choices, null=True, blank=True
    )
    certificate_no = models.CharField(_("certificate number"), max_length=40)
    issuing_organisation = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("skill certificate")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_organisation", "certificate_no"], name="certificate_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_no} {self.occupation_id} L{self.level}"


class Consent(models.Model):
    """One consent decision (granted or withdrawn) for one purpose; the latest row counts."""

    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="consents", verbose_name=_("worker")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    method = models.CharField(_("method"), max_length=8, choices=ConsentMethod.choices)
    notice_version = models.CharField(_("privacy notice version"), max_length=20, default="2026-1")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("consent")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["worker", "purpose", "recorded_at"], name="consent_worker_idx")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.purpose} {'granted' if self.granted else 'withdrawn'}"


class WorkerMerge(models.Model):
    """One merge of two workers: which rows were re-pointed from `merged` to `kept`, so that an
    undo moves exactly those back. `moved` is {model label: [pks]}."""

    kept = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="merges_kept", verbose_name=_("kept worker")
    )
    merged = models.ForeignKey(
        Worker,
        on_delete=models.PROTECT,
        related_name="merges_merged",
        verbose_name=_("merged worker"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("merged by"),
    )
    at = models.DateTimeField(_("merged at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200)
    moved = models.JSONField(_("moved records"), default=dict)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        verbose_name = _("worker merge")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.kept_id}"
