"""Privacy writes: retention rules and their daily application, legal holds, key rotation."""

from .holds import legal_hold_place, legal_hold_release
from .rekey import RekeyNotPossible, pii_rekey_batch, pii_rekey_run, pii_rekey_start
from .retention import RunResult, retention_apply, retention_apply_all, retention_rule_update

__all__ = [
    "RekeyNotPossible",
    "RunResult",
    "legal_hold_place",
    "legal_hold_release",
    "pii_rekey_batch",
    "pii_rekey_run",
    "pii_rekey_start",
    "retention_apply",
    "retention_apply_all",
    "retention_rule_update",
]
