"""Every write of the jobs app (one module per entity, re-exported here)."""

from .account import employer_account_link
from .common import EmployerFlagged, RecordChanged, TransitionNotAllowed
from .fair import (
    AlreadyAdded,
    FairClosed,
    fair_add_employer,
    fair_add_vacancy,
    fair_create,
    fair_mark_attended,
    fair_register_worker,
    fair_transition,
)
from .followup import FollowUpAnswered, add_months, followup_answer, followups_create_due
from .referral import (
    ReferralExists,
    VacancyNotOpen,
    best_score,
    placement_record,
    referral_apply_by_worker,
    referral_create,
    referral_transition,
    wage_before_for,
)
from .seeker import seeker_entries, seeker_index_refresh, seeker_profile_save
from .vacancy import vacancy_create, vacancy_transition, vacancy_update

__all__ = [
    "AlreadyAdded",
    "EmployerFlagged",
    "FairClosed",
    "FollowUpAnswered",
    "RecordChanged",
    "ReferralExists",
    "TransitionNotAllowed",
    "VacancyNotOpen",
    "add_months",
    "best_score",
    "employer_account_link",
    "fair_add_employer",
    "fair_add_vacancy",
    "fair_create",
    "fair_mark_attended",
    "fair_register_worker",
    "fair_transition",
    "followup_answer",
    "followups_create_due",
    "placement_record",
    "referral_apply_by_worker",
    "referral_create",
    "referral_transition",
    "seeker_entries",
    "seeker_index_refresh",
    "seeker_profile_save",
    "vacancy_create",
    "vacancy_transition",
    "vacancy_update",
    "wage_before_for",
]
