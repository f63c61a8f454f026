"""Rollups behind the dashboard: recompute them, keep them current, read them.

Visits. `VisitDayRollup` holds the visits per (day, station region, station type, service) of
every visit whose id is at most the state's high-water mark, at three levels of region (the
station's own code, its city, its province: `LEVELS`), each level the sum of the one below.
A read takes the period's rows from the level of the view's child regions and counts directly
only the visits above the mark (logged since the last refresh or catch-up: a few minutes'
worth, found through the primary key).
`visit_rollup_refresh()` recomputes every day (the daily `indicators_refresh` task);
`visit_rollup_catch_up()` (the `indicators_catch_up` task, every few minutes) recounts today,
so today's inserts, updates and deletes — and a visit whose transaction committed after the
previous look — are exact again at each catch-up, and adds the new visits of earlier days
(backdated or imported) to their rows. A station whose region or type changed since the last
refresh makes the catch-up recompute every day (its visits now count elsewhere). Visits of
earlier days are never edited or deleted by the application; a change made to them outside it
(or a backdated visit committed after a catch-up had passed its id) is corrected by the daily
refresh or `visit_rollup_refresh(days=[...])`.

Workers. `WorkerRollup` holds the registered workers per (current region, attribute, value) as
of the state's day, counting the workers up to the high-water mark, and `WorkerRollupEntry` the
values each of them is counted with. A catch-up takes every worker added or changed since the
last one (`updated_at`, with a margin for transactions still open then), subtracts the values
it was counted with, adds its current ones, and takes out workers merged or deleted; on a new
day it recomputes everything (age bands move). Workers registered after the last catch-up are
counted directly by primary key, so a registration shows at once.

Only region-scoped users read the visit rollup: their visit scope is exactly "the station's
region in my subtree", which the rollup's region column reproduces; station staff (one
station) are counted directly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from gongyou.core.audit import audit_record
from gongyou.regions.selectors import region_range_q
from gongyou.stations.models import Station, Visit

from .models import (
    RollupState,
    StationRollupEntry,
    VisitDayRollup,
    WorkerRollup,
    WorkerRollupEntry,
)
from .registry import Context

VISITS = "visits"
WORKERS = "workers"
BATCH = 5000
# A write whose transaction was still open when a catch-up looked is found by the next one.
MARGIN = dt.timedelta(minutes=10)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _state(name: str, *, lock: bool = False) -> RollupState | None:
    qs = RollupState.objects.filter(name=name)
    return (qs.select_for_update() if lock else qs).first()


def _max_id(qs: Any) -> int:
    return int(qs.aggregate(m=Max("id"))["m"] or 0)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


# --- Visits ----------------------------------------------------------------------------------
# Region levels of the visit rollup: the significant digits a row's region keeps.
LEVELS = (6, 4, 2)
# (day, station region, station type, service) -> visits, and the same keyed by level first.
VisitKey = tuple[dt.date, str, str, str]
LevelKey = tuple[int, dt.date, str, str, str]


def _by_level(counts: Mapping[VisitKey, int]) -> Counter[LevelKey]:
    """The counts of station regions, summed at every level of `LEVELS`."""
    out: Counter[LevelKey] = Counter()
    for (day, region, kind, service), n in counts.items():
        for digits in LEVELS:
            out[(digits, day, region[:digits].ljust(6, "0"), kind, service)] += n
    return out


def _visit_counts(visits: Any) -> dict[VisitKey, int]:
    return {
        (r["day"], r["station__region_id"], r["station__type"], r["service"]): r["n"]
        for r in visits.annotate(day=TruncDate("at"))
        .values("day", "station__region_id", "station__type", "service")
        .annotate(n=Count("id"))
        .order_by()
    }


def _recount_days(*, days: list[dt.date] | None, high_water: int) -> int:
    """Replace the rollup rows of `days` (None: every day) by the visits up to `high_water`."""
    visits = Visit.objects.filter(pk__lte=high_water)
    target = VisitDayRollup.objects.all()
    if days is not None:
        window = Q(pk__in=[])
        for day in days:
            low, high = _day_bounds(day)
            window |= Q(at__gte=low, at__lt=high)
        visits = visits.filter(window)
        target = target.filter(day__in=days)
    target.delete()
    rows = [
        VisitDayRollup(
            digits=digits, day=day, region=region, station_type=kind, service=service, visits=n
        )
        for (digits, day, region, kind, service), n in _by_level(_visit_counts(visits)).items()
    ]
    VisitDayRollup.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _stations_now() -> dict[int, tuple[str, str]]:
    return {
        pk: (region, kind)
        for pk, region, kind in Station.objects.values_list("pk", "region_id", "type")
    }


def _station_entries(stations: dict[int, tuple[str, str]]) -> list[StationRollupEntry]:
    return [
        StationRollupEntry(station_id=pk, region=region, station_type=kind)
        for pk, (region, kind) in stations.items()
    ]


def _stations_moved() -> bool:
    """Has a station counted in the rollup changed region or type since the last full refresh?
    (One small read of each table.) New stations are noted; they move nothing."""
    counted = {
        pk: (region, kind)
        for pk, region, kind in StationRollupEntry.objects.values_list(
            "station_id", "region", "station_type"
        )
    }
    now = _stations_now()
    if any(pk in now and now[pk] != where for pk, where in counted.items()):
        return True
    StationRollupEntry.objects.bulk_create(
        _station_entries({pk: where for pk, where in now.items() if pk not in counted}),
        batch_size=BATCH,
    )
    return False


def _audit(entity_type: str, after: dict[str, Any], summary: str) -> None:
    audit_record(
        actor=None,
        action="indicators.rollup_refresh",
        entity_type=entity_type,
        entity_id="*",
        after=after,
        summary=summary,
    )


@transaction.atomic
def visit_rollup_refresh(
    *, days: Iterable[dt.date] | None = None, now: dt.datetime | None = None
) -> int:
    """Recompute the rollup: every day (days=None), or only the given days up to the current
    high-water mark (e.g. after visits of those days were corrected). Returns rows written."""
    now = now or timezone.now()
    state = _state(VISITS, lock=True)
    if days is not None and state is not None and state.high_water is not None:
        chosen = sorted(set(days))
        written = _recount_days(days=chosen, high_water=state.high_water)
        _audit(
            "indicators.visitdayrollup",
            {"days": [d.isoformat() for d in chosen], "rows": written},
            f"Visit rollup: {written} rows",
        )
        return written
    high_water = _max_id(Visit.objects.all())
    stations = _stations_now()
    written = _recount_days(days=None, high_water=high_water)
    StationRollupEntry.objects.all().delete()
    StationRollupEntry.objects.bulk_create(_station_entries(stations), batch_size=BATCH)
    RollupState.objects.update_or_create(
        name=VISITS,
        defaults={
            "refreshed_at": now,
            "complete_before": timezone.localdate(now),
            "high_water": high_water,
            "changes_since": now,
        },
    )
    _audit(
        "indicators.visitdayrollup",
        {"days": "all", "rows": written, "high_water": high_water},
        f"Visit rollup: {written} rows",
    )
    return written


def _fold_visits(*, low: int, high: int, today: dt.date) -> int:
    """Add the visits with ids in (low, high] of days before today to their rows (one GROUP BY
    over those few visits, found by primary key). Returns rows written."""
    start, _end = _day_bounds(today)
    counts = _by_level(_visit_counts(Visit.objects.filter(pk__gt=low, pk__lte=high, at__lt=start)))
    if not counts:
        return 0
    existing = {
        (r.digits, r.day, r.region, r.station_type, r.service): r
        for r in VisitDayRollup.objects.filter(
            day__in={k[1] for k in counts}, region__in={k[2] for k in counts}
        )
    }
    changed, created = [], []
    for (digits, day, region, kind, service), n in counts.items():
        row = existing.get((digits, day, region, kind, service))
        if row is None:
            created.append(
                VisitDayRollup(
                    digits=digits,
                    day=day,
                    region=region,
                    station_type=kind,
                    service=service,
                    visits=n,
                )
            )
        else:
            row.visits += n
            changed.append(row)
    VisitDayRollup.objects.bulk_update(changed, ["visits"], batch_size=BATCH)
    VisitDayRollup.objects.bulk_create(created, batch_size=BATCH)
    return len(counts)


@transaction.atomic
def visit_rollup_catch_up(*, now: dt.datetime | None = None) -> int:
    """Fold the visits logged since the last refresh or catch-up into the rollup: recount today
    (so today's corrections, deletions and late commits are exact), and add the new visits of
    earlier days (backdated or imported) to their rows. Returns rows written."""
    now = now or timezone.now()
    state = _state(VISITS, lock=True)
    if state is None or state.high_water is None or _stations_moved():
        return visit_rollup_refresh(now=now)
    today = timezone.localdate(now)
    high_water = _max_id(Visit.objects.all())
    previous = state.high_water
    # Recount today and, on the first catch-up after midnight, the days since the last run: a
    # visit of yesterday below the old mark may have committed after that run.
    last_day = timezone.localdate(state.refreshed_at) if state.refreshed_at else today
    recount = [last_day + dt.timedelta(days=n) for n in range(max((today - last_day).days, 0) + 1)][
        -3:
    ]
    written = _recount_days(days=recount, high_water=high_water)
    folded = _fold_visits(low=previous, high=high_water, today=min(recount))
    state.high_water, state.refreshed_at, state.changes_since = high_water, now, now
    state.save(update_fields=["high_water", "refreshed_at", "changes_since"])
    _audit(
        "indicators.visitdayrollup",
        {
            "today_rows": written,
            "earlier_rows": folded,
            "visits": high_water - previous,
            "high_water": high_water,
        },
        f"Visit rollup caught up: {written + folded} rows",
    )
    return written + folded


def visit_rollup_state(ctx: Context) -> RollupState | None:
    """The visit rollup state when this context may read the rollup (else count directly)."""
    if ctx.actor.is_station_bound:
        return None
    state = _state(VISITS)
    return state if state is not None and state.high_water is not None else None


def _rollup_visits(ctx: Context, *, digits: int) -> Any:
    """The period's rollup rows of one level, within the context's region."""
    qs = VisitDayRollup.objects.filter(digits=digits, day__gte=ctx.start, day__lte=ctx.end)
    return qs.filter(region_range_q("region", ctx.prefix)) if ctx.prefix else qs


def _coarsest(ctx: Context) -> int:
    """The coarsest level whose rows lie wholly inside the context's region."""
    return max(len(ctx.prefix), LEVELS[-1])


def _totals(rows: list[dict[str, Any]], category: str) -> list[dict[str, Any]]:
    """Sum area rows by category: a rollup's counts add up, so the total needs no query."""
    sums: dict[Any, int] = {}
    for row in rows:
        sums[row[category]] = sums.get(row[category], 0) + row["_v"]
    return [{category: cat, "_v": v} for cat, v in sums.items()]


def visit_rollup_counts(
    ctx: Context, *, category: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rollup rows of the period: (by area and category, by category). The areas are the
    context's child regions, read from the level of that size."""
    if not ctx.has_children:
        qs = _rollup_visits(ctx, digits=_coarsest(ctx))
        return [], list(qs.values(category).annotate(_v=Sum("visits")).order_by())
    by_area = list(
        _rollup_visits(ctx, digits=ctx.child_length)
        .annotate(_area=Substr("region", 1, ctx.child_length))
        .values("_area", category)
        .annotate(_v=Sum("visits"))
        .order_by()
    )
    return by_area, _totals(by_area, category)


def visit_rollup_daily(ctx: Context) -> dict[dt.date, int]:
    qs = _rollup_visits(ctx, digits=_coarsest(ctx))
    return {r["day"]: r["n"] for r in qs.values("day").annotate(n=Sum("visits")).order_by()}


# --- Workers ---------------------------------------------------------------------------------
WORKER_FIELDS = ("sex", "education", "industry", "employment_form", "migration_scope")
WORKER_DIMENSIONS = (*WORKER_FIELDS, "age_band")
# Worker column -> entry column.
ENTRY_COLUMNS = {
    "id": "worker_id",
    "current_region_id": "region",
    "sex": "sex",
    "birth_date": "birth_date",
    "education": "education",
    "industry": "industry",
    "employment_form": "employment_form",
    "migration_scope": "migration_scope",
}


def _workers() -> Any:
    from gongyou.workers.models import Worker

    return Worker.objects.all()


def _copy_entries(workers: Any) -> None:
    """INSERT … SELECT the counted values of these workers into the entries (one statement)."""
    sql, params = workers.values_list(*ENTRY_COLUMNS).order_by().query.sql_with_params()
    table = connection.ops.quote_name(WorkerRollupEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ENTRY_COLUMNS.values())
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def _values(entry: Mapping[str, Any], day: dt.date) -> list[tuple[str, str, str]]:
    """(dimension, region, value) of every rollup row one worker is counted in."""
    from .definitions.workers import age_band_of

    region = entry["region"]
    keys = [(field, region, entry[field] or "") for field in WORKER_FIELDS]
    keys.append(("age_band", region, age_band_of(entry["birth_date"], day)))
    return keys


@transaction.atomic
def worker_rollup_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute the worker rollup as of today: copy the counted values of every worker, then
    one GROUP BY per attribute over that narrow copy. Returns rows written."""
    from .definitions.workers import age_band_expression

    now = now or timezone.now()
    today = timezone.localdate(now)
    _state(WORKERS, lock=True)
    base = _workers().filter(merged_into__isnull=True)
    high_water = _max_id(_workers())
    WorkerRollupEntry.objects.all().delete()
    _copy_entries(base.filter(pk__lte=high_water))
    WorkerRollup.objects.all().delete()
    rows: list[WorkerRollup] = []
    for dimension in WORKER_DIMENSIONS:
        value: Any = age_band_expression(today) if dimension == "age_band" else F(dimension)
        for r in (
            WorkerRollupEntry.objects.annotate(_v=value)
            .values("region", "_v")
            .annotate(n=Count("worker_id"))
            .order_by()
        ):
            rows.append(
                WorkerRollup(
                    day=today,
                    region=r["region"],
                    dimension=dimension,
                    value=r["_v"] or "",
                    workers=r["n"],
                )
            )
    WorkerRollup.objects.bulk_create(rows, batch_size=BATCH)
    RollupState.objects.update_or_create(
        name=WORKERS,
        defaults={
            "refreshed_at": now,
            "complete_before": today,
            "high_water": high_water,
            "changes_since": now,
        },
    )
    _audit(
        "indicators.workerrollup",
        {"day": today, "rows": len(rows), "high_water": high_water},
        f"Worker rollup: {len(rows)} rows",
    )
    return len(rows)


class _OutOfStep(Exception):
    """The rollup and its entries disagree (a row would go below zero): recompute."""


def _apply(deltas: Counter[tuple[str, str, str]], day: dt.date) -> None:
    """Add the deltas to the rollup rows of `day` (rows that reach zero go)."""
    deltas = Counter({k: v for k, v in deltas.items() if v})
    if not deltas:
        return
    regions = {region for _d, region, _v in deltas}
    existing = {
        (r.dimension, r.region, r.value): r
        for r in WorkerRollup.objects.filter(day=day, region__in=regions)
    }
    changed, created, emptied = [], [], []
    for key, delta in deltas.items():
        row = existing.get(key)
        workers = (row.workers if row is not None else 0) + delta
        if workers < 0:
            raise _OutOfStep()
        if row is None:
            created.append(
                WorkerRollup(day=day, dimension=key[0], region=key[1], value=key[2], workers=delta)
            )
        elif workers == 0:
            emptied.append(row.pk)
        else:
            row.workers = workers
            changed.append(row)
    WorkerRollup.objects.filter(pk__in=emptied).delete()
    WorkerRollup.objects.bulk_update(changed, ["workers"], batch_size=BATCH)
    WorkerRollup.objects.bulk_create(created, batch_size=BATCH)


def _fold(ids: Sequence[int], day: dt.date) -> tuple[Counter[tuple[str, str, str]], int]:
    """Count these workers again: their entries become their current values (or go, when the
    worker was merged or deleted). Returns the change to every rollup row and how many of the
    workers changed."""
    columns = list(ENTRY_COLUMNS)
    deltas: Counter[tuple[str, str, str]] = Counter()
    changed = 0
    for chunk in _chunks(ids):
        old = {
            e["worker_id"]: e
            for e in WorkerRollupEntry.objects.filter(worker_id__in=chunk).values()
        }
        new = {
            row[0]: {ENTRY_COLUMNS[c]: v for c, v in zip(columns, row, strict=True)}
            for row in _workers()
            .filter(pk__in=chunk, merged_into__isnull=True)
            .values_list(*columns)
        }
        moved = [pk for pk in chunk if old.get(pk) != new.get(pk)]
        changed += len(moved)
        for pk in moved:
            if pk in old:
                deltas.subtract(_values(old[pk], day))
            if pk in new:
                deltas.update(_values(new[pk], day))
        WorkerRollupEntry.objects.filter(worker_id__in=moved).delete()
        WorkerRollupEntry.objects.bulk_create(
            [WorkerRollupEntry(**new[pk]) for pk in moved if pk in new], batch_size=BATCH
        )
    return deltas, changed


@transaction.atomic
def worker_rollup_catch_up(*, now: dt.datetime | None = None) -> int:
    """Fold the workers added, changed, merged or deleted since the last refresh or catch-up
    into the rollup; on a new day recompute it. Returns how many workers changed (-1: all were
    recounted)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    state = _state(WORKERS, lock=True)
    if (
        state is None
        or state.high_water is None
        or state.changes_since is None
        or state.complete_before != today
    ):
        worker_rollup_refresh(now=now)
        return -1
    high_water = max(_max_id(_workers()), state.high_water)
    # Added since the last catch-up, or changed since then (less the margin for transactions
    # that were still open): one pass over the workers.
    ids = list(
        _workers()
        .filter(
            Q(updated_at__gte=state.changes_since - MARGIN) | Q(pk__gt=state.high_water),
            pk__lte=high_water,
        )
        .values_list("pk", flat=True)
    )
    deltas, changed = _fold(ids, today)
    # Deleted (no `updated_at` left to find) or inserted outside the services: the counts
    # disagree. An attribute changed outside the services without `updated_at` waits for the
    # daily refresh.
    living = _workers().filter(merged_into__isnull=True, pk__lte=high_water)
    if WorkerRollupEntry.objects.count() != living.count():
        missed = set(
            WorkerRollupEntry.objects.exclude(worker_id__in=living.values("pk")).values_list(
                "worker_id", flat=True
            )
        )
        missed.update(
            living.exclude(pk__in=WorkerRollupEntry.objects.values("worker_id")).values_list(
                "pk", flat=True
            )
        )
        more, also = _fold(sorted(missed), today)
        deltas.update(more)
        changed += also
    try:
        with transaction.atomic():
            _apply(deltas, today)
    except _OutOfStep:
        worker_rollup_refresh(now=now)
        return -1
    state.high_water, state.refreshed_at, state.changes_since = high_water, now, now
    state.save(update_fields=["high_water", "refreshed_at", "changes_since"])
    if changed:
        _audit(
            "indicators.workerrollup",
            {"workers": changed, "high_water": high_water},
            f"Worker rollup caught up: {changed} workers",
        )
    return changed


def worker_rollup_state(ctx: Context) -> RollupState | None:
    """The worker rollup, when it counts the stock the context asks for (as of its day)."""
    state = RollupState.objects.filter(name=WORKERS).first()
    if state is None or state.complete_before != ctx.end:
        return None
    return state


def worker_rollup_counts(
    ctx: Context, *, dimension: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    qs = WorkerRollup.objects.filter(day=ctx.end, dimension=dimension)
    if ctx.prefix:
        qs = qs.filter(region_range_q("region", ctx.prefix))
    if not ctx.has_children:
        return [], [
            {"_cat": r["value"], "_v": r["_v"]}
            for r in qs.values("value").annotate(_v=Sum("workers")).order_by()
        ]
    by_area = [
        {"_area": r["_area"], "_cat": r["value"], "_v": r["_v"]}
        for r in qs.annotate(_area=Substr("region", 1, ctx.child_length))
        .values("_area", "value")
        .annotate(_v=Sum("workers"))
        .order_by()
    ]
    return by_area, _totals(by_area, "_cat")
