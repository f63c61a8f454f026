"""Access to stations and visits: region subtree, or one station for station staff."""

from __future__ import annotations

from django.db.models import QuerySet

from gongyou.accounts.policies import Actor, Capability
from gongyou.core.errors import NotFound, PermissionDenied

from .models import Station, Visit


def stations_visible_to(actor: Actor) -> QuerySet[Station]:
    if not actor.can(Capability.VIEW_STATIONS):
        return Station.objects.none()
    if actor.is_station_bound:
        return Station.objects.filter(pk=actor.station_id or 0)
    return Station.objects.filter(actor.region_q("region_id"))


def station_is_visible(actor: Actor, station: Station) -> bool:
    if not actor.can(Capability.VIEW_STATIONS):
        return False
    if actor.is_station_bound:
        return station.pk == actor.station_id
    return actor.covers_region(station.region_id)


def visits_visible_to(actor: Actor) -> QuerySet[Visit]:
    if not actor.can(Capability.VIEW_STATIONS):
        return Visit.objects.none()
    if actor.is_station_bound:
        return Visit.objects.filter(station_id=actor.station_id or 0)
    return Visit.objects.filter(actor.region_q("station__region_id"))


def station_require_can_log(actor: Actor, station: Station) -> None:
    if not station_is_visible(actor, station):
        raise NotFound()
    if not actor.can(Capability.LOG_VISITS):
        raise PermissionDenied()
    if (
        actor.station_id is not None
        and not (actor.roles - {"station_staff"})
        and station.pk != actor.station_id
    ):
        raise NotFound()


def station_require_can_manage(actor: Actor, station: Station | None = None) -> None:
    if station is not None and not station_is_visible(actor, station):
        raise NotFound()
    if not actor.can(Capability.MANAGE_STATIONS):
        raise PermissionDenied()
