"""Vocabularies of public services, family members, referrals and integration activities; the
referral, activity and registration lifecycles.

Catalogue versions reuse the settlement lifecycle (`VersionStatus`, `VERSION_TRANSITIONS`: draft →
published → withdrawn) so both kinds of versioned policy data behave the same (ADR 0012).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongyou.settlement.enums import VERSION_TRANSITIONS, Trust, VersionStatus

__all__ = [
    "ACTIVITY_EDITABLE",
    "ACTIVITY_TRANSITIONS",
    "ATTENDANCE",
    "PLACE_HOLDING",
    "REFERRAL_TRANSITIONS",
    "REGISTRATION_TRANSITIONS",
    "VERSION_TRANSITIONS",
    "ActivityKind",
    "ActivityStatus",
    "Audience",
    "Beneficiary",
    "ReferralStatus",
    "RegistrationStatus",
    "Relation",
    "SchoolStage",
    "ServiceKind",
    "Trust",
    "VersionStatus",
]


class ServiceKind(models.TextChoices):
    SCHOOL_ADMISSION = "school_admission", _("Compulsory-school admission for migrant children")
    ENTRANCE_EXAMS = "entrance_exams", _("Children's entrance exams (senior-secondary, college)")
    KINDERGARTEN = "kindergarten", _("Kindergarten place")
    PUBLIC_RENTAL_HOUSING = "public_rental_housing", _("Public rental housing")
    MEDICAL_INSURANCE = "medical_insurance", _("Basic medical insurance where one works")
    PENSION_INSURANCE = "pension_insurance", _("Basic pension insurance where one works")
    EMPLOYMENT_SERVICES = "employment_services", _("Public employment services")
    LEGAL_AID = "legal_aid", _("Legal aid")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    OTHER = "other", _("Other public service")


class Beneficiary(models.TextChoices):
    """Who a service is for: the worker, or a child of the worker (school, kindergarten)."""

    WORKER = "worker", _("The worker")
    CHILD = "child", _("A child of the worker")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other family member")


class SchoolStage(models.TextChoices):
    NONE = "none", _("Not in school or childcare")
    CHILDCARE = "childcare", _("Childcare (under 3)")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    JUNIOR_SECONDARY = "junior_secondary", _("Junior-secondary school")
    SENIOR_SECONDARY = "senior_secondary", _("Senior-secondary or vocational school")
    HIGHER = "higher", _("Higher education")
    LEFT_SCHOOL = "left_school", _("Left school")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    PENDING = "pending", _("Pending at the department")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The department records pending / granted / refused; the referring side may withdraw a referral
# that has no outcome yet. Granted, refused and withdrawn are final: a new need is a new referral.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.REFERRED: frozenset(
        {
            ReferralStatus.PENDING,
            ReferralStatus.GRANTED,
            ReferralStatus.REFUSED,
            ReferralStatus.WITHDRAWN,
        }
    ),
    ReferralStatus.PENDING: frozenset(
        {ReferralStatus.GRANTED, ReferralStatus.REFUSED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.GRANTED: frozenset(),
    ReferralStatus.REFUSED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}

# Outcomes only the receiving department records; withdrawal only the referring side.
DEPARTMENT_OUTCOMES = frozenset(
    {ReferralStatus.PENDING, ReferralStatus.GRANTED, ReferralStatus.REFUSED}
)
OPEN_REFERRALS = frozenset({ReferralStatus.REFERRED, ReferralStatus.PENDING})


class Availability(models.TextChoices):
    """The answer for one service and one person."""

    USABLE = "usable", _("Can use now")
    SUBJECT_TO_CHECKS = "subject_to_checks", _("Can use, subject to checks")
    NOT_YET = "not_yet", _("Not yet")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    UNKNOWN = "unknown", _("Cannot tell (conditions not recorded)")


# -- integration activities ------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    CULTURAL_EVENT = "cultural_event", _("Cultural event")
    FAMILY_DAY = "family_day", _("Family day")
    CHILDCARE_CLASS = "childcare_class", _("Summer child-care class")
    CITY_ORIENTATION = "city_orientation", _("City orientation for newcomers")
    OTHER = "other", _("Other integration activity")


class Audience(models.TextChoices):
    """Who takes the places: workers themselves, or their children (child-care classes)."""

    WORKERS = "workers", _("Workers")
    CHILDREN = "children", _("Workers' children")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Registration open")
    CLOSED = "closed", _("Registration closed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# Draft → open (registration) → closed → held. Registration may be reopened from closed; an
# activity that has not been held may be cancelled (with a reason). Held and cancelled are final.
ACTIVITY_TRANSITIONS: dict[str, frozenset[str]] = {
    ActivityStatus.DRAFT: frozenset({ActivityStatus.OPEN, ActivityStatus.CANCELLED}),
    ActivityStatus.OPEN: frozenset({ActivityStatus.CLOSED, ActivityStatus.CANCELLED}),
    ActivityStatus.CLOSED: frozenset(
        {ActivityStatus.OPEN, ActivityStatus.HELD, ActivityStatus.CANCELLED}
    ),
    ActivityStatus.HELD: frozenset(),
    ActivityStatus.CANCELLED: frozenset(),
}
# Activities whose details may still be edited (held and cancelled ones are a record).
ACTIVITY_EDITABLE = frozenset({ActivityStatus.DRAFT, ActivityStatus.OPEN, ActivityStatus.CLOSED})


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


# Staff move registrations along this table with `registration_transition`; a waiting-list entry
# becomes registered only when a place frees (the service promotes the first in line). Attendance
# may be corrected (attended ⇄ absent); cancelled is final.
REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationStatus.REGISTERED: frozenset(
        {RegistrationStatus.CANCELLED, RegistrationStatus.ATTENDED, RegistrationStatus.ABSENT}
    ),
    RegistrationStatus.WAITLISTED: frozenset({RegistrationStatus.CANCELLED}),
    RegistrationStatus.ATTENDED: frozenset({RegistrationStatus.ABSENT}),
    RegistrationStatus.ABSENT: frozenset({RegistrationStatus.ATTENDED}),
    RegistrationStatus.CANCELLED: frozenset(),
}
# Registrations that hold one of the activity's places.
PLACE_HOLDING = frozenset(
    {RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED, RegistrationStatus.ABSENT}
)
ATTENDANCE = frozenset({RegistrationStatus.ATTENDED, RegistrationStatus.ABSENT})
