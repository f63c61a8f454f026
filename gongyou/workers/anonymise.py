"""Anonymising a worker (PIPL Art. 47: delete or anonymise when the purpose is met or consent is
withdrawn): identity replaced by irreversible placeholders, statistics kept.

Kept, so indicators stay valid: sex, birth *year* (the date becomes 1 July of that year, so an
age is off by at most half a year), hukou and current region, migration scope, education,
employment form, industry, occupation, union membership, certificates' occupation and level,
consent history, and every non-personal record (visits, cases, enrolments, placements).
Replaced: name (`匿名<id>`, unique so duplicate review does not group anonymised workers), ID
number (ciphertext emptied, lookup hash replaced by random bytes, so the number is free and
nothing leads back to it; mask all stars), mobile, address, certificate numbers; the worker's
audit rows keep who did what and when, with personal values inside before/after and the summary
redacted.

Other apps declare where else a worker's personal data lives with `register_worker_pii` and
what forbids anonymising (an open case, a legal hold) with `register_anonymisation_blocker`,
from their AppConfig.ready() or from the privacy app's inventory (gongyou/privacy/inventory.py).
`worker_anonymise` is re-exported by workers.services.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.errors import FieldErrors, NotFound, PermissionDenied
from gongyou.core.models import AuditEvent

from .models import SkillCertificate, Worker
from .policies import worker_is_visible

ANONYMISED_NAME = "匿名"  # followed by the worker id
ANONYMISED_MASK = "*" * 18
REDACTED = "[redacted]"
# Keys of audit before/after that hold personal values (workers, certificates, portal, family).
AUDIT_PII_KEYS = frozenset(
    {
        "name",
        "national_id_masked",
        "phone_masked",
        "current_address",
        "birth_date",
        "certificate_no",
        "requested_value",
        "explanation",
        "note",
        "nominee_name",
    }
)


class Redact:
    """How a declared field is anonymised (`register_worker_pii`)."""

    BLANK = "blank"  # ""
    NULL = "null"  # NULL
    YEAR = "year"  # a date becomes 1 July of its year
    ROW = "row"  # "anon-<row id>" (unique per row)
    RANDOM = "random"  # 64 random hex characters (a lookup hash that must stay unique)
    NAME = "name"  # the anonymised worker's name placeholder
    MASK = "mask"  # all stars
    DELETE = "delete"  # the rows are deleted (with `fields` empty)


@dataclass(frozen=True)
class PiiDeclaration:
    model: str  # "app_label.ModelName"
    worker_field: (
        str  # lookup from the model to the worker id, e.g. "worker" or "placement__worker"
    )
    fields: Mapping[str, str]
    delete: bool = False


Blocker = Callable[[list[int]], Mapping[int, str]]
DECLARATIONS: dict[str, PiiDeclaration] = {}
BLOCKERS: dict[str, Blocker] = {}


def register_worker_pii(
    model: str,
    *,
    fields: Mapping[str, str] | None = None,
    worker_field: str = "worker",
    delete: bool = False,
) -> None:
    """Declare that `model` rows of a worker hold personal data: `fields` {name: Redact.*}, or
    `delete=True` to delete the rows. Re-registering a model replaces its declaration."""
    if not fields and not delete:
        raise ValueError(f"{model}: declare fields to redact or delete=True")
    DECLARATIONS[model] = PiiDeclaration(model, worker_field, dict(fields or {}), delete)


def register_anonymisation_blocker(key: str, blocker: Blocker) -> None:
    """`blocker(worker_ids)` returns {worker id: reason} for workers that must not be
    anonymised now (an open case, a legal hold)."""
    BLOCKERS[key] = blocker


def pii_declarations_check() -> list[str]:
    """Problems with the declarations (a renamed field): used by the privacy app's system check."""
    problems: list[str] = []
    for decl in DECLARATIONS.values():
        try:
            model = apps.get_model(decl.model)
        except LookupError:
            problems.append(f"{decl.model}: no such model")
            continue
        names = {f.name for f in model._meta.get_fields()}
        problems += [f"{decl.model}.{n}: no such field" for n in decl.fields if n not in names]
        if decl.worker_field.split("__")[0] not in names:
            problems.append(f"{decl.model}.{decl.worker_field}: no such field")
    return problems


def anonymisation_blockers(worker_ids: Iterable[int]) -> dict[int, list[str]]:
    """{worker id: [reasons]} for the workers that must not be anonymised now."""
    ids = list(worker_ids)
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    for key in sorted(BLOCKERS):
        for worker_id, reason in BLOCKERS[key](ids).items():
            out.setdefault(worker_id, []).append(reason)
    return out


@dataclass
class AnonymiseResult:
    worker_id: int
    status: str  # "anonymised" | "already" | "blocked"
    reasons: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _year(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(month=7, day=1, hour=0, minute=0, second=0, microsecond=0)
    if isinstance(value, dt.date):
        return dt.date(value.year, 7, 1)
    return value


def _redacted(how: str, *, row: models.Model, name: str, value: Any) -> Any:
    return {
        Redact.BLANK: lambda: "",
        Redact.NULL: lambda: None,
        Redact.YEAR: lambda: _year(value),
        Redact.ROW: lambda: f"anon-{row.pk}",
        Redact.RANDOM: lambda: secrets.token_hex(32),
        Redact.NAME: lambda: name,
        Redact.MASK: lambda: ANONYMISED_MASK,
    }[how]()


def _apply_declarations(worker_ids: list[int], name: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for label in sorted(DECLARATIONS):
        decl = DECLARATIONS[label]
        model = apps.get_model(label)
        rows = model._default_manager.filter(**{f"{decl.worker_field}__in": worker_ids})
        if decl.delete:
            counts[label] = rows.delete()[0]
            continue
        changed = 0
        for row in rows.only("pk", *decl.fields):
            values = {
                n: _redacted(how, row=row, name=name, value=getattr(row, n))
                for n, how in decl.fields.items()
            }
            changed += model._default_manager.filter(pk=row.pk).update(**values)
        counts[label] = changed
    return counts


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (REDACTED if k in AUDIT_PII_KEYS and v not in (None, "") else v)
            for k, v in value.items()
        }
    return value


def _redact_audit(worker_ids: list[int], secrets_to_drop: set[str]) -> int:
    """Personal values out of the workers' audit rows (the rows themselves stay)."""
    drop = sorted((s for s in secrets_to_drop if s and len(s) >= 2), key=len, reverse=True)
    changed = 0
    rows = AuditEvent.objects.filter(worker_id__in=worker_ids).only(
        "pk", "before", "after", "summary"
    )
    for event in rows.iterator(chunk_size=500):
        before, after, summary = (
            _redact_json(event.before),
            _redact_json(event.after),
            event.summary,
        )
        for s in drop:
            summary = summary.replace(s, REDACTED)
        if (before, after, summary) != (event.before, event.after, event.summary):
            changed += AuditEvent.objects.filter(pk=event.pk).update(
                before=before, after=after, summary=summary
            )
    return changed


def _audit_values(worker_ids: list[int]) -> set[str]:
    """Names and numbers a worker's audit rows may quote (older names from `worker.update`)."""
    out: set[str] = set()
    for before, after in AuditEvent.objects.filter(worker_id__in=worker_ids).values_list(
        "before", "after"
    ):
        for snap in (before, after):
            if isinstance(snap, dict):
                out.update(
                    str(v) for k, v in snap.items() if k in AUDIT_PII_KEYS and isinstance(v, str)
                )
    return out


def worker_anonymise(
    *,
    actor: Actor | None,
    worker_id: int,
    reason: str,
    rule: str = "",
    still_due: Callable[[int], bool] | None = None,
) -> AnonymiseResult:
    """Anonymise one worker (and the records merged into them), atomically, audited, once:
    a second call reports "already". A blocked worker is left as is, with the reasons.
    `actor` None is the retention task (`rule` names the retention rule); its `still_due` is
    asked again under the worker's lock, so a worker who re-consented meanwhile is left as is."""
    reason = " ".join((reason or "").split())
    errors = FieldErrors()
    if not reason:
        errors.add("reason", "required", _("Say why this worker is anonymised."))
    elif len(reason) > 200:
        errors.add("reason", "too_long", _("At most 200 characters."))
    errors.raise_if_any()
    with transaction.atomic():
        worker = Worker.objects.select_for_update().filter(pk=worker_id).first()
        if worker is None:
            raise NotFound()
        if actor is not None:
            if not worker_is_visible(actor, worker):
                raise NotFound()
            if Role.SYSTEM_ADMIN not in actor.roles:
                raise PermissionDenied(_("Only system administrators anonymise workers."))
        if worker.anonymised_at is not None:
            return AnonymiseResult(worker_id=worker.pk, status="already")
        if still_due is not None and not still_due(worker.pk):
            return AnonymiseResult(
                worker_id=worker.pk, status="blocked", reasons=[_("No longer due.")]
            )
        ids = [worker.pk, *Worker.objects.filter(merged_into=worker).values_list("pk", flat=True)]
        blocked = anonymisation_blockers(ids)
        if blocked:
            reasons = sorted({r for rs in blocked.values() for r in rs})
            return AnonymiseResult(worker_id=worker.pk, status="blocked", reasons=reasons)
        name = f"{ANONYMISED_NAME}{worker.pk}"
        targets = list(Worker.objects.select_for_update().filter(pk__in=ids))
        certificates = list(SkillCertificate.objects.filter(worker_id__in=ids))
        drop = _audit_values(ids) | {
            v
            for w in targets
            for v in (w.name, w.national_id_masked, w.phone_masked, w.current_address)
        }
        drop |= {c.certificate_no for c in certificates}
        now = timezone.now()
        for target in targets:
            Worker.objects.filter(pk=target.pk).update(
                name=f"{ANONYMISED_NAME}{target.pk}",
                national_id_enc="",
                national_id_hash=secrets.token_hex(32),
                national_id_masked=ANONYMISED_MASK,
                phone_enc="",
                phone_hash="",
                phone_masked="",
                current_address="",
                birth_date=_year(target.birth_date),
                anonymised_at=now,
                updated_at=now,
            )
        for cert in certificates:
            SkillCertificate.objects.filter(pk=cert.pk).update(certificate_no=f"anon-{cert.pk}")
        rows = {"workers.Worker": len(targets), "workers.SkillCertificate": len(certificates)}
        rows |= _apply_declarations(ids, name)
        rows["core.AuditEvent"] = _redact_audit(ids, drop)
        audit_record(
            actor=actor.user if actor else None,
            action="worker.anonymise",
            entity=worker,
            worker_id=worker.pk,
            after={"rule": rule, "merged_workers": ids[1:], "rows": rows},
            purpose=reason,
            region_code=worker.current_region_id,
            summary=_("Anonymised worker %(id)s") % {"id": worker.pk},
        )
        return AnonymiseResult(worker_id=worker.pk, status="anonymised", rows=rows)
