from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict


def _required(*names: str) -> Any:
    def extra(schema: dict[str, Any]) -> None:
        schema["required"] = list(names)

    return extra


class StationCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra=_required("name", "type", "organisation", "region", "address")
    )

    code: str | None = None
    name: str | None = None
    type: str | None = None
    organisation: int | None = None
    region: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    opening_hours: str | None = None
    open_24h: bool | None = None
    services: list[str] | None = None
    phone: str | None = None


class StationUpdate(Schema):
    name: str | None = None
    type: str | None = None
    organisation: int | None = None
    region: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    opening_hours: str | None = None
    open_24h: bool | None = None
    services: list[str] | None = None
    phone: str | None = None
    is_active: bool | None = None


class StationRead(Schema):
    id: int
    code: str
    name: str
    type: str
    organisation: int
    region: str
    address: str
    latitude: float | None
    longitude: float | None
    opening_hours: str
    open_24h: bool
    services: list[str]
    phone: str
    is_active: bool
    distance_km: float | None = None

    @staticmethod
    def resolve_organisation(obj: Any) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_distance_km(obj: Any) -> float | None:
        d = getattr(obj, "distance_km", None)
        return round(d, 3) if d is not None else None


class StationFilterIn(Schema):
    near: str | None = None
    region: str | None = None
    type: str | None = None
    service: str | None = None
    q: str | None = None


class StationDay(Schema):
    day: dt.date
    total: int
    counts: dict[str, int]


class VisitCreate(Schema):
    model_config = ConfigDict(json_schema_extra=_required("station_id", "service"))

    station_id: int | None = None
    service: str | None = None
    worker_id: int | None = None
    note: str | None = None
    at: str | None = None


class VisitRead(Schema):
    id: int
    station_id: int
    service: str
    worker_id: int | None
    staff_id: int | None
    at: dt.datetime
    note: str
    created_at: dt.datetime


class VisitFilterIn(Schema):
    station_id: int | None = None
    worker_id: int | None = None
    service: str | None = None
    region: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    date: dt.date | None = None


class ServiceTypeRead(Schema):
    code: str
    label: str
