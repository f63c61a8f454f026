"""Turning rows into registry writes, one batch at a time, with the registry's own rules.

Each processor gets a batch of `(row number, {field: cell})` and returns what happened to every
row (counts and row errors) plus the keys it saw (for duplicate detection across batches). It
writes through the services of the apps below (`worker_update`, `certificate_add`,
`station_create`/`station_update`, `visit_log`), except new workers: those are built by the
registry's `worker_build_new` (the same encryption, hashing and masking as `worker_register`)
and inserted in bulk with COPY / executemany, one `worker.register` audit row each, in bulk too.
The caller runs a batch inside the transaction that also moves the job's checkpoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.classifications.selectors import occupation_names
from gongyou.core import crypto
from gongyou.core.audit import audit_build, snapshot
from gongyou.core.bulk import insert_prepared, value_preparer
from gongyou.core.errors import ApplicationError, FieldErrors
from gongyou.core.models import AuditEvent
from gongyou.regions.selectors import province_codes, region_names
from gongyou.stations.models import Station
from gongyou.stations.policies import station_is_visible
from gongyou.stations.services import EDITABLE as STATION_EDITABLE
from gongyou.stations.services import station_create, station_update, visit_log
from gongyou.workers.identity import (
    IdentityError,
    mask_national_id,
    mask_phone,
    parse_national_id,
)
from gongyou.workers.models import SkillCertificate, Worker
from gongyou.workers.policies import worker_is_visible
from gongyou.workers.selectors import worker_ids_by_national_hash
from gongyou.workers.services import (
    WORKER_BULK_COLUMNS,
    certificate_add,
    certificate_clean,
    worker_audit_after,
    worker_bulk_defaults,
    worker_changes,
    worker_check_register_scope,
    worker_clean_row,
    worker_new_values,
    worker_register_summarizer,
    worker_require_new,
    worker_update,
)

from . import cells
from .choices import ENUMS, choice
from .keys import KeySet

Cells = dict[str, Any]
OUTCOMES = ("created", "updated", "unchanged", "invalid", "duplicate_in_file", "conflicts")


@dataclass
class RowError:
    row: int
    field: str  # our field name; '' for the whole row
    value: str
    code: str
    message: str


@dataclass
class BatchResult:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    seen: set[Any] = field(default_factory=set)


@dataclass
class Context:
    actor: Actor
    seen: KeySet = field(default_factory=KeySet)  # keys of rows already taken, whole file
    labels: dict[str, str] = field(default_factory=dict)  # field -> the file's header


def masked(field_name: str, value: Any) -> str:
    text = "" if value is None else str(value)
    if field_name == "national_id" and not text.upper().count("E+"):
        return mask_national_id(cells.digits_quiet(text))
    if field_name == "phone":
        return mask_phone(cells.digits_quiet(text))
    return text[:200]


def _field_errors(
    row: int, errors: FieldErrors, raw: Cells, rename: dict[str, str] | None = None
) -> list[RowError]:
    out = []
    for name, err in errors.errors.items():
        ours = (rename or {}).get(name, name)
        out.append(RowError(row, ours, masked(ours, raw.get(ours)), err["code"], err["message"]))
    return out


def _app_error(
    row: int, exc: ApplicationError, raw: Cells, rename: dict[str, str] | None = None
) -> list[RowError]:
    if not exc.fields:
        return [RowError(row, "", "", exc.code, exc.message)]
    errors = FieldErrors()
    for name, err in exc.fields.items():
        errors.add(name, err["code"], err["message"])
    return _field_errors(row, errors, raw, rename)


def id_key(raw: Any) -> int | None:
    """The file-wide identity of an ID number (its 17-digit body), or None when unreadable."""
    try:
        number = parse_national_id(cells.digits(raw, what="ID"), provinces=province_codes()).number
    except (cells.CellError, IdentityError):
        return None
    return int(number[:17])


# --- workers -----------------------------------------------------------------------------------

CERT_FIELDS = {
    "occupation": "cert_occupation",
    "level": "cert_level",
    "certificate_no": "cert_no",
    "issuing_organisation": "cert_issuer",
    "issued_on": "cert_issued_on",
    "expires_on": "cert_expires_on",
    "kind": "cert_kind",
}


def _cert_key(raw: Cells) -> tuple[str, str] | None:
    issuer = cells.text(raw.get("cert_issuer"))
    number = "".join(cells.text(raw.get("cert_no")).split())
    return (issuer, number) if issuer and number else None


def worker_keys(raw: Cells) -> set[Any]:
    """What a committed row contributes to duplicate detection (used again when resuming)."""
    key = id_key(raw.get("national_id"))
    if key is None:
        return set()
    cert = _cert_key(raw)
    # The worker's key is the bare number: a file of a million rows keeps a million of them.
    return {key} | ({("c", cert)} if cert else set())


@dataclass
class _WorkerRow:
    """A row that passed validation, ready for the writer: its keys for duplicate detection
    and, when it carries every field a registration needs, the new worker's column values
    (encrypted, hashed, masked) in case the ID number turns out to be new."""

    row: int
    raw: Cells
    number: str  # the ID number, normalised
    values: dict[str, Any]
    id_hash: str
    cert: dict[str, Any] | None
    key: int  # `id_key`
    cert_key: tuple[str, Any] | None
    # Only when the row carries every field a registration needs: what registering it as a new
    # worker writes, ready for the database (`_NewWorkerRows`), or why it may not be registered.
    insert: tuple[Any, ...] | None = None
    audit: tuple[Any, ...] | None = None
    new_errors: list[RowError] | None = None
    cert_only: bool = False
    worker: Worker | None = None
    new: bool = False


@dataclass
class _InvalidRow:
    row: int
    errors: list[RowError]
    keys: set[Any]


_DIGIT_WHAT = {
    "national_id": gettext_lazy("ID number"),
    "phone": gettext_lazy("mobile number"),
    "hukou_region": gettext_lazy("region code"),
    "current_region": gettext_lazy("region code"),
}


def _worker_data(raw: Cells, errors: FieldErrors) -> tuple[dict[str, Any], dict[str, Any] | None]:
    data: dict[str, Any] = {}
    for name, value in raw.items():
        if cells.is_blank(value) or name.startswith("cert_"):
            continue
        try:
            if name in _DIGIT_WHAT:
                # What the cell should hold, translated only when a message uses it.
                data[name] = cells.digits(value, what=_DIGIT_WHAT[name])  # type: ignore[arg-type]
            elif name in ("education", "employment_form", "industry"):
                data[name] = choice(name, value)
            elif name == "union_member":
                data[name] = cells.flag(value)
            elif name == "union_joined_on":
                data[name] = cells.date(value)
            else:
                data[name] = cells.text(value)
        except cells.CellError as exc:
            errors.add(name, exc.code, exc.message)
    if "national_id" not in data and "national_id" not in errors.errors:
        data["national_id"] = ""
    cert: dict[str, Any] | None = None
    if any(not cells.is_blank(raw.get(f)) for f in CERT_FIELDS.values()):
        cert = {}
        for theirs, ours in CERT_FIELDS.items():
            value = raw.get(ours)
            try:
                if theirs in ("issued_on", "expires_on"):
                    cert[theirs] = cells.date(value)
                elif theirs == "level":
                    cert[theirs] = choice("level", value) if not cells.is_blank(value) else None
                elif theirs == "kind":
                    cert[theirs] = (
                        choice("cert_kind", value) if not cells.is_blank(value) else "skill_level"
                    )
                else:
                    cert[theirs] = cells.text(value)
            except cells.CellError as exc:
                errors.add(ours, exc.code, exc.message)
                cert[theirs] = None
    return data, cert


class _NewWorkerRows:
    """A new worker as the rows the bulk writer inserts, ready for the database: the worker's
    columns but the two timestamps (`WORKER_BULK_COLUMNS`, the batch's time added by the
    writer) and the per-row columns of its `worker.register` audit row. Built by preparers,
    so the writer only adds ids and time."""

    def __init__(self) -> None:
        self.worker = value_preparer(Worker, WORKER_BULK_COLUMNS)
        self.after = AuditEvent._meta.get_field("after").get_db_prep_save
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.summary = worker_register_summarizer()

    def rows(self, attrs: dict[str, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        attrs["created_at"] = attrs["updated_at"] = None
        worker = self.worker(tuple(attrs[c] for c in WORKER_BULK_COLUMNS))[:-2]
        region = attrs["current_region_id"]
        audit = (
            region or "",
            self.summary(attrs["name"], region)[:300],
            self.after(worker_audit_after(attrs), self.connection),
        )
        return worker, audit


def prepare_workers(ctx: Context, batch: list[tuple[int, Cells]]) -> list[Any]:
    """Validate, normalise, hash and encrypt a batch, and make the rows a new worker would be
    inserted as: work that depends on each row alone (and on reference data), so
    `imports.pool` may run it in another process. Writes nothing and reads nothing from the
    database beyond the cached reference data."""
    today = timezone.localdate()
    defaults = worker_bulk_defaults()
    new_rows = _NewWorkerRows()
    out: list[Any] = []
    for row, raw in batch:
        errors = FieldErrors()
        data, cert = _worker_data(raw, errors)
        national, values, service_errors = worker_clean_row(data=data, today=today)
        for name, err in service_errors.errors.items():
            errors.add(name, err["code"], err["message"])
        if national is not None and cert is not None:
            cert_errors = FieldErrors()
            cleaned = certificate_clean(
                birth_date=national.birth_date, errors=cert_errors, today=today, **cert
            )
            for name, err in cert_errors.errors.items():
                errors.add(CERT_FIELDS.get(name, name), err["code"], err["message"])
            cert = {**cert, **cleaned}
        if errors:
            out.append(_InvalidRow(row, _field_errors(row, errors, raw), worker_keys(raw)))
            continue
        assert national is not None  # no errors: the ID number parsed
        id_hash = crypto.blind_index(national.number, context="national_id")
        p = _WorkerRow(
            row=row,
            raw=raw,
            number=national.number,
            values=values,
            id_hash=id_hash,
            cert=cert,
            key=int(national.number[:17]),
            cert_key=("c", _cert_key(raw)) if cert else None,
        )
        # What registering this row as a new worker needs, in case its ID number is new.
        new_errors = FieldErrors()
        worker_require_new(values=values, errors=new_errors)
        worker_check_register_scope(actor=ctx.actor, values=values, errors=new_errors)
        if new_errors:
            p.new_errors = _field_errors(row, new_errors, raw)
        else:
            attrs = worker_new_values(
                actor=ctx.actor,
                national=national,
                values=values,
                id_hash=id_hash,
                defaults=defaults,
            )
            p.insert, p.audit = new_rows.rows(attrs)
        out.append(p)
    return out


def process_workers(ctx: Context, batch: list[tuple[int, Cells]]) -> BatchResult:
    return write_workers(ctx, prepare_workers(ctx, batch))


def write_workers(ctx: Context, rows: list[Any]) -> BatchResult:
    """The database half of a batch, in file order: duplicates against earlier rows, known
    workers, scope, certificates, then the bulk insert of new workers and the updates."""
    result = BatchResult()
    actor = ctx.actor
    prepared: list[_WorkerRow] = []
    for p in rows:
        if isinstance(p, _InvalidRow):
            result.errors.extend(p.errors)
            result.counts["invalid"] += 1
            result.seen |= p.keys
            continue
        seen_worker = p.key in ctx.seen or p.key in result.seen
        if seen_worker and (
            p.cert_key is None or p.cert_key in ctx.seen or p.cert_key in result.seen
        ):
            result.counts["duplicate_in_file"] += 1
            result.errors.append(
                RowError(
                    p.row,
                    "national_id",
                    masked("national_id", p.number),
                    "duplicate_in_file",
                    _(
                        "The same ID number (and certificate) is on an earlier row of this file; this row is skipped."
                    ),
                )
            )
            continue
        result.seen.add(p.key)
        if p.cert_key:
            result.seen.add(p.cert_key)
        # Set afresh: a batch is written again when its first attempt lost a race.
        p.cert_only, p.worker, p.new = seen_worker, None, False
        prepared.append(p)
    if not prepared:
        return result
    # Most rows of a large file are new: ask which hashes are known first, load only those.
    known = worker_ids_by_national_hash(p.id_hash for p in prepared)
    existing = (
        {
            # A merged record stands for the worker it was merged into (workers: duplicates and merge).
            w.national_id_hash: w.merged_into if w.merged_into_id else w
            for w in Worker.objects.filter(pk__in=known.values()).select_related("merged_into")
        }
        if known
        else {}
    )
    certs_known: dict[tuple[str, str], int] = {}
    numbers = {p.cert["certificate_no"] for p in prepared if p.cert}
    if numbers:
        for issuer, number, worker_id in SkillCertificate.objects.filter(
            certificate_no__in=numbers
        ).values_list("issuing_organisation", "certificate_no", "worker_id"):
            certs_known[(issuer, number)] = worker_id
    now = timezone.now()
    new_workers: list[_WorkerRow] = []
    built: set[str] = set()
    todo: list[_WorkerRow] = []
    for p in prepared:
        worker = existing.get(p.id_hash)
        cert_owner = (
            certs_known.get((p.cert["issuer"], p.cert["certificate_no"])) if p.cert else None
        )
        if worker is not None:
            if not worker_is_visible(actor, worker):
                result.counts["conflicts"] += 1
                result.errors.append(
                    RowError(
                        p.row,
                        "national_id",
                        worker.national_id_masked,
                        "registered_elsewhere",
                        _(
                            "This ID number is already registered by an organisation outside your area; nothing was changed. Contact it or your administrator."
                        ),
                    )
                )
                continue
            if cert_owner is not None and cert_owner != worker.pk:
                result.counts["conflicts"] += 1
                result.errors.append(_cert_conflict(p))
                continue
            p.worker = worker
            todo.append(p)
            continue
        if p.cert_only and p.id_hash in built:
            p.new = False  # its worker is created by an earlier row of this batch
            todo.append(p)
            continue
        if p.cert_only:
            # The worker's first row was not taken (it had errors): nothing to attach to.
            result.counts["invalid"] += 1
            result.errors.append(
                RowError(
                    p.row,
                    "national_id",
                    masked("national_id", p.number),
                    "worker_not_imported",
                    _("The worker of this certificate was not imported (see the earlier row)."),
                )
            )
            continue
        if p.new_errors:
            result.counts["invalid"] += 1
            result.errors.extend(p.new_errors)
            continue
        if cert_owner is not None:
            result.counts["conflicts"] += 1
            result.errors.append(_cert_conflict(p))
            continue
        new_workers.append(p)
        built.add(p.id_hash)
        p.new = True
        todo.append(p)
    if new_workers:
        _insert_workers(actor, new_workers, now)
    # Rows that go on to the services (a certificate) need the inserted workers as instances.
    wanted = {p.id_hash for p in todo if p.worker is None and (p.cert or not p.new)}
    if wanted:
        inserted = {
            w.national_id_hash: w for w in Worker.objects.filter(national_id_hash__in=wanted)
        }
        for p in todo:
            if p.worker is None and p.id_hash in inserted:
                p.worker = inserted[p.id_hash]
    for p in todo:
        if p.new and not p.cert:
            result.counts["created"] += 1
            continue
        assert p.worker is not None
        outcome = _update_row(actor, p, result)
        result.counts[outcome] += 1
    return result


def _cert_conflict(p: _WorkerRow) -> RowError:
    assert p.cert is not None
    return RowError(
        p.row,
        "cert_no",
        p.cert["certificate_no"],
        "certificate_elsewhere",
        _(
            "This certificate number of this issuer is already recorded for another worker; nothing was changed."
        ),
    )


def _update_row(actor: Actor, p: _WorkerRow, result: BatchResult) -> str:
    """Changes to a known worker and a certificate, all or nothing for the row."""
    worker = p.worker
    assert worker is not None
    changed = p.new
    try:
        with transaction.atomic():
            if not p.new and not p.cert_only:
                changes = worker_changes(worker=worker, values=p.values)
                if changes:
                    worker_update(actor=actor, worker=worker, data=changes)
                    changed = True
            if p.cert is not None:
                cert = p.cert
                exists = SkillCertificate.objects.filter(
                    issuing_organisation=cert["issuer"], certificate_no=cert["certificate_no"]
                ).exists()
                if not exists:
                    certificate_add(
                        actor=actor,
                        worker=worker,
                        occupation=cert["occupation"],
                        level=cert["level"],
                        certificate_no=cert["certificate_no"],
                        issuing_organisation=cert["issuer"],
                        issued_on=cert["issued_on"],
                        kind=cert["kind"],
                        expires_on=cert["expires_on"],
                    )
                    changed = True
    except ApplicationError as exc:
        result.errors.extend(_app_error(p.row, exc, p.raw, CERT_FIELDS if p.cert_only else None))
        return "conflicts" if exc.status == 409 else "invalid"
    if p.new:
        return "created"
    return "updated" if changed else "unchanged"


def _insert_workers(actor: Actor, workers: list[_WorkerRow], now: dt.datetime) -> None:
    """Insert new workers and one `worker.register` audit row each, as the rows their
    preparers made (`_NewWorkerRows`): what `worker_register` writes, without model instances."""
    stamp = Worker._meta.get_field("created_at").get_db_prep_save(now, connection)
    rows = []
    for p in workers:
        assert p.insert is not None
        rows.append((*p.insert, stamp, stamp))
    ids: Sequence[int] | None = insert_prepared(Worker, WORKER_BULK_COLUMNS, rows)
    if ids is None:  # PostgreSQL's COPY gives no ids back: look them up
        found = worker_ids_by_national_hash(p.id_hash for p in workers)
        ids = [found[p.id_hash] for p in workers]
    # What `audit_build` puts in the columns every row of the batch shares, built once.
    template = audit_build(
        actor=actor.user,
        action="worker.register",
        entity_type=Worker._meta.label_lower,
        entity_id="0",
    )
    template.at = now
    shared = list(
        value_preparer(AuditEvent, AUDIT_EVENT_COLUMNS)(
            tuple(getattr(template, c) for c in AUDIT_EVENT_COLUMNS)
        )
    )
    events = []
    for p, pk in zip(workers, ids, strict=True):
        event = shared.copy()
        event[_ENTITY_ID] = str(pk)
        event[_WORKER_ID] = pk
        event[_REGION_CODE], event[_SUMMARY], event[_AFTER] = p.audit  # type: ignore[misc]
        events.append(event)
    insert_prepared(AuditEvent, AUDIT_EVENT_COLUMNS, events)


AUDIT_EVENT_COLUMNS = [
    "at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "action",
    "entity_type",
    "entity_id",
    "worker_id",
    "region_code",
    "summary",
    "before",
    "after",
    "purpose",
    "ip_address",
]
_ENTITY_ID, _WORKER_ID, _REGION_CODE, _SUMMARY, _AFTER = (
    AUDIT_EVENT_COLUMNS.index(c)
    for c in ("entity_id", "worker_id", "region_code", "summary", "after")
)


# --- stations ----------------------------------------------------------------------------------


def station_keys(raw: Cells) -> set[Any]:
    code = cells.text(raw.get("code")).upper()
    return {("s", code)} if code else set()


def _station_data(actor: Actor, raw: Cells, errors: FieldErrors) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in raw.items():
        if cells.is_blank(value) or name == "code":
            continue
        try:
            if name == "region":
                data[name] = cells.digits(value, what=_("region code"))
            elif name == "type":
                data[name] = choice("type", value)
            elif name == "services":
                parts = [
                    p
                    for p in str(value)
                    .replace("，", ",")
                    .replace("、", ",")
                    .replace(";", ",")
                    .split(",")
                    if p.strip()
                ]
                data[name] = [choice("service", p) for p in parts]
            elif name in ("open_24h", "is_active"):
                data[name] = cells.flag(value)
            elif name == "organisation":
                data[name] = _organisation_id(actor, value)
            elif name in ("latitude", "longitude"):
                data[name] = cells.text(value)
            else:
                data[name] = cells.text(value)
        except cells.CellError as exc:
            errors.add(name, exc.code, exc.message)
    return data


def _organisation_id(actor: Actor, value: Any) -> Any:
    from gongyou.accounts.selectors import organisation_list

    text = cells.text(value)
    if text.isdigit():
        return int(text)
    org = organisation_list(actor=actor).filter(name=text).first()
    return org.pk if org is not None else text


def process_stations(ctx: Context, batch: list[tuple[int, Cells]]) -> BatchResult:
    result = BatchResult()
    actor = ctx.actor
    codes = {cells.text(raw.get("code")).upper() for _row, raw in batch}
    known = {s.code: s for s in Station.objects.filter(code__in=codes)}
    for row, raw in batch:
        code = cells.text(raw.get("code")).upper()
        errors = FieldErrors()
        data = _station_data(actor, raw, errors)
        if not code:
            errors.add(
                "code",
                "required",
                _("Enter the station's code: a re-import finds the station by it."),
            )
        if errors:
            result.counts["invalid"] += 1
            result.errors.extend(_field_errors(row, errors, raw))
            continue
        key = ("s", code)
        if key in ctx.seen or key in result.seen:
            result.counts["duplicate_in_file"] += 1
            result.errors.append(
                RowError(
                    row,
                    "code",
                    code,
                    "duplicate_in_file",
                    _(
                        "The same station code is on an earlier row of this file; this row is skipped."
                    ),
                )
            )
            continue
        result.seen.add(key)
        station = known.get(code)
        try:
            with transaction.atomic():
                if station is None:
                    data.setdefault("organisation", actor.organisation_id)
                    station_create(actor=actor, data={**data, "code": code})
                    result.counts["created"] += 1
                    continue
                if not station_is_visible(actor, station):
                    result.counts["conflicts"] += 1
                    result.errors.append(
                        RowError(
                            row,
                            "code",
                            code,
                            "registered_elsewhere",
                            _(
                                "A station with this code belongs to an organisation outside your area; nothing was changed."
                            ),
                        )
                    )
                    continue
                before = snapshot(station, STATION_COMPARE)
                updated = station_update(actor=actor, station=station, data=data)
                result.counts[
                    "updated" if snapshot(updated, STATION_COMPARE) != before else "unchanged"
                ] += 1
        except ApplicationError as exc:
            result.counts["conflicts" if exc.status == 409 else "invalid"] += 1
            result.errors.extend(_app_error(row, exc, raw, {"region_id": "region"}))
    return result


STATION_COMPARE = STATION_EDITABLE  # what a station row may change: all but its code


# --- visits ------------------------------------------------------------------------------------


def _visit_key(raw: Cells) -> str:
    at = cells.datetime(raw.get("at"))
    parts = [
        cells.text(raw.get("station_code")).upper(),
        at.isoformat() if isinstance(at, dt.datetime) else str(at or ""),
        str(choice("service", raw.get("service") or "")),
        str(id_key(raw.get("national_id")) or ""),
        cells.text(raw.get("note")),
    ]
    return "import-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def visit_keys(raw: Cells) -> set[Any]:
    try:
        return {("v", _visit_key(raw))}
    except cells.CellError:
        return set()


def process_visits(ctx: Context, batch: list[tuple[int, Cells]]) -> BatchResult:
    result = BatchResult()
    actor = ctx.actor
    codes = {cells.text(raw.get("station_code")).upper() for _row, raw in batch}
    stations = dict(Station.objects.filter(code__in=codes).values_list("code", "id"))
    for row, raw in batch:
        errors = FieldErrors()
        code = cells.text(raw.get("station_code")).upper()
        station_id = stations.get(code)
        if station_id is None:
            errors.add("station_code", "unknown_station", _("No station has this code."))
        at: Any = None
        try:
            at = cells.datetime(raw.get("at"))
            if at is None:
                errors.add("at", "required", _("Enter the time of the visit."))
            elif isinstance(at, dt.datetime) and timezone.is_naive(at):
                at = timezone.make_aware(at)
        except cells.CellError as exc:
            errors.add("at", exc.code, exc.message)
        worker_id = None
        if not cells.is_blank(raw.get("national_id")):
            try:
                national = parse_national_id(
                    cells.digits(raw["national_id"], what=_("ID number")),
                    provinces=province_codes(),
                )
                worker_id = (
                    Worker.objects.filter(
                        national_id_hash=crypto.blind_index(national.number, context="national_id")
                    )
                    .values_list("id", flat=True)
                    .first()
                )
                if worker_id is None:
                    errors.add(
                        "national_id",
                        "not_registered",
                        _("No worker is registered with this ID number; register them first."),
                    )
            except (cells.CellError, IdentityError) as exc:
                errors.add("national_id", exc.code, exc.message)
        if errors:
            result.counts["invalid"] += 1
            result.errors.extend(_field_errors(row, errors, raw))
            continue
        key = ("v", _visit_key(raw))
        if key in ctx.seen or key in result.seen:
            result.counts["duplicate_in_file"] += 1
            result.errors.append(
                RowError(
                    row,
                    "",
                    "",
                    "duplicate_in_file",
                    _("The same visit is on an earlier row of this file; this row is skipped."),
                )
            )
            continue
        result.seen.add(key)
        try:
            with transaction.atomic():
                _visit, created = visit_log(
                    actor=actor,
                    station_id=station_id,
                    service=choice("service", raw.get("service") or ""),
                    worker_id=worker_id,
                    note=cells.text(raw.get("note")),
                    at=at,
                    idempotency_key=key[1],
                )
            result.counts["created" if created else "unchanged"] += 1
        except ApplicationError as exc:
            result.counts["conflicts" if exc.status == 409 else "invalid"] += 1
            result.errors.extend(
                _app_error(
                    row, exc, raw, {"station_id": "station_code", "worker_id": "national_id"}
                )
            )
    return result


PROCESSORS = {"workers": process_workers, "stations": process_stations, "visits": process_visits}
# Kinds whose batches split into a database-free half (`imports.pool` may run it in other
# processes) and the writes: PROCESSORS[kind](ctx, batch) == WRITERS[kind](ctx, PREPARERS[kind](ctx, batch)).
PREPARERS = {"workers": prepare_workers}
WRITERS = {"workers": write_workers}


def warm_reference_data() -> None:
    """Load the cached reference data preparers read, so forked preparers inherit it."""
    province_codes()
    region_names()
    occupation_names()
    for name in ENUMS:
        choice(name, "")


KEYS = {"workers": worker_keys, "stations": station_keys, "visits": visit_keys}
