"""Import kinds and the import job's lifecycle (a transition table, STYLE habit 6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    WORKERS = "workers", _("Workers (with certificates)")
    STATIONS = "stations", _("Service stations")
    VISITS = "visits", _("Service visits")
    SETTLEMENT_HISTORY = (
        "settlement-history",
        _("Settlement histories (social insurance and residence)"),
    )


class HistoryRecord(models.TextChoices):
    """What one row of a settlement-history file records (the `record` column)."""

    CONTRIBUTION = "contribution", _("Social-insurance contribution")
    RESIDENCE = "residence", _("Residence")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    INTERRUPTED = "interrupted", _("Interrupted")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.PENDING: frozenset(
        {ImportStatus.RUNNING, ImportStatus.FAILED, ImportStatus.CANCELLED}
    ),
    ImportStatus.RUNNING: frozenset(
        {
            ImportStatus.COMPLETED,
            ImportStatus.FAILED,
            ImportStatus.CANCELLED,
            ImportStatus.INTERRUPTED,
        }
    ),
    ImportStatus.INTERRUPTED: frozenset(
        {ImportStatus.RUNNING, ImportStatus.FAILED, ImportStatus.CANCELLED}
    ),
    ImportStatus.COMPLETED: frozenset(),
    ImportStatus.FAILED: frozenset(),
    ImportStatus.CANCELLED: frozenset(),
}
FINISHED = frozenset({ImportStatus.COMPLETED, ImportStatus.FAILED, ImportStatus.CANCELLED})
