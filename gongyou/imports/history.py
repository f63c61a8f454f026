"""Settlement-history rows: one contribution or residence spell per row, saved through
`settlement.services.history_save_batch`, so the rules, messages and codes are the settlement
API's and the spells of one worker in a batch are saved with one audit row.

Per row this module only undoes spreadsheet damage (`cells`), reads the choice words, finds the
worker by ID number and checks the importer may edit their history (`settlement.policies`). The
spell itself is validated by the settlement service: when it names bad fields
(`contributions.<n>.<field>`), those rows are reported and the worker's other rows are saved
again without them. Identical spells already recorded are skipped by the service (re-importing a
file changes nothing); identical rows in the file are reported as duplicates.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.core import crypto
from gongyou.core.errors import ApplicationError, FieldErrors, ValidationFailed
from gongyou.regions.selectors import province_codes, region_names
from gongyou.settlement.policies import history_require_can_edit
from gongyou.settlement.services import history_save_batch
from gongyou.settlement.services.history import MAX_BATCH
from gongyou.workers.identity import IdentityError, NationalId, parse_national_id
from gongyou.workers.models import Worker

from . import cells
from .choices import choice
from .enums import HistoryRecord
from .rows import BatchResult, Cells, Context, RowError, _field_errors, masked

_CITY_SUFFIX = "市"
_LIST_FIELD = re.compile(r"^(contributions|residences)\.(\d+)\.(\w+)$")
# Columns that belong to one record type only: a value there on a row of the other type is an
# error, never silently dropped.
_ONLY_FOR = {
    "kind": (
        HistoryRecord.CONTRIBUTION,
        gettext_lazy("The insurance is for contribution rows; leave it empty on a residence row."),
    ),
    "tenure": (
        HistoryRecord.RESIDENCE,
        gettext_lazy("Housing is for residence rows; leave it empty on a contribution row."),
    ),
    "permit_held": (
        HistoryRecord.RESIDENCE,
        gettext_lazy(
            "The residence permit is for residence rows; leave it empty (or no) on a "
            "contribution row."
        ),
    ),
}
_ID_WHAT = gettext_lazy("ID number")
_CITY_WHAT = gettext_lazy("city code")


@dataclass
class _Spell:
    row: int
    raw: Cells
    record: str
    data: dict[str, Any]  # the service's field names: city, kind | tenure, permit_held, …
    id_hash: str


@lru_cache(maxsize=1)
def city_codes_by_name() -> dict[str, str]:
    """Prefecture-level city names (with and without 市) → code; names two cities share are left
    out, so a name never picks a city by chance."""
    counts: dict[str, list[str]] = {}
    for code, (name, level, _parent) in region_names().items():
        if level != "city":
            continue
        names = {name}
        if name.endswith(_CITY_SUFFIX) and len(name) > 2:
            names.add(name[: -len(_CITY_SUFFIX)])
        for each in names:
            counts.setdefault(cells.label_key(each), []).append(code)
    return {name: codes[0] for name, codes in counts.items() if len(codes) == 1}


def _city(value: Any) -> str:
    """The city's 6-digit code from a 6- or 4-digit code or the city's name; anything else is
    passed on for the settlement service to name (not a region, a district, a province)."""
    if cells.is_blank(value):
        return ""
    text = cells.text(value)
    if text and not any(ch.isdigit() for ch in text):
        return city_codes_by_name().get(cells.label_key(text), text)
    code = cells.digits(value, what=str(_CITY_WHAT))
    return f"{code}00" if len(code) == 4 and code.isdigit() else code


def _parse(raw: Cells, errors: FieldErrors) -> tuple[NationalId | None, str, dict[str, Any]]:
    """Repair and read the cells of one row; errors name the file's columns."""
    national: NationalId | None = None
    try:
        national = parse_national_id(
            cells.digits(raw.get("national_id"), what=str(_ID_WHAT)), provinces=province_codes()
        )
    except (cells.CellError, IdentityError) as exc:
        errors.add("national_id", exc.code, exc.message)
    record = ""
    if cells.is_blank(raw.get("record")):
        errors.add(
            "record",
            "required",
            _("Say what the row records: contribution (社保) or residence (居住)."),
        )
    else:
        record = str(choice("record", raw.get("record")))
        if record not in HistoryRecord.values:
            errors.add(
                "record",
                "invalid_choice",
                _("“%(v)s” is neither contribution (社保) nor residence (居住).")
                % {"v": cells.text(raw.get("record"))[:30]},
            )
            record = ""
    data: dict[str, Any] = {}
    try:
        data["city"] = _city(raw.get("city"))
    except cells.CellError as exc:
        errors.add("city", exc.code, exc.message)
    for name in ("start", "end"):
        try:
            data[name] = cells.date_or_month(raw.get(name))
        except cells.CellError as exc:
            errors.add(name, exc.code, exc.message)
    kind = raw.get("kind")
    data["kind"] = "" if cells.is_blank(kind) else choice("insurance", kind)
    tenure = raw.get("tenure")
    data["tenure"] = "" if cells.is_blank(tenure) else choice("tenure", tenure)
    try:
        data["permit_held"] = bool(cells.flag(raw.get("permit_held")))
    except cells.CellError as exc:
        errors.add("permit_held", exc.code, exc.message)
    data["note"] = cells.text(raw.get("note"))
    if record:
        for name, (only, message) in _ONLY_FOR.items():
            if only != record and data.get(name):
                errors.add(name, "not_applicable", str(message))
    return national, record, data


def _service_data(record: str, data: dict[str, Any]) -> dict[str, Any]:
    """The row as `history_save_batch` takes it: the columns of its record type."""
    keep = (
        ("city", "kind", "start", "end", "note")
        if record == HistoryRecord.CONTRIBUTION
        else ("city", "start", "end", "permit_held", "tenure", "note")
    )
    return {k: data[k] for k in keep if k in data}


def _key(national: NationalId | None, record: str, data: dict[str, Any]) -> bytes | None:
    """The row's identity in the file: the worker (17-digit ID body), the record type and every
    read column but the note (what the settlement service compares to find a spell already
    recorded, plus any column of the other record type, which makes the row invalid)."""
    if national is None or not record or "start" not in data or "end" not in data:
        return None
    parts = [national.number[:17], record] + [
        str(data.get(f)) for f in ("city", "kind", "start", "end", "permit_held", "tenure")
    ]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=12).digest()


def history_keys(raw: Cells) -> set[Any]:
    """What a committed row contributes to duplicate detection (used again when resuming)."""
    national, record, data = _parse(raw, FieldErrors())
    key = _key(national, record, data)
    return {("h", key)} if key is not None else set()


def _not_found(spell_row: int, raw: Cells) -> RowError:
    return RowError(
        spell_row,
        "national_id",
        masked("national_id", raw.get("national_id")),
        "worker_not_found",
        _(
            "No worker with this ID number is registered in your area; register them first "
            "(workers import) or check the number."
        ),
    )


def process_history(ctx: Context, batch: list[tuple[int, Cells]]) -> BatchResult:
    result = BatchResult()
    spells: list[_Spell] = []
    for row, raw in batch:
        errors = FieldErrors()
        national, record, data = _parse(raw, errors)
        key = _key(national, record, data)
        if key is not None:
            # Checked before the row's own errors: a row identical to an earlier one is that
            # row again, whatever happened to it — the same answer when a resumed run only
            # remembers the earlier rows' keys.
            if ("h", key) in ctx.seen or ("h", key) in result.seen:
                result.counts["duplicate_in_file"] += 1
                result.errors.append(
                    RowError(
                        row,
                        "",
                        "",
                        "duplicate_in_file",
                        _(
                            "The same spell of the same worker is on an earlier row of this file; this row is skipped."
                        ),
                    )
                )
                continue
            result.seen.add(("h", key))
        if errors:
            result.counts["invalid"] += 1
            result.errors.extend(_field_errors(row, errors, raw))
            continue
        assert national is not None
        spells.append(
            _Spell(
                row,
                raw,
                record,
                _service_data(record, data),
                crypto.blind_index(national.number, context="national_id"),
            )
        )
    if not spells:
        return result
    found = {
        # A merged record stands for the worker it was merged into (workers: duplicates and merge).
        w.national_id_hash: w.merged_into if w.merged_into_id else w
        for w in Worker.objects.filter(
            national_id_hash__in={s.id_hash for s in spells}
        ).select_related("merged_into")
    }
    by_worker: dict[int, tuple[Worker, list[_Spell]]] = {}
    for spell in spells:
        worker = found.get(spell.id_hash)
        if worker is None or not _can_edit(ctx.actor, worker):
            # Unknown and out of the importer's area look the same (404 elsewhere).
            result.counts["invalid"] += 1
            result.errors.append(_not_found(spell.row, spell.raw))
            continue
        by_worker.setdefault(worker.pk, (worker, []))[1].append(spell)
    for worker, own in by_worker.values():
        for chunk in _chunks(own, MAX_BATCH):
            _save(ctx.actor, worker, chunk, result)
    return result


def _can_edit(actor: Actor, worker: Worker) -> bool:
    try:
        history_require_can_edit(actor, worker)
    except ApplicationError:
        return False
    return True


def _chunks(items: list[_Spell], size: int) -> Iterator[list[_Spell]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _save(actor: Actor, worker: Worker, spells: list[_Spell], result: BatchResult) -> None:
    """One worker's spells through `history_save_batch` (all or nothing, in a savepoint). Rows
    the service refuses are reported and the rest saved again: at most one retry, since the
    service's checks look at each row alone."""
    pending = list(spells)
    while pending:
        lists = {
            "contributions": [s for s in pending if s.record == HistoryRecord.CONTRIBUTION],
            "residences": [s for s in pending if s.record == HistoryRecord.RESIDENCE],
        }
        try:
            counts = history_save_batch(
                actor=actor,
                worker=worker,
                contributions=[s.data for s in lists["contributions"]] or None,
                residences=[s.data for s in lists["residences"]] or None,
                replace=False,
            )
        except ValidationFailed as exc:
            refused = _refused_rows(exc, lists)
            if not refused:  # not about any one row: every row of the call carries it
                refused = {id(s): (s, FieldErrors()) for s in pending}
                for _s, errors in refused.values():
                    errors.add("", exc.code, exc.message)
            for spell, errors in refused.values():
                result.counts["invalid"] += 1
                result.errors.extend(_field_errors(spell.row, errors, spell.raw))
            pending = [s for s in pending if id(s) not in refused]
            continue
        except ApplicationError as exc:
            for spell in pending:
                result.counts["conflicts" if exc.status == 409 else "invalid"] += 1
                result.errors.append(RowError(spell.row, "", "", exc.code, exc.message))
            return
        result.counts["created"] += counts["contributions"] + counts["residences"]
        result.counts["unchanged"] += counts["skipped"]
        return


def _refused_rows(
    exc: ValidationFailed, lists: dict[str, list[_Spell]]
) -> dict[int, tuple[_Spell, FieldErrors]]:
    refused: dict[int, tuple[_Spell, FieldErrors]] = {}
    for name, err in exc.fields.items():
        match = _LIST_FIELD.match(name)
        if match is None:
            continue
        rows = lists[match.group(1)]
        position = int(match.group(2)) - 1
        if not 0 <= position < len(rows):
            continue
        spell = rows[position]
        refused.setdefault(id(spell), (spell, FieldErrors()))[1].add(
            match.group(3), err["code"], err["message"]
        )
    return refused
