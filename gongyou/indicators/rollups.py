"""Visit rollups: recompute (the `indicators_refresh` task) and read.

The rollup holds visits per (day, station region, station type, service) for the days before
`complete_before` (the day of the last refresh). A read for a period takes the complete days
from the rollup and counts the rest (today, and any day after the last refresh) directly from
the visits, which the index on the visit time serves. Only region-scoped users read rollups:
their visit scope is exactly "the station's region in my subtree", which the rollup's region
column reproduces; station staff (one station) are counted directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from gongyou.core.audit import audit_record
from gongyou.regions.selectors import region_range_q
from gongyou.stations.models import Visit

from .models import RollupState, VisitDayRollup, WorkerRollup
from .registry import Context

VISITS = "visits"
BATCH = 5000


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _grouped(visits: Any) -> Iterable[dict[str, Any]]:
    return (
        visits.annotate(day=TruncDate("at"))
        .values("day", "station__region_id", "station__type", "service")
        .annotate(n=Count("id"))
        .order_by()
    )


@transaction.atomic
def visit_rollup_refresh(
    *, days: Iterable[dt.date] | None = None, now: dt.datetime | None = None
) -> int:
    """Recompute the rollup: every day (days=None) or the given days. Returns rows written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    visits = Visit.objects.filter(at__lt=_day_bounds(today)[0])
    target = VisitDayRollup.objects.all()
    chosen = sorted(set(days)) if days is not None else None
    if chosen is not None:
        chosen = [d for d in chosen if d < today]
        window = Q(pk__in=[])
        for day in chosen:
            low, high = _day_bounds(day)
            window |= Q(at__gte=low, at__lt=high)
        visits = visits.filter(window)
        target = target.filter(day__in=chosen)
    target.delete()
    rows = [
        VisitDayRollup(
            day=r["day"],
            region=r["station__region_id"],
            station_type=r["station__type"],
            service=r["service"],
            visits=r["n"],
        )
        for r in _grouped(visits)
    ]
    VisitDayRollup.objects.bulk_create(rows, batch_size=BATCH)
    if chosen is None:
        RollupState.objects.update_or_create(
            name=VISITS, defaults={"refreshed_at": now, "complete_before": today}
        )
    audit_record(
        actor=None,
        action="indicators.rollup_refresh",
        entity_type="indicators.visitdayrollup",
        entity_id="*",
        after={
            "days": [d.isoformat() for d in chosen] if chosen is not None else "all",
            "rows": len(rows),
        },
        summary=f"Visit rollup: {len(rows)} rows",
    )
    return len(rows)


def complete_before() -> dt.date | None:
    state = RollupState.objects.filter(name=VISITS).first()
    return state.complete_before if state else None


def can_use(ctx: Context) -> bool:
    return not ctx.actor.is_station_bound and complete_before() is not None


def visit_rollup_counts(
    ctx: Context, *, category: str, limit_day: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rollup rows of the period's days before `limit_day`: (by area and category, by category)."""
    qs = VisitDayRollup.objects.filter(day__gte=ctx.start, day__lte=ctx.end, day__lt=limit_day)
    if ctx.prefix:
        qs = qs.filter(region_range_q("region", ctx.prefix))
    by_area = []
    if ctx.has_children:
        by_area = list(
            qs.annotate(_area=Substr("region", 1, ctx.child_length))
            .values("_area", category)
            .annotate(_v=Sum("visits"))
            .order_by()
        )
    total = list(qs.values(category).annotate(_v=Sum("visits")).order_by())
    return by_area, total


def visit_rollup_daily(ctx: Context, *, limit_day: dt.date) -> dict[dt.date, int]:
    qs = VisitDayRollup.objects.filter(day__gte=ctx.start, day__lte=ctx.end, day__lt=limit_day)
    if ctx.prefix:
        qs = qs.filter(region_range_q("region", ctx.prefix))
    return {r["day"]: r["n"] for r in qs.values("day").annotate(n=Sum("visits")).order_by()}


# --- Workers ---------------------------------------------------------------------------------
WORKERS = "workers"
WORKER_DIMENSIONS = (
    "sex",
    "education",
    "industry",
    "employment_form",
    "migration_scope",
    "age_band",
)


@transaction.atomic
def worker_rollup_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute the worker rollup as of today (one GROUP BY per attribute)."""
    from gongyou.workers.models import Worker

    from .definitions.workers import age_band_expression

    now = now or timezone.now()
    today = timezone.localdate(now)
    base = Worker.objects.filter(merged_into__isnull=True)
    high_water = base.aggregate(m=Max("id"))["m"] or 0
    base = base.filter(pk__lte=high_water)
    WorkerRollup.objects.all().delete()
    rows: list[WorkerRollup] = []
    for dimension in WORKER_DIMENSIONS:
        value: Any = age_band_expression(today) if dimension == "age_band" else F(dimension)
        for r in (
            base.annotate(_v=value)
            .values("current_region_id", "_v")
            .annotate(n=Count("id"))
            .order_by()
        ):
            rows.append(
                WorkerRollup(
                    day=today,
                    region=r["current_region_id"],
                    dimension=dimension,
                    value=r["_v"] or "",
                    workers=r["n"],
                )
            )
    WorkerRollup.objects.bulk_create(rows, batch_size=BATCH)
    RollupState.objects.update_or_create(
        name=WORKERS,
        defaults={"refreshed_at": now, "complete_before": today, "high_water": high_water},
    )
    audit_record(
        actor=None,
        action="indicators.rollup_refresh",
        entity_type="indicators.workerrollup",
        entity_id="*",
        after={"day": today, "rows": len(rows), "high_water": high_water},
        summary=f"Worker rollup: {len(rows)} rows",
    )
    return len(rows)


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
    by_area = []
    if ctx.has_children:
        by_area = [
            {"_area": r["_area"], "_cat": r["value"], "_v": r["_v"]}
            for r in qs.annotate(_area=Substr("region", 1, ctx.child_length))
            .values("_area", "value")
            .annotate(_v=Sum("workers"))
            .order_by()
        ]
    total = [
        {"_cat": r["value"], "_v": r["_v"]}
        for r in qs.values("value").annotate(_v=Sum("workers")).order_by()
    ]
    return by_area, total
