"""Retention: changing a rule, and applying the rules in batches (the daily task)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.cases.models import Attachment, Case, CaseEvent
from gongyou.cases.services.attachment import attachments_dir
from gongyou.core.audit import audit_record
from gongyou.core.errors import FieldErrors
from gongyou.core.models import AuditEvent
from gongyou.imports.models import ImportJob, ImportRowError
from gongyou.imports.services import import_path
from gongyou.portal.models import SignInCode, SignInLock
from gongyou.stations.models import Visit
from gongyou.workers.anonymise import AUDIT_PII_KEYS, REDACTED, worker_anonymise

from ..enums import DEFAULTS, RecordClass
from ..models import RetentionRule
from ..policies import privacy_require_admin
from ..selectors import Rule, import_job_has_personal_data, retention_candidates, retention_rule

MAX_KEEP_DAYS = 100 * 365


@transaction.atomic
def retention_rule_update(
    *, actor: Actor, record_class: str, keep_days: Any, enabled: bool
) -> RetentionRule:
    """Set how long one class of records is kept and whether the daily run applies it."""
    privacy_require_admin(actor)
    errors = FieldErrors()
    if record_class not in RecordClass.values:
        errors.add("record_class", "invalid_choice", _("Unknown class of records."))
    try:
        days = int(str(keep_days).strip())
    except (TypeError, ValueError):
        days = 0
        errors.add("keep_days", "invalid", _("Enter a whole number of days."))
    else:
        if not 1 <= days <= MAX_KEEP_DAYS:
            errors.add(
                "keep_days",
                "out_of_range",
                _("Between 1 and %(max)d days.") % {"max": MAX_KEEP_DAYS},
            )
    errors.raise_if_any()
    rule = RetentionRule.objects.select_for_update().filter(record_class=record_class).first()
    default = DEFAULTS[record_class]
    before = (
        {"keep_days": rule.keep_days, "enabled": rule.enabled}
        if rule
        else {"keep_days": default.keep_days, "enabled": True}
    )
    if rule is None:
        rule = RetentionRule(record_class=record_class)
    rule.keep_days, rule.enabled, rule.updated_by = days, bool(enabled), actor.user
    rule.save()
    audit_record(
        actor=actor.user,
        action="privacy.retention_rule",
        entity=rule,
        before=before,
        after={"keep_days": rule.keep_days, "enabled": rule.enabled},
        summary=_("Retention of %(what)s: %(days)d days%(off)s")
        % {
            "what": RecordClass(record_class).label,
            "days": days,
            "off": "" if rule.enabled else _(" (not applied)"),
        },
    )
    return rule


@dataclass
class RunResult:
    record_class: str
    cutoff: dt.datetime
    batches: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    blocked: dict[int, list[str]] = field(default_factory=dict)
    done: bool = True  # False when max_batches stopped it early

    def add(self, counts: dict[str, int]) -> None:
        for key, n in counts.items():
            self.rows[key] = self.rows.get(key, 0) + n


def _unlink_on_commit(paths: Iterable[Path]) -> None:
    paths = list(paths)

    def unlink() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    if paths:
        transaction.on_commit(unlink)


def _apply_visits(ids: list[int], rule: Rule, result: RunResult) -> dict[str, int]:
    return {"stations.Visit.note": Visit.objects.filter(pk__in=ids).update(note="")}


def _apply_cases(ids: list[int], rule: Rule, result: RunResult) -> dict[str, int]:
    attachments = list(Attachment.objects.filter(case_id__in=ids))
    root = attachments_dir()
    _unlink_on_commit(root / a.storage_name for a in attachments)
    return {
        "cases.Case.description": Case.objects.filter(pk__in=ids)
        .exclude(description="")
        .update(description=""),
        "cases.CaseEvent.reason": CaseEvent.objects.filter(case_id__in=ids)
        .exclude(reason="")
        .update(reason=""),
        "cases.Attachment": Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()[
            0
        ],
    }


def _apply_codes(ids: list[int], rule: Rule, result: RunResult) -> dict[str, int]:
    return {"portal.SignInCode": SignInCode.objects.filter(pk__in=ids).delete()[0]}


def _apply_imports(ids: list[int], rule: Rule, result: RunResult) -> dict[str, int]:
    jobs = [j for j in ImportJob.objects.filter(pk__in=ids) if import_job_has_personal_data(j)]
    files = [import_path(j) for j in jobs if import_path(j).is_file()]
    _unlink_on_commit(files)
    return {
        "imports.file": len(files),
        "imports.ImportRowError": ImportRowError.objects.filter(job__in=jobs).delete()[0],
    }


def _redact(snap: Any) -> Any:
    if not isinstance(snap, dict):
        return snap
    return {
        k: (REDACTED if k in AUDIT_PII_KEYS and v not in (None, "") else v) for k, v in snap.items()
    }


def _apply_audit(ids: list[int], rule: Rule, result: RunResult) -> dict[str, int]:
    changed = 0
    for event in AuditEvent.objects.filter(pk__in=ids).only("pk", "before", "after"):
        before, after = _redact(event.before), _redact(event.after)
        if (before, after) != (event.before, event.after):
            changed += AuditEvent.objects.filter(pk=event.pk).update(before=before, after=after)
    # The checkpoint: rows up to here are done (audit rows only grow, ids only increase).
    rule.state = {**rule.state, "last_id": max(ids)}
    row, _created = RetentionRule.objects.get_or_create(
        record_class=rule.record_class, defaults={"keep_days": rule.keep_days}
    )
    RetentionRule.objects.filter(pk=row.pk).update(state=rule.state)
    return {"core.AuditEvent": changed}


APPLY: dict[str, Callable[[list[int], Rule, RunResult], dict[str, int]]] = {
    RecordClass.ANONYMOUS_VISIT_NOTES: _apply_visits,
    RecordClass.CLOSED_CASES: _apply_cases,
    RecordClass.SIGN_IN_CODES: _apply_codes,
    RecordClass.IMPORT_FILES: _apply_imports,
    RecordClass.AUDIT_PERSONAL_VALUES: _apply_audit,
}


def _audit_batch(rule: Rule, result: RunResult, ids: list[int], counts: dict[str, Any]) -> None:
    audit_record(
        actor=None,
        action="privacy.retention",
        entity_type="privacy.retentionrule",
        entity_id=rule.record_class,
        after={
            "rule": rule.record_class,
            "keep_days": rule.keep_days,
            "cutoff": result.cutoff,
            "first_id": min(ids),
            "last_id": max(ids),
            "rows": counts,
        },
        summary=_("Retention: %(what)s, %(n)d records")
        % {"what": RecordClass(rule.record_class).label, "n": len(ids)},
    )


def _run_workers(rule: Rule, result: RunResult, ids: list[int], now: dt.datetime) -> dict[str, int]:
    counts = {"anonymised": 0, "blocked": 0, "already": 0}
    reason = _("Retention: registration consent withdrawn more than %(days)d days ago") % {
        "days": rule.keep_days
    }
    for worker_id in ids:  # each worker in its own transaction
        outcome = worker_anonymise(
            actor=None,
            worker_id=worker_id,
            reason=reason,
            rule=rule.record_class,
            still_due=lambda pk: retention_candidates(rule, now=now).filter(pk=pk).exists(),
        )
        counts[outcome.status] += 1
        if outcome.reasons:
            result.blocked[worker_id] = outcome.reasons
    with transaction.atomic():
        _audit_batch(rule, result, ids, counts)
    return counts


def retention_apply(
    *,
    record_class: str,
    batch_size: int = 500,
    max_batches: int | None = None,
    now: dt.datetime | None = None,
) -> RunResult:
    """Apply one rule: its records in batches of `batch_size` (keyset pagination, each batch
    one transaction with one audit row). Idempotent: what is done no longer qualifies."""
    rule = retention_rule(record_class)
    now = now or timezone.now()
    result = RunResult(record_class=record_class, cutoff=rule.cutoff(now))
    if not rule.enabled:
        return result
    after = 0
    while True:
        if max_batches is not None and result.batches >= max_batches:
            result.done = False
            break
        ids = list(
            retention_candidates(rule, now=now)
            .filter(pk__gt=after)
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        after = max(ids)
        result.batches += 1
        if record_class == RecordClass.WITHDRAWN_WORKERS:
            result.add(_run_workers(rule, result, ids, now))
            continue
        with transaction.atomic():
            # Selected before this transaction: keep only what still qualifies (a case reopened
            # meanwhile is left alone).
            ids = list(
                retention_candidates(rule, now=now).filter(pk__in=ids).values_list("pk", flat=True)
            )
            counts = APPLY[record_class](ids, rule, result)
            _audit_batch(rule, result, ids, counts)
        result.add(counts)
    if record_class == RecordClass.SIGN_IN_CODES and result.done:
        with transaction.atomic():
            locks = SignInLock.objects.filter(locked_until__lt=result.cutoff).delete()[0]
            if locks:
                audit_record(
                    actor=None,
                    action="privacy.retention",
                    entity_type="privacy.retentionrule",
                    entity_id=rule.record_class,
                    after={"rule": rule.record_class, "rows": {"portal.SignInLock": locks}},
                    summary=_("Retention: %(n)d expired sign-in locks") % {"n": locks},
                )
        result.add({"portal.SignInLock": locks})
    return result


def retention_apply_all(
    *, batch_size: int = 500, max_batches: int | None = None, now: dt.datetime | None = None
) -> dict[str, RunResult]:
    """The daily run: every enabled rule."""
    return {
        rc: retention_apply(
            record_class=rc, batch_size=batch_size, max_batches=max_batches, now=now
        )
        for rc in RecordClass.values
    }
