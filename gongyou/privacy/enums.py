"""Privacy vocabularies: the record classes retention rules govern, legal holds, rekey runs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RecordClass(models.TextChoices):
    WITHDRAWN_WORKERS = "withdrawn_workers", _("Workers who withdrew registration consent")
    ANONYMOUS_VISIT_NOTES = "anonymous_visit_notes", _("Notes of anonymous visits")
    CLOSED_CASES = "closed_cases", _("Closed cases: description, reasons, evidence files")
    SIGN_IN_CODES = "sign_in_codes", _("Portal sign-in codes and locks")
    IMPORT_FILES = "import_files", _("Uploaded import files and their error reports")
    AUDIT_PERSONAL_VALUES = "audit_personal_values", _("Personal values inside audit rows")


@dataclass(frozen=True)
class RuleDefault:
    keep_days: int
    action: Promise  # what happens after keep_days
    counted_from: Promise
    basis: Promise  # why this default (the project's choice unless a rule is cited)


PROJECT_CHOICE = _("Project's choice (PIPL Art. 19: no longer than necessary); change as needed.")

# Defaults when no RetentionRule row overrides them. Every value is the project's own choice:
# PIPL Art. 19 and 47 require "no longer than necessary" and deletion or anonymisation when the
# purpose is met or consent is withdrawn, but fix no periods for these records.
DEFAULTS: dict[str, RuleDefault] = {
    RecordClass.WITHDRAWN_WORKERS: RuleDefault(
        30,
        _("Anonymise the worker (identity replaced, statistics kept)"),
        _("the latest registration consent was withdrawn"),
        _(
            "Project's choice: 30 days to undo a mistaken withdrawal (PIPL Art. 47: delete or "
            "anonymise when consent is withdrawn). An open case or a legal hold postpones it."
        ),
    ),
    RecordClass.ANONYMOUS_VISIT_NOTES: RuleDefault(
        365,
        _("Empty the note"),
        _("the visit"),
        PROJECT_CHOICE,
    ),
    RecordClass.CLOSED_CASES: RuleDefault(
        5 * 365,
        _("Empty the description and the reasons of its events; delete evidence files"),
        _("the case was closed or rejected"),
        _(
            "Project's choice: five years after closing, beyond the time limits for "
            "reopening a dispute; type, amounts and outcome are kept for statistics."
        ),
    ),
    RecordClass.SIGN_IN_CODES: RuleDefault(
        30,
        _("Delete"),
        _("the code was sent, or the lock ended"),
        PROJECT_CHOICE,
    ),
    RecordClass.IMPORT_FILES: RuleDefault(
        90,
        _("Delete the uploaded file and its row errors (the import's counts stay)"),
        _("the import finished, failed or was cancelled"),
        PROJECT_CHOICE,
    ),
    RecordClass.AUDIT_PERSONAL_VALUES: RuleDefault(
        10 * 365,
        _("Replace personal values inside before/after by [redacted]; the row stays"),
        _("the audit event"),
        _(
            "Project's choice: who did what and when is kept for good; the personal values "
            "inside the audit rows only as long as they may be needed to settle a dispute."
        ),
    ),
}


class RekeyStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
