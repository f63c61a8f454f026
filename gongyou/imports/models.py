"""Import jobs (one uploaded file, its progress checkpoint and counts) and their row errors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ImportKind, ImportStatus

# Rows per batch: one transaction and checkpoint each. Larger batches write each index page
# fewer times (measured on SQLite, 200,000 workers: 7,000 rows/s at 1,000, 8,400 at 5,000);
# a killed run redoes at most one batch, and the progress page moves every few seconds at most.
DEFAULT_BATCH = 5000


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=ImportKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ImportStatus.choices,
        default=ImportStatus.PENDING,
        db_index=True,
    )
    original_name = models.CharField(_("file name"), max_length=200)
    storage_name = models.CharField(_("stored as"), max_length=100)
    file_format = models.CharField(_("format"), max_length=8)  # csv | xlsx
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    size = models.BigIntegerField(_("file size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    batch_size = models.PositiveIntegerField(_("batch size"), default=DEFAULT_BATCH)
    # Data rows (after the header) whose outcome is committed; a resumed run skips them.
    committed_rows = models.BigIntegerField(_("rows done"), default=0)
    total = models.BigIntegerField(_("rows"), default=0)
    created = models.BigIntegerField(_("created"), default=0)
    updated = models.BigIntegerField(_("updated"), default=0)
    unchanged = models.BigIntegerField(_("unchanged"), default=0)
    invalid = models.BigIntegerField(_("invalid"), default=0)
    duplicate_in_file = models.BigIntegerField(_("duplicates in the file"), default=0)
    conflicts = models.BigIntegerField(_("conflicts"), default=0)
    unknown_columns = models.JSONField(_("unknown columns"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The run that holds the job: a second task for the same job sees it and stops.
    runner = models.CharField(_("runner"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    region_code = models.CharField(_("region"), max_length=6, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["organisation", "id"], name="import_org_idx"),
            models.Index(fields=["region_code", "id"], name="import_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name} ({self.status})"

    @property
    def done_rows(self) -> int:
        return (
            self.created
            + self.updated
            + self.unchanged
            + self.invalid
            + self.duplicate_in_file
            + self.conflicts
        )

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == ImportStatus.COMPLETED else 0
        return min(100, int(self.done_rows * 100 / self.total))


class ImportRowError(models.Model):
    """One problem with one cell (or a whole row when `column` is empty)."""

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="errors", verbose_name=_("import")
    )
    row = models.BigIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=100, blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)
    code = models.CharField(_("code"), max_length=64)
    message = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("import error")
        ordering = ["job", "row", "id"]
        indexes = [models.Index(fields=["job", "row"], name="import_error_job_idx")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row} {self.column} {self.code}"
