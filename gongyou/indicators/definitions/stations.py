"""Station indicators: stations by type, workers covered, visits per day and by service."""

from __future__ import annotations

from django.db.models import Count
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongyou.stations.enums import ServiceType, StationType
from gongyou.stations.policies import stations_visible_to, visits_visible_to

from .. import rollups
from ..aggregate import by_category
from ..registry import Context, Indicator, Table, register, register_group
from .common import as_of, can_view_stations, period_bounds

register_group("stations", _("Stations and services"))
TOTAL = _("Total")
SCOPE = _("The selected region and its subdivisions; only stations your organisation may see.")


def _stations(ctx: Context) -> Table:
    qs = stations_visible_to(ctx.actor).filter(is_active=True, created_at__lt=as_of(ctx))
    return by_category(
        qs,
        ctx,
        region_field="region_id",
        category="type",
        choices=StationType.choices,
        measure=Count("id"),
        total_label=TOTAL,
    )


def _visits(ctx: Context):
    start, end = period_bounds(ctx)
    return visits_visible_to(ctx.actor).filter(at__gte=start, at__lt=end)


def _visit_counts(ctx: Context, *, field: str, rollup_field: str, choices, derive=None) -> Table:
    """Visit counts by a category: the rollup's rows for the period, plus the visits logged
    since its last refresh or catch-up (above its high-water mark), counted directly."""
    direct, extra = _visits(ctx), None
    state = rollups.visit_rollup_state(ctx)
    if state is not None:
        area, total = rollups.visit_rollup_counts(ctx, category=rollup_field)
        rename = [{"_area": r.get("_area"), "_cat": r[rollup_field], "_v": r["_v"]} for r in area]
        extra = (rename, [{"_cat": r[rollup_field], "_v": r["_v"]} for r in total])
        direct = direct.filter(pk__gt=state.high_water)
    return by_category(
        direct,
        ctx,
        region_field="station__region_id",
        category=field,
        choices=choices,
        measure=Count("id"),
        total_label=TOTAL,
        derive=derive,
        extra=extra,
    )


def _covered(ctx: Context) -> Table:
    return by_category(
        _visits(ctx).filter(worker__isnull=False),
        ctx,
        region_field="station__region_id",
        category="station__type",
        choices=StationType.choices,
        measure=Count("worker_id", distinct=True),
        total_label=None,
    )


def _by_service(ctx: Context) -> Table:
    return _visit_counts(ctx, field="service", rollup_field="service", choices=ServiceType.choices)


def _per_day(ctx: Context) -> Table:
    days = ctx.days

    def per_day(values: dict) -> None:
        for key, value in values.items():
            values[key] = round(value / days, 1)

    return _visit_counts(
        ctx,
        field="station__type",
        rollup_field="station_type",
        choices=StationType.choices,
        derive=per_day,
    )


register(
    Indicator(
        key="stations_by_type",
        title=_("Stations by type"),
        group="stations",
        counts=_(
            "Active stations open on the last day of the period, by type. Union rest "
            "stations (工会驿站) are counted apart from migrant-worker service stations."
        ),
        source=_("Station records, in the region where the station is."),
        filters=format_lazy(
            "{}{}", _("Active, created on or before the last day of the period. "), SCOPE
        ),
        unit=_("stations"),
        period="stock",
        compute=_stations,
        available=can_view_stations,
        caveat=_("ACFTU, end of 2024: 186,100 union stations (all kinds, nationwide)."),
    )
)
register(
    Indicator(
        key="workers_covered",
        title=_("Workers covered by stations"),
        group="stations",
        counts=_(
            "Different registered workers who used a station at least once in the period, "
            "by the type of station. A worker who used two types counts once in each, and "
            "once in the total."
        ),
        source=_("Service visits that name a registered worker, in the station's region."),
        filters=format_lazy("{}{}", _("Visits within the period. "), SCOPE),
        unit=_("workers"),
        period="flow",
        compute=_covered,
        available=can_view_stations,
        caveat=_(
            "ACFTU's 'workers covered' (193 million at the end of 2024) estimates everyone "
            "near a station; this indicator counts only workers seen at one."
        ),
        chart="none",
    )
)
register(
    Indicator(
        key="visits_per_day",
        title=_("Visits per day"),
        group="stations",
        counts=_(
            "Service visits in the period divided by the number of days in it, by the type "
            "of station."
        ),
        source=_(
            "Service visits logged at the front desk or through the API, in the station's region."
        ),
        filters=format_lazy("{}{}", _("Visits within the period. "), SCOPE),
        unit=_("visits a day"),
        period="flow",
        compute=_per_day,
        available=can_view_stations,
        caveat=_("ACFTU, end of 2024: 2.31 million people served a day at union stations."),
    )
)
register(
    Indicator(
        key="visits_by_service",
        title=_("Visits by service"),
        group="stations",
        counts=_("Service visits in the period, by the service given."),
        source=_("Service visits, in the station's region."),
        filters=format_lazy("{}{}", _("Visits within the period. "), SCOPE),
        unit=_("visits"),
        period="flow",
        compute=_by_service,
        available=can_view_stations,
    )
)
