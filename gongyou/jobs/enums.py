"""Jobs vocabularies and the two lifecycles (referrals and vacancies) as transition tables.

docs/domains/jobs.md draws REFERRAL_TRANSITIONS and VACANCY_TRANSITIONS; a test keeps them equal.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.enums import Role

# Users of an organisation of kind `employer` that is linked to an employer (EmployerAccount)
# act in jobs as this pseudo-role only, whatever roles their account carries.
EMPLOYER_USER = "employer_user"


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class ContractType(models.TextChoices):
    FIXED_TERM = "fixed_term", _("Fixed-term labour contract")
    OPEN_ENDED = "open_ended", _("Open-ended labour contract")
    TASK_BASED = "task_based", _("Contract for a specific task")
    PART_TIME = "part_time", _("Part-time")
    DISPATCH = "dispatch", _("Labour dispatch")
    SEASONAL = "seasonal", _("Seasonal or temporary")


class SocialInsurance(models.TextChoices):
    """What the employer pays: the five social insurances (五险), plus the housing fund (一金)."""

    FULL_WITH_FUND = "five_plus_fund", _("Five social insurances and housing fund")
    FULL = "five", _("Five social insurances")
    WORK_INJURY_ONLY = "work_injury", _("Work-injury insurance only")
    NONE = "none", _("None")


class HousingMeals(models.TextChoices):
    BOTH = "both", _("Housing and meals provided")
    HOUSING = "housing", _("Housing provided")
    MEALS = "meals", _("Meals provided")
    ALLOWANCE = "allowance", _("Housing or meal allowance")
    NONE = "none", _("Neither")


class ShiftPattern(models.TextChoices):
    DAY = "day", _("Day shift")
    TWO_SHIFTS = "two_shifts", _("Two rotating shifts")
    THREE_SHIFTS = "three_shifts", _("Three rotating shifts")
    NIGHT = "night", _("Night shift")
    FLEXIBLE = "flexible", _("Flexible hours")


class SeekerStatus(models.TextChoices):
    SEEKING = "seeking", _("Looking for work")
    PAUSED = "paused", _("Not looking now")
    PLACED = "placed", _("Placed in a job")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    INTERVIEWED = "interviewed", _("Interviewed")
    OFFERED = "offered", _("Offered")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReferralSource(models.TextChoices):
    OFFICER = "officer", _("Referred by an officer")
    APPLICATION = "application", _("Application by the worker")
    JOB_FAIR = "job_fair", _("Job fair")


class FollowUpStatus(models.TextChoices):
    DUE = "due", _("To do")
    ANSWERED = "answered", _("Answered")
    UNREACHABLE = "unreachable", _("Could not reach the worker")


class FairStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


FOLLOW_UP_MONTHS = (3, 6, 12)
"""Retention follow-ups after a placement starts, in months."""

# --- Lifecycles -----------------------------------------------------------------------------
# {from: {to: roles allowed to make that move}}. referral_transition / vacancy_transition are
# the only writers of status. Employer users move their own referrals through interview and
# offer; only officers record that a worker withdrew.
OFFICERS = frozenset({Role.EMPLOYMENT_OFFICER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
FRONT = OFFICERS | {Role.STATION_STAFF}
BOTH = OFFICERS | {EMPLOYER_USER}
R = ReferralStatus
REFERRAL_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    R.REFERRED: {R.INTERVIEWED: BOTH, R.OFFERED: BOTH, R.DECLINED: BOTH, R.WITHDRAWN: FRONT},
    R.INTERVIEWED: {R.OFFERED: BOTH, R.DECLINED: BOTH, R.WITHDRAWN: FRONT},
    R.OFFERED: {R.HIRED: BOTH, R.DECLINED: BOTH, R.WITHDRAWN: FRONT},
}
REFERRAL_OPEN = frozenset({R.REFERRED, R.INTERVIEWED, R.OFFERED})
REFERRAL_FINISHED = frozenset({R.HIRED, R.DECLINED, R.WITHDRAWN})

V = VacancyStatus
VACANCY_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    V.DRAFT: {V.OPEN: BOTH, V.CLOSED: BOTH},
    V.OPEN: {V.FILLED: BOTH, V.CLOSED: BOTH},
    V.FILLED: {V.OPEN: BOTH, V.CLOSED: BOTH},
    V.CLOSED: {V.OPEN: BOTH},
}

F = FairStatus
FAIR_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    F.PLANNED: {F.HELD: OFFICERS, F.CANCELLED: OFFICERS},
}
