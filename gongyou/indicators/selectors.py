"""Reads of indicators: the context (region and period the user may ask for), one indicator's
table, the dashboard and the briefing. Every value comes from an indicator's compute, which
starts from the owning app's policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.errors import FieldErrors, NotFound
from gongyou.regions.selectors import region_names
from gongyou.stations.policies import visits_visible_to

from . import rollups
from .aggregate import in_region, region_name
from .definitions.common import period_bounds
from .registry import GROUPS, Context, Indicator, Table, all_indicators, indicator_lookup
from .suppression import suppress

DEFAULT_DAYS = 30
MAX_DAYS = 3660


def indicator_context(
    *,
    actor: Actor,
    region: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> Context:
    """The region (default: the user's own area) and period (default: the last 30 days).
    A region outside the user's area does not exist for them (404)."""
    today = today or timezone.localdate()
    if actor.region_prefix == "-" or not actor.roles:
        raise NotFound()
    errors = FieldErrors()
    code = (region or "").strip()
    if code and (len(code) != 6 or code not in region_names()):
        errors.add("region", "unknown_region", _("No region has this code."))
    end = end or today
    start = start or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        errors.add("start", "after_end", _("The period cannot start after it ends."))
    elif (end - start).days >= MAX_DAYS:
        errors.add("start", "too_long", _("A period is at most ten years."))
    errors.raise_if_any()
    prefix = region_prefix(code) if code else actor.region_prefix
    if actor.region_prefix and not prefix.startswith(actor.region_prefix):
        raise NotFound()
    return Context(actor=actor, prefix=prefix, start=start, end=end, today=today)


def indicator_list(*, actor: Actor) -> list[Indicator]:
    return [i for i in all_indicators() if i.available(actor)]


def indicator_groups(*, actor: Actor) -> list[tuple[Any, list[Indicator]]]:
    visible = indicator_list(actor=actor)
    return [
        (title, [i for i in visible if i.group == key])
        for key, title in GROUPS.items()
        if any(i.group == key for i in visible)
    ]


def indicator_get(*, actor: Actor, key: str) -> Indicator:
    indicator = indicator_lookup(key)
    if indicator is None or not indicator.available(actor):
        raise NotFound()
    return indicator


def indicator_table(*, ctx: Context, indicator: Indicator, published: bool = False) -> Table:
    table = indicator.compute(ctx)
    return suppress(table) if published else table


def visits_daily(*, ctx: Context) -> list[tuple[dt.date, int]]:
    """Visits per calendar day in the period, days without visits as 0: the rollup's days plus
    the visits above its high-water mark (one GROUP BY each), or all counted directly."""
    counts: dict[dt.date, int] = {}
    start, end = period_bounds(ctx)
    direct = visits_visible_to(ctx.actor).filter(at__gte=start, at__lt=end)
    state = rollups.visit_rollup_state(ctx)
    if state is not None:
        counts.update(rollups.visit_rollup_daily(ctx))
        direct = direct.filter(pk__gt=state.high_water)
    for row in (
        in_region(direct, ctx, "station__region_id")
        .annotate(day=TruncDate("at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["day"]] = counts.get(row["day"], 0) + row["n"]
    return [
        (ctx.start + dt.timedelta(days=i), counts.get(ctx.start + dt.timedelta(days=i), 0))
        for i in range(ctx.days)
    ]


def region_trail(*, ctx: Context) -> list[tuple[str, str]]:
    """The breadcrumb from the user's own area down to the selected region: (code, name)."""
    trail = []
    own = len(ctx.actor.region_prefix)
    for length in (2, 4, 6):
        if own < length <= len(ctx.prefix):
            code = ctx.prefix[:length].ljust(6, "0")
            trail.append((code, region_name(code)))
    return trail


@dataclass
class Dashboard:
    ctx: Context
    tables: dict[str, Table] = field(default_factory=dict)
    daily: list[tuple[dt.date, int]] = field(default_factory=list)


DASHBOARD_KEYS = (
    "workers_by_sex",
    "workers_by_age_band",
    "workers_by_migration",
    "workers_by_industry",
    "workers_by_education",
    "stations_by_type",
    "visits_per_day",
    "visits_by_service",
    "cases_status",
    "cases_amounts",
    "training_people",
    "placements",
    "retention",
    "award_migrant_share",
)


def _cache_key(ctx: Context) -> str:
    actor = ctx.actor
    parts = [
        ",".join(sorted(actor.roles)),
        actor.region_prefix,
        str(actor.station_id or ""),
        str(actor.organisation_id or ""),
        ctx.prefix,
        ctx.start.isoformat(),
        ctx.end.isoformat(),
        ctx.today.isoformat(),
        get_language() or "",
    ]
    return "indicators:dashboard:" + "|".join(parts)


def dashboard(*, ctx: Context, use_cache: bool = True) -> Dashboard:
    """Every panel of the dashboard. The figures are kept for INDICATORS_CACHE_SECONDS (default
    300) per scope, region, period and language, so repeated views cost no queries; a user's
    scope is part of the key, so nobody is served another scope's figures."""
    key = _cache_key(ctx)
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return Dashboard(ctx=ctx, tables=cached[0], daily=cached[1])
    board = Dashboard(ctx=ctx)
    for name in DASHBOARD_KEYS:
        indicator = indicator_lookup(name)
        if indicator is not None and indicator.available(ctx.actor):
            board.tables[name] = indicator.compute(ctx)
    if "visits_per_day" in board.tables:
        board.daily = visits_daily(ctx=ctx)
    seconds = int(getattr(settings, "INDICATORS_CACHE_SECONDS", 300))
    if use_cache and seconds > 0:
        cache.set(key, (board.tables, board.daily), seconds)
    return board
