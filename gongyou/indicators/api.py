from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination

from . import selectors
from .briefing import briefing_build
from .registry import Indicator, Row
from .schemas import (
    BriefingFilter,
    BriefingRead,
    IndicatorRead,
    IndicatorValuesFilter,
    IndicatorValuesRead,
)

router = Router(tags=["indicators"])


def _definition(indicator: Indicator) -> dict:
    return {
        "key": indicator.key,
        "title": str(indicator.title),
        "group": indicator.group,
        "counts": str(indicator.counts),
        "source": str(indicator.source),
        "filters": str(indicator.filters),
        "unit": str(indicator.unit),
        "period": indicator.period,
        "caveat": str(indicator.caveat),
    }


def _row(row: Row) -> dict:
    values = {k: (None if k in row.suppressed else v) for k, v in row.values.items()}
    return {
        "key": row.key,
        "label": row.label,
        "region": row.region,
        "values": values,
        "suppressed": sorted(row.suppressed),
    }


@router.get("/indicators", response={200: list[IndicatorRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_indicators(request: HttpRequest):
    return [_definition(i) for i in selectors.indicator_list(actor=actor_for(request.user))]


@router.get("/indicators/{key}", response={200: IndicatorRead, **ERRORS})
def get_indicator(request: HttpRequest, key: str) -> object:
    return _definition(selectors.indicator_get(actor=actor_for(request.user), key=key))


@router.get("/indicators/{key}/values", response={200: IndicatorValuesRead, **ERRORS})
def get_indicator_values(
    request: HttpRequest, key: str, filters: Query[IndicatorValuesFilter]
) -> object:
    """Values for a region (default: your area) broken down by the next region level, and the
    total; `published=true` hides counts below the threshold (their value is null)."""
    actor = actor_for(request.user)
    indicator = selectors.indicator_get(actor=actor, key=key)
    ctx = selectors.indicator_context(
        actor=actor, region=filters.region, start=filters.start, end=filters.end
    )
    table = selectors.indicator_table(ctx=ctx, indicator=indicator, published=filters.published)
    return {
        "key": indicator.key,
        "region": ctx.prefix.ljust(6, "0") if ctx.prefix else None,
        "start": ctx.start,
        "end": ctx.end,
        "published": table.published,
        "columns": [{"key": c.key, "label": c.label, "percent": c.percent} for c in table.columns],
        "rows": [_row(r) for r in table.rows],
        "total": _row(table.total) if table.total else None,
    }


@router.get("/briefing", response={200: BriefingRead, **ERRORS})
def get_briefing(request: HttpRequest, filters: Query[BriefingFilter]) -> object:
    return briefing_build(actor=actor_for(request.user), region=filters.region, date=filters.date)
