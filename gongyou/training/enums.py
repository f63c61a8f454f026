"""Training vocabularies and the three lifecycles (docs/domains/training.md draws them).

Each lifecycle is a table {from: {to: roles allowed to make that move}}; the one
`<entity>_transition` service is the only writer of the status, and a test walks every edge.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.enums import Role


class CampaignKind(models.TextChoices):
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training campaign")
    EDUCATION_UPGRADE = "education_upgrade", _("Education upgrade (求学圆梦)")


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ENROLLED = "enrolled", _("Enrolled")
    IN_TRAINING = "in_training", _("In training")
    COMPLETED = "completed", _("Completed")
    ASSESSED_PASS = "assessed_pass", _("Assessed: pass")
    ASSESSED_FAIL = "assessed_fail", _("Assessed: fail")
    CERTIFIED = "certified", _("Certified")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DROPPED = "dropped", _("Dropped out")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


class StudyStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    STUDYING = "studying", _("Studying")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InstitutionKind(models.TextChoices):
    """Providers named by the 2025 opinion on 求学圆梦 (domain facts §2.5)."""

    OPEN_UNIVERSITY = "open_university", _("Open university")
    UNIVERSITY = "university", _("University or college")
    VOCATIONAL_COLLEGE = "vocational_college", _("Vocational and technical college")
    CRAFTSMAN_COLLEGE = "craftsman_college", _("Craftsman college (工匠学院)")
    ENTERPRISE = "enterprise", _("Enterprise")


class ProgrammeLevel(models.TextChoices):
    """Degree levels of higher-education continuing study; values are workers' EducationLevel."""

    JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
    BACHELOR = "bachelor", _("Bachelor's degree (本科)")


class DiplomaKind(models.TextChoices):
    """Diplomas named by the eligibility template of national occupational skill standards
    (domain facts §2.1). The worker declares which they hold *in a field relevant to the
    occupation*; the registry's education level does not say whether it is relevant."""

    TECHNICAL_SCHOOL = "technical_school", _("Technical school (技工学校)")
    SECONDARY_VOCATIONAL = (
        "secondary_vocational",
        _("Secondary vocational school assessed as training to intermediate level"),
    )
    ADVANCED_TECHNICAL_SCHOOL = "advanced_technical_school", _("Advanced technical school")
    TECHNICIAN_COLLEGE = "technician_college", _("Technician college (技师学院)")
    HIGHER_VOCATIONAL = (
        "higher_vocational",
        _("Higher vocational college assessed as training to senior level"),
    )
    JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")


class ConditionType(models.TextChoices):
    """The building blocks of an eligibility route (all conditions of a route must hold)."""

    YEARS_IN_OCCUPATION = "years_in_occupation", _("Years of work in the occupation")
    APPRENTICESHIP = "apprenticeship", _("Completed apprenticeship")
    HOLDS_LEVEL = "holds_level", _("Holds a skill level in the occupation")
    DIPLOMA = "diploma", _("Relevant diploma")


class Trust(models.TextChoices):
    """How far a rule can be trusted (domain facts: [V] verified, [S] secondary, [U] unverified)."""

    VERIFIED = "V", _("Verified")
    SECONDARY = "S", _("Secondary source: re-check against the standard")
    UNVERIFIED = "U", _("Unverified: check before relying on it")


# --- Lifecycles -------------------------------------------------------------------------------
E = EnrolmentStatus
# Programme officers and administrators; a training provider's own staff hold the programme
# officer role in their provider organisation (policies narrow them to their own courses).
MANAGE = frozenset({Role.PROGRAMME_OFFICER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
# Front-desk and employment staff may apply a worker for a course and withdraw the application.
APPLY = MANAGE | {Role.STATION_STAFF, Role.EMPLOYMENT_OFFICER}

ENROLMENT_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    E.APPLIED: {E.ENROLLED: MANAGE, E.WITHDRAWN: APPLY},
    E.ENROLLED: {E.IN_TRAINING: MANAGE, E.WITHDRAWN: APPLY},
    E.IN_TRAINING: {E.COMPLETED: MANAGE, E.DROPPED: MANAGE},
    E.COMPLETED: {E.ASSESSED_PASS: MANAGE, E.ASSESSED_FAIL: MANAGE},
    # A failed trainee may sit the assessment again.
    E.ASSESSED_FAIL: {E.ASSESSED_PASS: MANAGE},
    E.ASSESSED_PASS: {E.CERTIFIED: MANAGE},
}
ENROLMENT_START = E.APPLIED
ENROLMENT_ENDS = (E.CERTIFIED, E.ASSESSED_FAIL, E.WITHDRAWN, E.DROPPED)
# A seat is held from enrolment on; leaving before the end (withdrawn, dropped) frees it.
SEAT_HOLDING = frozenset(
    {E.ENROLLED, E.IN_TRAINING, E.COMPLETED, E.ASSESSED_PASS, E.ASSESSED_FAIL, E.CERTIFIED}
)
# Progress counts (domain docs: "Progress against targets").
TRAINED = frozenset({E.IN_TRAINING, E.COMPLETED, E.ASSESSED_PASS, E.ASSESSED_FAIL, E.CERTIFIED})
COMPLETED = frozenset({E.COMPLETED, E.ASSESSED_PASS, E.ASSESSED_FAIL, E.CERTIFIED})
INACTIVE = frozenset({E.WITHDRAWN, E.DROPPED})

C = ClaimStatus
CLAIM_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    C.SUBMITTED: {C.APPROVED: MANAGE, C.REJECTED: MANAGE},
    C.APPROVED: {C.PAID: MANAGE},
}
CLAIM_START = C.SUBMITTED
CLAIM_ENDS = (C.PAID, C.REJECTED)

S = StudyStatus
STUDY_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.APPLIED: {S.STUDYING: MANAGE, S.WITHDRAWN: MANAGE},
    S.STUDYING: {S.GRADUATED: MANAGE, S.WITHDRAWN: MANAGE},
}
STUDY_START = S.APPLIED
STUDY_ENDS = (S.GRADUATED, S.WITHDRAWN)
# Funded for study: admitted with a union tuition subsidy.
FUNDED = frozenset({S.STUDYING, S.GRADUATED})
# The four measures of campaign targets (CampaignTarget fields, progress rows).
TARGET_MEASURES = ("trained", "completed", "certified", "funded_study")
