"""Grouped counts in the database, turned into Tables: one GROUP BY for the regional rows and
one for the total (so that distinct counts and averages are exact in the total too).

Region rows come from the leading digits of the record's region code (SUBSTR, portable across
SQLite and PostgreSQL); the region filter is a code range that the b-tree indexes on the region
columns serve.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, QuerySet
from django.db.models.functions import Substr

from gongyou.regions.selectors import region_names, region_range_q

from .registry import Column, Context, Row, Table


def region_name(code: str) -> str:
    entry = region_names().get(code)
    return entry[0] if entry else code


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "total_seconds"):  # an average duration, shown in days
        return round(value.total_seconds() / 86400, 1)
    return value


def in_region(qs: QuerySet[Any], ctx: Context, region_field: str) -> QuerySet[Any]:
    return qs.filter(region_range_q(region_field, ctx.prefix)) if ctx.prefix else qs


def _area_rows(qs: QuerySet[Any], ctx: Context, region_field: str) -> QuerySet[Any]:
    return qs.annotate(_area=Substr(region_field, 1, ctx.child_length))


def _finish(
    ctx: Context,
    columns: list[Column],
    by_area: dict[str, dict[str, Any]],
    total: dict[str, Any],
    derive: Callable[[dict[str, Any]], None] | None,
) -> Table:
    rows = []
    for area in sorted(by_area):
        code = area.ljust(6, "0")
        values = by_area[area]
        if derive:
            derive(values)
        rows.append(Row(key=code, label=region_name(code), values=values, region=code))
    if derive:
        derive(total)
    label = region_name(ctx.prefix.ljust(6, "0")) if ctx.prefix else ""
    return Table(
        columns=columns,
        rows=rows if ctx.has_children else [],
        total=Row(key="total", label=label, values=total, region=ctx.prefix.ljust(6, "0") or None),
    )


def by_measures(
    qs: QuerySet[Any],
    ctx: Context,
    *,
    region_field: str,
    columns: list[Column],
    measures: Mapping[str, Aggregate],
    derive: Callable[[dict[str, Any]], None] | None = None,
    additive: bool = False,
) -> Table:
    """One column per aggregate (e.g. open, overdue, closed), one row per child region.
    `additive`: every measure is a plain count (no DISTINCT, no average, no decimal sum), so
    the total is the sum of the region rows and needs no second query."""
    qs = in_region(qs, ctx, region_field)
    by_area: dict[str, dict[str, Any]] = {}
    if ctx.has_children:
        for row in (
            _area_rows(qs, ctx, region_field).values("_area").annotate(**measures).order_by()
        ):
            by_area[row["_area"]] = {k: _number(row[k]) or 0 for k in measures}
    if additive and ctx.has_children:
        total = {k: sum(values[k] for values in by_area.values()) for k in measures}
    else:
        total_row = qs.aggregate(**measures)
        total = {k: _number(total_row[k]) or 0 for k in measures}
    return _finish(ctx, columns, by_area, total, derive)


def by_category(
    qs: QuerySet[Any],
    ctx: Context,
    *,
    region_field: str,
    category: Any,
    choices: Sequence[tuple[str, Any]],
    measure: Aggregate,
    total_label: Any = None,
    derive: Callable[[dict[str, Any]], None] | None = None,
    other_label: Any = None,
    extra: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None,
) -> Table:
    """One column per category value (e.g. sex), one row per child region, plus a Total column.

    `category` is a field name or an expression (annotated as `_cat`). Values outside
    `choices` (such as an empty field) are counted under "Not given" when `other_label` is set.
    """
    qs = in_region(qs, ctx, region_field).annotate(
        _cat=category if not isinstance(category, str) else _field(category)
    )
    keys = [str(k) for k, _label in choices]
    columns = [Column(k, str(label)) for k, label in choices]
    if other_label is not None:
        columns.append(Column("_other", str(other_label)))
    if total_label is not None:
        columns.append(Column("_total", str(total_label)))

    def put(target: dict[str, Any], cat: Any, value: Any) -> None:
        key = str(cat) if str(cat) in keys else "_other"
        if key == "_other" and other_label is None:
            return
        target[key] = target.get(key, 0) + (_number(value) or 0)

    def blank() -> dict[str, Any]:
        values: dict[str, Any] = {c.key: 0 for c in columns}
        return values

    by_area: dict[str, dict[str, Any]] = {}
    if ctx.has_children:
        for row in (
            _area_rows(qs, ctx, region_field)
            .values("_area", "_cat")
            .annotate(_v=measure)
            .order_by()
        ):
            put(by_area.setdefault(row["_area"], blank()), row["_cat"], row["_v"])
    total = blank()
    for row in qs.values("_cat").annotate(_v=measure).order_by():
        put(total, row["_cat"], row["_v"])
    if extra is not None:  # counts read from a rollup for part of the period: {_area, _cat, _v}
        extra_area, extra_total = extra
        if ctx.has_children:
            for row in extra_area:
                put(by_area.setdefault(row["_area"], blank()), row["_cat"], row["_v"])
        for row in extra_total:
            put(total, row["_cat"], row["_v"])
    if total_label is not None:
        for values in [*by_area.values(), total]:
            values["_total"] = sum(v for k, v in values.items() if k != "_total")
    return _finish(ctx, columns, by_area, total, derive)


def _field(name: str) -> Any:
    from django.db.models import F

    return F(name)
