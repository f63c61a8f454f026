"""Every write of the cases app (a package: see the modules for each area)."""

from .alert import arrears_evaluate, cases_daily_run, notification_mark_read, notify
from .attachment import attachment_add, attachment_open
from .case import (
    case_assign,
    case_note,
    case_refer,
    case_transfer,
    case_transition,
    claimant_add,
    claimant_record_outcome,
)
from .common import CaseChanged, CaseTransitionNotAllowed
from .deadline import calendar_day_set, deadline_extend, deadline_meet, deadlines_recompute
from .intake import case_intake
from .project import project_set_arrears_flag
from .self_service import case_file_by_worker, case_handling_organisation

__all__ = [
    "CaseChanged",
    "CaseTransitionNotAllowed",
    "arrears_evaluate",
    "attachment_add",
    "attachment_open",
    "calendar_day_set",
    "case_assign",
    "case_file_by_worker",
    "case_handling_organisation",
    "case_intake",
    "case_note",
    "case_refer",
    "case_transfer",
    "case_transition",
    "cases_daily_run",
    "claimant_add",
    "claimant_record_outcome",
    "deadline_extend",
    "deadline_meet",
    "deadlines_recompute",
    "notification_mark_read",
    "notify",
    "project_set_arrears_flag",
]
