"""Export vocabularies and the export-job lifecycle (docs/domains/exports.md draws TRANSITIONS)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    WORKERS = "workers", _("Workers")
    STATIONS = "stations", _("Stations")
    VISITS = "visits", _("Visits")
    CASES = "cases", _("Cases")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (UTF-8)"
    XLSX = "xlsx", "Excel (.xlsx)"
    PARQUET = "parquet", "Parquet"


class ExportHeaders(models.TextChoices):
    """The header row of CSV and xlsx: column names in the job's language, or the stable keys."""

    LABELS = "labels", _("Column names in my language")
    KEYS = "keys", _("Stable English column keys")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


# The one lifecycle table: {from: allowed targets}. `export_transition` is the only writer.
TRANSITIONS: dict[str, frozenset[str]] = {
    ExportStatus.PENDING: frozenset({ExportStatus.RUNNING, ExportStatus.FAILED}),
    ExportStatus.RUNNING: frozenset({ExportStatus.COMPLETED, ExportStatus.FAILED}),
    ExportStatus.FAILED: frozenset({ExportStatus.PENDING, ExportStatus.EXPIRED}),
    ExportStatus.COMPLETED: frozenset({ExportStatus.EXPIRED}),
    ExportStatus.EXPIRED: frozenset(),
}


def diagram() -> str:
    """The lifecycle as a Mermaid state diagram (embedded in docs/domains/exports.md)."""
    lines = ["```mermaid", "stateDiagram-v2", "    [*] --> pending"]
    for source, targets in TRANSITIONS.items():
        lines.extend(f"    {source} --> {target}" for target in sorted(targets))
    lines += ["    expired --> [*]", "```"]
    return "\n".join(lines) + "\n"
