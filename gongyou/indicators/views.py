"""Indicator pages: the dashboard (charts, regional table), the catalogue of definitions, one
indicator (definition, values by region drillable to counties, exports) and the briefing.

Thin: parse the request, call selectors, render. A region outside the user's area is a 404
(core's ApplicationErrorMiddleware); a bad date or region code is shown next to its input.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import NotFound, ValidationFailed

from . import charts, selectors
from .aggregate import region_name
from .briefing import briefing_build
from .export import table_csv, table_xlsx
from .forms import BriefingForm, PeriodForm
from .registry import Context, Indicator, Table
from .suppression import threshold

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(request: HttpRequest) -> tuple[PeriodForm, Context | None]:
    actor = actor_for(request.user)
    form = PeriodForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    try:
        ctx = selectors.indicator_context(
            actor=actor,
            region=data.get("region") or None,
            start=data.get("start"),
            end=data.get("end"),
        )
    except ValidationFailed as exc:
        form.add_service_error(exc)
        return form, None
    # Show the period actually used (the defaults fill empty inputs).
    shown = request.GET.copy()
    shown["start"], shown["end"] = ctx.start.isoformat(), ctx.end.isoformat()
    form = PeriodForm(shown)
    form.is_valid()
    return form, ctx


def _place(ctx: Context) -> str:
    return region_name(ctx.prefix.ljust(6, "0")) if ctx.prefix else _("National")


def _query(ctx: Context, *, region: str | None = None, published: bool = False) -> str:
    from urllib.parse import urlencode

    params = {"start": ctx.start.isoformat(), "end": ctx.end.isoformat()}
    code = region if region is not None else ctx.prefix.ljust(6, "0") if ctx.prefix else ""
    if code:
        params["region"] = code
    if published:
        params["published"] = "on"
    return urlencode(params)


def _chart(indicator: Indicator, table: Table) -> Any:
    if indicator.chart == "none" or table.total is None:
        return None
    items = [
        (c.label, table.total.values.get(c.key) or 0) for c in table.columns if c.key != "_total"
    ]
    return charts.bar_chart(str(indicator.title), items)


def _cells(table: Table) -> list[dict[str, Any]]:
    """Rows ready for the template: label, drill link, and the values in column order."""
    limit = threshold()
    out = []
    for row in [*table.rows, *([table.total] if table.total else [])]:
        out.append(
            {
                "row": row,
                "is_total": row is table.total,
                "values": [
                    (f"<{limit}" if c.key in row.suppressed else row.values.get(c.key), c)
                    for c in table.columns
                ],
            }
        )
    return out


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form, ctx = _context(request)
    context: dict[str, Any] = {"form": form}
    if ctx is not None:
        board = selectors.dashboard(ctx=ctx)
        panels = []
        for key, table in board.tables.items():
            indicator = selectors.indicator_get(actor=ctx.actor, key=key)
            figures = [
                (c, table.total.values.get(c.key) if table.total else None) for c in table.columns
            ]
            panels.append(
                {
                    "indicator": indicator,
                    "figures": figures,
                    "rounds": table.rows if key == "award_migrant_share" else [],
                    "chart": _chart(indicator, table),
                }
            )
        regional = _regional(board.tables)
        context.update(
            {
                "ctx": ctx,
                "place": _place(ctx),
                "trail": selectors.region_trail(ctx=ctx),
                "panels": panels,
                "tiles": _tiles(board.tables),
                "daily_chart": charts.day_chart(_("Visits per day"), board.daily)
                if board.daily
                else None,
                "regional": regional,
                "query": _query(ctx),
                "region_code": ctx.prefix.ljust(6, "0") if ctx.prefix else "",
            }
        )
    return render(request, "indicators/dashboard.html", context)


def _tiles(tables: dict[str, Table]) -> list[tuple[str, Any]]:
    tiles = []
    if "workers_by_sex" in tables:
        tiles.append((_("Registered workers"), tables["workers_by_sex"].total_value("_total")))
    if "stations_by_type" in tables:
        tiles.append((_("Stations"), tables["stations_by_type"].total_value("_total")))
    if "visits_per_day" in tables:
        tiles.append((_("Visits per day"), tables["visits_per_day"].total_value("_total")))
    if "cases_status" in tables:
        tiles.append((_("Open cases"), tables["cases_status"].total_value("open")))
        tiles.append((_("Overdue cases"), tables["cases_status"].total_value("overdue")))
    if "cases_amounts" in tables:
        tiles.append((_("Recovered (yuan)"), tables["cases_amounts"].total_value("recovered")))
    return tiles


def _regional(tables: dict[str, Table]) -> dict[str, Any]:
    """One row per child region with the headline figure of each panel."""
    columns = [
        (key, label, col)
        for key, label, col in (
            ("workers_by_sex", _("Registered workers"), "_total"),
            ("stations_by_type", _("Stations"), "_total"),
            ("visits_per_day", _("Visits per day"), "_total"),
            ("cases_status", _("Open cases"), "open"),
            ("cases_status", _("Overdue cases"), "overdue"),
        )
        if key in tables
    ]
    regions: dict[str, dict[str, Any]] = {}
    for key, _label, col in columns:
        for row in tables[key].rows:
            entry = regions.setdefault(
                row.key, {"label": row.label, "code": row.region, "values": {}}
            )
            entry["values"][(key, col)] = row.values.get(col)
    rows = [
        {
            "label": entry["label"],
            "code": entry["code"],
            "values": [entry["values"].get((k, c), 0) or 0 for k, _l, c in columns],
        }
        for _code, entry in sorted(regions.items())
    ]
    return {"columns": [label for _k, label, _c in columns], "rows": rows}


@login_required
@require_GET
def catalogue_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    return render(
        request,
        "indicators/catalogue.html",
        {"groups": selectors.indicator_groups(actor=actor), "threshold": threshold()},
    )


@login_required
@require_GET
def indicator_page(request: HttpRequest, key: str) -> HttpResponse:
    actor = actor_for(request.user)
    indicator = selectors.indicator_get(actor=actor, key=key)
    form, ctx = _context(request)
    context: dict[str, Any] = {"indicator": indicator, "form": form, "threshold": threshold()}
    if ctx is not None:
        published = bool(form.cleaned_data.get("published"))
        table = selectors.indicator_table(ctx=ctx, indicator=indicator, published=published)
        context.update(
            {
                "ctx": ctx,
                "place": _place(ctx),
                "trail": selectors.region_trail(ctx=ctx),
                "table": table,
                "cells": _cells(table),
                "chart": _chart(indicator, table),
                "query": _query(ctx, published=published),
                "published": published,
                "period": ctx.start.isoformat() + "&" + ctx.end.isoformat(),
                "base_query": _query(ctx, region=""),
            }
        )
    return render(request, "indicators/indicator.html", context)


@login_required
@require_GET
def indicator_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """A published table (small cells hidden) as CSV or Excel."""
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    actor = actor_for(request.user)
    indicator = selectors.indicator_get(actor=actor, key=key)
    form, ctx = _context(request)
    if ctx is None:
        assert form.service_error is not None
        raise form.service_error
    table = selectors.indicator_table(ctx=ctx, indicator=indicator, published=True)
    name = f"{key}-{ctx.prefix or 'national'}-{ctx.start:%Y%m%d}-{ctx.end:%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(table_xlsx(ctx, indicator, table, _place(ctx)), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(
            table_csv(ctx, indicator, table, _place(ctx)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_GET
def briefing_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = BriefingForm(request.GET)
    form.is_valid()
    briefing = None
    try:
        briefing = briefing_build(
            actor=actor,
            region=form.cleaned_data.get("region") or None,
            date=form.cleaned_data.get("date"),
        )
    except ValidationFailed as exc:
        form.add_service_error(exc)
    return render(request, "indicators/briefing.html", {"form": form, "briefing": briefing})
