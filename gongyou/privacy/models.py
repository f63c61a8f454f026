"""Retention rules (editable data over code defaults), legal holds, and key-rotation runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import RecordClass, RekeyStatus


class RetentionRule(models.Model):
    """An administrator's setting for one record class; without a row the default applies
    (enums.DEFAULTS). `state` is the rule's checkpoint (e.g. the last audit row redacted)."""

    record_class = models.CharField(
        _("records"), max_length=32, choices=RecordClass.choices, unique=True
    )
    keep_days = models.PositiveIntegerField(_("keep for (days)"))
    enabled = models.BooleanField(_("applied daily"), default=True)
    state = models.JSONField(_("checkpoint"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("retention rule")
        ordering = ["record_class"]
        constraints = [
            models.CheckConstraint(condition=models.Q(keep_days__gte=1), name="retention_days_min")
        ]

    def __str__(self) -> str:
        return f"{self.record_class}: {self.keep_days} days"


class LegalHold(models.Model):
    """While active (not released) the worker is not anonymised, whatever the rules say."""

    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    reason = models.CharField(_("reason"), max_length=300)
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("placed by"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("released by"),
    )
    release_reason = models.CharField(_("why released"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["worker", "released_at"], name="legal_hold_worker_idx")]

    def __str__(self) -> str:
        return f"{self.worker_id} {'released' if self.released_at else 'active'}"


class RekeyRun(models.Model):
    """One re-encryption of every `*_enc` column under the primary key. `checkpoint` holds, per
    column ("app.Model.field"), the last primary key done, or "done"; a stopped run resumes
    there. At most one run is running."""

    status = models.CharField(
        _("status"), max_length=8, choices=RekeyStatus.choices, default=RekeyStatus.RUNNING
    )
    key_id = models.CharField(_("target key"), max_length=16)
    batch_size = models.PositiveIntegerField(_("batch size"), default=2000)
    checkpoint = models.JSONField(_("checkpoint"), default=dict, blank=True)
    rewritten = models.JSONField(_("values re-encrypted"), default=dict, blank=True)
    skipped = models.JSONField(_("changed meanwhile"), default=dict, blank=True)
    batches = models.PositiveIntegerField(_("batches"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("key rotation run")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="running"),
                name="rekey_one_running",
            )
        ]

    def __str__(self) -> str:
        return f"rekey {self.pk} to {self.key_id} ({self.status})"

    @property
    def total_rewritten(self) -> int:
        return sum(self.rewritten.values())
