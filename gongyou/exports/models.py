"""Export jobs: one requested export of one list, its file and its lifecycle.

The file lives outside the web root under EXPORTS_DIR (default var/exports) and is served only
through the download view and API route, which check access and audit every download.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ExportFormat, ExportHeaders, ExportKind, ExportStatus


class ExportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    # The list's filter dataclass (WorkerFilter, StationFilter, VisitFilter, CaseFilter) as
    # JSON, every field included, so the export reproduces exactly what the list showed.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # The case queue's free-text search (not part of CaseFilter); blank for the other lists.
    search = models.CharField(_("search text"), max_length=100, blank=True)
    headers = models.CharField(
        _("header row"), max_length=8, choices=ExportHeaders.choices, default=ExportHeaders.LABELS
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    reveal = models.BooleanField(_("personal data revealed"), default=False)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExportStatus.choices,
        default=ExportStatus.PENDING,
        db_index=True,
    )
    error = models.TextField(_("error"), blank=True)
    row_count = models.PositiveBigIntegerField(_("rows"), default=0)
    file_name = models.CharField(_("stored as"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("export")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "created_at"], name="export_creator_idx"),
            models.Index(fields=["organisation", "created_at"], name="export_org_idx"),
        ]

    def __str__(self) -> str:
        return f"export #{self.pk} {self.kind}.{self.format} ({self.status})"

    @property
    def download_name(self) -> str:
        return f"gongyou-{self.kind}-{self.created_at:%Y%m%d-%H%M}-{self.pk}.{self.format}"

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.PENDING, ExportStatus.RUNNING)
