"""Every write of the training app (a package: see the modules for each area)."""

from .campaign import campaign_create, campaign_set_targets, campaign_update
from .claim import claim_submit, claim_submit_for_course, claim_transition
from .common import ClaimAlreadyMade, CourseFull, RecordChanged, TransitionNotAllowed
from .course import course_create, course_update
from .enrolment import (
    AlreadyEnrolled,
    attendance_record,
    attended_hours,
    enrolment_apply,
    enrolment_apply_by_worker,
    enrolment_transition,
    required_hours,
)
from .rules import rule_create, rule_update
from .study import (
    AlreadyStudying,
    credit_record,
    credits_earned,
    institution_create,
    programme_create,
    study_apply,
    study_transition,
)

__all__ = [
    "AlreadyEnrolled",
    "AlreadyStudying",
    "ClaimAlreadyMade",
    "CourseFull",
    "RecordChanged",
    "TransitionNotAllowed",
    "attendance_record",
    "attended_hours",
    "campaign_create",
    "campaign_set_targets",
    "campaign_update",
    "claim_submit",
    "claim_submit_for_course",
    "claim_transition",
    "course_create",
    "course_update",
    "credit_record",
    "credits_earned",
    "enrolment_apply",
    "enrolment_apply_by_worker",
    "enrolment_transition",
    "institution_create",
    "programme_create",
    "required_hours",
    "rule_create",
    "rule_update",
    "study_apply",
    "study_transition",
]
