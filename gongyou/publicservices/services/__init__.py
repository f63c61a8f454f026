"""Every write of the publicservices app (see the modules for each area)."""

from .activity import (
    ActivityFull,
    AlreadyRegistered,
    NotAnAttendee,
    activity_clean,
    activity_create,
    activity_transition,
    activity_update,
    registration_create,
    registration_feedback,
    registration_transition,
)
from .catalogue import (
    TransitionNotAllowed,
    VersionChanged,
    VersionOverlap,
    service_create,
    service_version_create,
    service_version_transition,
    service_version_update,
    version_clean,
)
from .family import family_member_add, family_member_remove, family_member_update
from .referral import referral_create, referral_transition

__all__ = [
    "ActivityFull",
    "AlreadyRegistered",
    "NotAnAttendee",
    "TransitionNotAllowed",
    "VersionChanged",
    "VersionOverlap",
    "activity_clean",
    "activity_create",
    "activity_transition",
    "activity_update",
    "family_member_add",
    "family_member_remove",
    "family_member_update",
    "referral_create",
    "referral_transition",
    "registration_create",
    "registration_feedback",
    "registration_transition",
    "service_create",
    "service_version_create",
    "service_version_transition",
    "service_version_update",
    "version_clean",
]
