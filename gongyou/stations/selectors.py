"""Reads of stations and visits, from the policy's scoped querysets."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.errors import NotFound
from gongyou.regions.selectors import region_range_q

from .models import Station, Visit
from .policies import stations_visible_to, visits_visible_to

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


@dataclass
class StationFilter:
    region: str | None = None
    type: str | None = None
    service: str | None = None
    q: str | None = None
    active: bool | None = True


def station_list(*, actor: Actor, filters: StationFilter | None = None) -> QuerySet[Station]:
    f = filters or StationFilter()
    qs = stations_visible_to(actor)
    if f.region:
        qs = qs.filter(region_range_q("region_id", region_prefix(f.region)))
    if f.type:
        qs = qs.filter(type=f.type)
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(code__startswith=f.q) | Q(address__contains=f.q))
    if f.active is not None:
        qs = qs.filter(is_active=f.active)
    if f.service:
        # JSON list membership, portable: filter in the database by text, confirm in Python later.
        qs = qs.filter(services__icontains=f'"{f.service}"')
    return qs.select_related("region", "organisation").order_by("region_id", "code")


def station_list_near(
    *,
    actor: Actor,
    lat: float,
    lng: float,
    limit: int = 20,
    max_km: float = 500.0,
    filters: StationFilter | None = None,
) -> list[tuple[Station, float]]:
    """Nearest stations first with their distance: a growing bounding box on indexed lat/lng, then exact distances.

    Portable (no PostGIS): the box starts at ~5 km and quadruples until it holds `limit` stations
    whose exact distance is within the box's inscribed radius, or reaches `max_km`.
    """
    base = station_list(actor=actor, filters=filters).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    radius = 5.0
    while True:
        dlat = radius / 111.0
        dlng = radius / (111.0 * max(0.05, math.cos(math.radians(lat))))
        candidates = list(
            base.filter(
                latitude__range=(lat - dlat, lat + dlat), longitude__range=(lng - dlng, lng + dlng)
            )
        )
        ranked = sorted(
            (
                (s, haversine_km(lat, lng, s.latitude or 0.0, s.longitude or 0.0))
                for s in candidates
            ),
            key=lambda t: (t[1], t[0].pk),
        )
        inside = [t for t in ranked if t[1] <= radius]
        if len(inside) >= limit or radius >= max_km:
            return [t for t in ranked if t[1] <= max_km][:limit]
        radius *= 4


def station_get(*, actor: Actor, station_id: int) -> Station:
    try:
        return (
            stations_visible_to(actor).select_related("region", "organisation").get(pk=station_id)
        )
    except (Station.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


@dataclass
class VisitFilter:
    station_id: int | None = None
    worker_id: int | None = None
    service: str | None = None
    region: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    on_date: dt.date | None = None


def visit_list(*, actor: Actor, filters: VisitFilter | None = None) -> QuerySet[Visit]:
    f = filters or VisitFilter()
    qs = visits_visible_to(actor)
    if f.station_id:
        qs = qs.filter(station_id=f.station_id)
    if f.worker_id:
        qs = qs.filter(worker_id=f.worker_id)
    if f.service:
        qs = qs.filter(service=f.service)
    if f.region:
        qs = qs.filter(region_range_q("station__region_id", region_prefix(f.region)))
    if f.on_date:
        start = timezone.make_aware(dt.datetime.combine(f.on_date, dt.time.min))
        qs = qs.filter(at__gte=start, at__lt=start + dt.timedelta(days=1))
    if f.since:
        qs = qs.filter(at__gte=f.since)
    if f.until:
        qs = qs.filter(at__lt=f.until)
    return qs.select_related("station", "worker", "staff").order_by("-at", "-id")


def station_day_summary(*, station: Station, day: dt.date | None = None) -> dict[str, object]:
    """Today's (or `day`'s) visits at one station: total, counts per service, latest visits."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    qs = Visit.objects.filter(station=station, at__gte=start, at__lt=start + dt.timedelta(days=1))
    counts = dict(qs.values_list("service").annotate(n=Count("id")).values_list("service", "n"))
    return {
        "day": day,
        "total": sum(counts.values()),
        "counts": counts,
        "latest": list(qs.select_related("worker", "staff").order_by("-at", "-id")[:20]),
    }


def visit_get(*, actor: Actor, visit_id: int) -> Visit:
    try:
        return visits_visible_to(actor).select_related("station").get(pk=visit_id)
    except (Visit.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
