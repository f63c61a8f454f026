"""Privacy reads: the effective retention rules, what each rule would touch (dry run), legal
holds, key-rotation progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongyou.accounts.policies import Actor
from gongyou.cases.models import Attachment, Case, CaseEvent
from gongyou.core import crypto
from gongyou.core.models import AuditEvent
from gongyou.imports.enums import ImportStatus
from gongyou.imports.models import ImportJob, ImportRowError
from gongyou.imports.services import import_path
from gongyou.portal.models import SignInCode, SignInLock
from gongyou.stations.models import Visit
from gongyou.workers.anonymise import AUDIT_PII_KEYS, anonymisation_blockers
from gongyou.workers.enums import ConsentPurpose
from gongyou.workers.models import Consent, Worker

from .enums import DEFAULTS, RecordClass
from .inventory import CASE_ENDED
from .models import LegalHold, RekeyRun, RetentionRule
from .policies import privacy_require_admin

IMPORT_ENDED = (ImportStatus.COMPLETED, ImportStatus.FAILED, ImportStatus.CANCELLED)


@dataclass
class Rule:
    record_class: str
    label: str
    keep_days: int
    enabled: bool
    default_days: int
    action: str
    counted_from: str
    basis: str
    state: dict[str, Any] = field(default_factory=dict)
    row: RetentionRule | None = None

    @property
    def is_default(self) -> bool:
        return self.row is None or self.keep_days == self.default_days

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        return now - dt.timedelta(days=self.keep_days)


def retention_rules() -> list[Rule]:
    """Every record class with its rule: the stored row over the code default."""
    rows = {r.record_class: r for r in RetentionRule.objects.select_related("updated_by")}
    out = []
    for record_class in RecordClass:
        default, row = DEFAULTS[record_class], rows.get(record_class)
        out.append(
            Rule(
                record_class=record_class.value,
                label=str(record_class.label),
                keep_days=row.keep_days if row else default.keep_days,
                enabled=row.enabled if row else True,
                default_days=default.keep_days,
                action=str(default.action),
                counted_from=str(default.counted_from),
                basis=str(default.basis),
                state=dict(row.state) if row else {},
                row=row,
            )
        )
    return out


def retention_rule(record_class: str) -> Rule:
    return next(r for r in retention_rules() if r.record_class == record_class)


# --- what each rule touches: a queryset ordered by its primary key (keyset pagination) --------


def _withdrawn_workers(rule: Rule, cutoff: dt.datetime) -> QuerySet[Any]:
    registry = Consent.objects.filter(worker=OuterRef("pk"), purpose=ConsentPurpose.REGISTRY)
    latest = registry.order_by("-recorded_at", "-id")
    withdrawn_before = Consent.objects.filter(
        purpose=ConsentPurpose.REGISTRY, granted=False, recorded_at__lt=cutoff
    ).values("worker_id")
    return (
        Worker.objects.filter(
            pk__in=withdrawn_before, anonymised_at__isnull=True, merged_into__isnull=True
        )
        .annotate(
            last_granted=Subquery(latest.values("granted")[:1]),
            last_at=Subquery(latest.values("recorded_at")[:1]),
        )
        .filter(last_granted=False, last_at__lt=cutoff)
        .order_by("pk")
    )


def _anonymous_visit_notes(rule: Rule, cutoff: dt.datetime) -> QuerySet[Any]:
    return Visit.objects.filter(worker__isnull=True, at__lt=cutoff).exclude(note="").order_by("pk")


def _closed_cases(rule: Rule, cutoff: dt.datetime) -> QuerySet[Any]:
    ended_at = Coalesce(Max("events__at", filter=Q(events__to_status__in=CASE_ENDED)), "updated_at")
    has_text = (
        ~Q(description="")
        | Exists(Attachment.objects.filter(case=OuterRef("pk")))
        | Exists(CaseEvent.objects.filter(case=OuterRef("pk")).exclude(reason=""))
    )
    return (
        Case.objects.filter(status__in=CASE_ENDED)
        .filter(has_text)
        .annotate(ended_at=ended_at)
        .filter(ended_at__lt=cutoff)
        .order_by("pk")
    )


def _sign_in_codes(rule: Rule, cutoff: dt.datetime) -> QuerySet[Any]:
    return SignInCode.objects.filter(created_at__lt=cutoff).order_by("pk")


def _import_files(rule: Rule, cutoff: dt.datetime) -> QuerySet[Any]:
    return (
        ImportJob.objects.filter(status__in=IMPORT_ENDED)
        .annotate(ended_at=Coalesce("finished_at", "created_at"))
        .filter(ended_at__lt=cutoff)
        .order_by("pk")
    )


def import_job_has_personal_data(job: ImportJob) -> bool:
    return import_path(job).is_file() or ImportRowError.objects.filter(job=job).exists()


def _audit_personal_values(rule: Rule, cutoff: dt.datetime) -> QuerySet[Any]:
    keys = sorted(AUDIT_PII_KEYS)
    return (
        AuditEvent.objects.filter(at__lt=cutoff, pk__gt=int(rule.state.get("last_id", 0)))
        .filter(Q(before__has_any_keys=keys) | Q(after__has_any_keys=keys))
        .order_by("pk")
    )


CANDIDATES: dict[str, Callable[[Rule, dt.datetime], QuerySet[Any]]] = {
    RecordClass.WITHDRAWN_WORKERS: _withdrawn_workers,
    RecordClass.ANONYMOUS_VISIT_NOTES: _anonymous_visit_notes,
    RecordClass.CLOSED_CASES: _closed_cases,
    RecordClass.SIGN_IN_CODES: _sign_in_codes,
    RecordClass.IMPORT_FILES: _import_files,
    RecordClass.AUDIT_PERSONAL_VALUES: _audit_personal_values,
}


def retention_candidates(rule: Rule, *, now: dt.datetime | None = None) -> QuerySet[Any]:
    return CANDIDATES[rule.record_class](rule, rule.cutoff(now or timezone.now()))


@dataclass
class PlanLine:
    rule: Rule
    cutoff: dt.datetime
    count: int
    sample: list[str]
    blocked: dict[str, int] = field(default_factory=dict)  # reason -> workers
    extra: int = 0  # expired sign-in locks


SAMPLE = 20


def _describe(record_class: str, row: Any) -> str:
    """A line of the dry run: record ids and dates, never personal values."""
    if record_class == RecordClass.WITHDRAWN_WORKERS:
        return f"worker {row.pk} (withdrawn {row.last_at:%Y-%m-%d})"
    if record_class == RecordClass.ANONYMOUS_VISIT_NOTES:
        return f"visit {row.pk} ({row.at:%Y-%m-%d}, station {row.station_id})"
    if record_class == RecordClass.CLOSED_CASES:
        return f"case {row.reference} (ended {row.ended_at:%Y-%m-%d})"
    if record_class == RecordClass.SIGN_IN_CODES:
        return f"sign-in code {row.pk} ({row.created_at:%Y-%m-%d})"
    if record_class == RecordClass.IMPORT_FILES:
        return f"import {row.pk} ({row.ended_at:%Y-%m-%d}, {row.status})"
    return f"audit event {row.pk} ({row.at:%Y-%m-%d}, {row.action})"


def retention_plan(
    *, actor: Actor | None, now: dt.datetime | None = None, record_class: str | None = None
) -> list[PlanLine]:
    """What the daily run would do now (dry run): per enabled rule the number of records, a
    sample of them (ids only), and for workers how many are blocked and why."""
    if actor is not None:
        privacy_require_admin(actor)
    now = now or timezone.now()
    lines = []
    for rule in retention_rules():
        if not rule.enabled or (record_class and rule.record_class != record_class):
            continue
        qs = retention_candidates(rule, now=now)
        line = PlanLine(rule=rule, cutoff=rule.cutoff(now), count=0, sample=[])
        if rule.record_class == RecordClass.IMPORT_FILES:
            jobs = [j for j in qs if import_job_has_personal_data(j)]
            line.count, line.sample = len(jobs), [_describe(rule.record_class, j) for j in jobs]
        else:
            line.count = qs.count()
            line.sample = [_describe(rule.record_class, r) for r in qs[:SAMPLE]]
        if rule.record_class == RecordClass.WITHDRAWN_WORKERS:
            ids = list(qs.values_list("pk", flat=True))
            for reasons in anonymisation_blockers(ids).values():
                for reason in reasons:
                    line.blocked[reason] = line.blocked.get(reason, 0) + 1
        if rule.record_class == RecordClass.SIGN_IN_CODES:
            line.extra = SignInLock.objects.filter(locked_until__lt=line.cutoff).count()
        line.sample = line.sample[:SAMPLE]
        lines.append(line)
    return lines


def legal_holds_active(*, actor: Actor) -> QuerySet[LegalHold]:
    privacy_require_admin(actor)
    return LegalHold.objects.filter(released_at__isnull=True).select_related("placed_by")


# --- key rotation --------------------------------------------------------------------------


def rekey_latest() -> RekeyRun | None:
    return RekeyRun.objects.select_related("started_by").first()


@dataclass
class KeyCensus:
    column: str  # "app.Model.field"
    total: int
    by_key: dict[str, int]  # key id -> values
    unknown: int  # values under a key id not in the ring

    @property
    def to_rekey(self) -> int:
        return self.total - self.by_key.get(crypto.primary_key_id(), 0)


def rekey_census() -> list[KeyCensus]:
    """Per encrypted column, how many values each key encrypted (one scan per key and column:
    for the command's dry run and the start-up check, not for pages)."""
    ring = crypto.keyring()
    out = []
    for model, name, _context in crypto.encrypted_fields():
        qs = model._default_manager.exclude(**{name: ""})
        by_key = {
            key_id: qs.filter(**{f"{name}__startswith": f"{key_id}$"}).count()
            for key_id in ring.key_ids
        }
        total = qs.count()
        out.append(
            KeyCensus(
                column=f"{model._meta.label}.{name}",
                total=total,
                by_key=by_key,
                unknown=total - sum(by_key.values()),
            )
        )
    return out


def unknown_key_ids(*, limit: int = 5) -> dict[str, set[str]]:
    """{column: key ids not in the ring} from values under an unknown key (at most `limit`
    samples per column)."""
    ring = crypto.keyring()
    out: dict[str, set[str]] = {}
    for model, name, _context in crypto.encrypted_fields():
        qs = model._default_manager.exclude(**{name: ""})
        for key_id in ring.key_ids:
            qs = qs.exclude(**{f"{name}__startswith": f"{key_id}$"})
        found = {crypto.key_id_of(v) for v in qs.values_list(name, flat=True)[:limit]}
        if found:
            out[f"{model._meta.label}.{name}"] = found
    return out
