"""Every write of the recognition app (rounds, quotas, nominations, evidence, objections)."""

from .common import NominationTransitionNotAllowed, QuotaExceeded, RecordChanged
from .evidence import ALLOWED_TYPES, evidence_add, evidence_dir, evidence_open
from .nomination import nomination_create, nomination_transition, nomination_update
from .objection import objection_handle, objection_record
from .round import round_conclude, round_create, round_set_quota, round_update

__all__ = [
    "ALLOWED_TYPES",
    "NominationTransitionNotAllowed",
    "QuotaExceeded",
    "RecordChanged",
    "evidence_add",
    "evidence_dir",
    "evidence_open",
    "nomination_create",
    "nomination_transition",
    "nomination_update",
    "objection_handle",
    "objection_record",
    "round_conclude",
    "round_create",
    "round_set_quota",
    "round_update",
]
