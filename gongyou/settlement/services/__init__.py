"""Every write of the settlement app (a package: see the modules for each area)."""

from .batch import eligibility_batch_run
from .history import (
    SpellChanged,
    clean_city,
    contribution_add,
    contribution_delete,
    contribution_update,
    declared_fact_set,
    history_save_batch,
    residence_add,
    residence_delete,
    residence_update,
)
from .policy import (
    city_group_save,
    policy_create,
    version_clean,
    version_create,
    version_transition,
    version_update,
)
from .versioning import (
    VersionChanged,
    VersionOverlap,
    VersionSeries,
    VersionTransitionNotAllowed,
    provenance_clean,
    versioned_can_edit,
    versioned_create,
    versioned_transition,
    versioned_update,
)

__all__ = [
    "SpellChanged",
    "VersionChanged",
    "VersionOverlap",
    "VersionSeries",
    "VersionTransitionNotAllowed",
    "city_group_save",
    "clean_city",
    "contribution_add",
    "contribution_delete",
    "contribution_update",
    "declared_fact_set",
    "eligibility_batch_run",
    "history_save_batch",
    "policy_create",
    "provenance_clean",
    "residence_add",
    "residence_delete",
    "residence_update",
    "version_clean",
    "version_create",
    "version_transition",
    "version_update",
    "versioned_can_edit",
    "versioned_create",
    "versioned_transition",
    "versioned_update",
]
