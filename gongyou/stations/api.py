from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination
from gongyou.core.errors import FieldError, ValidationFailed

from . import selectors, services
from .enums import ServiceType, StationType
from .schemas import (
    ServiceTypeRead,
    StationCreate,
    StationDay,
    StationFilterIn,
    StationRead,
    StationUpdate,
    VisitCreate,
    VisitFilterIn,
    VisitRead,
)

router = Router(tags=["stations and visits"])


def _parse_near(near: str) -> tuple[float, float]:
    try:
        lat_s, lng_s = near.split(",")
        lat, lng = float(lat_s), float(lng_s)
    except ValueError:
        raise ValidationFailed(
            fields={
                "near": FieldError("invalid_format", _("Use near=LAT,LNG, e.g. near=22.54,114.06."))
            }
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationFailed(
            fields={
                "near": FieldError(
                    "out_of_range", _("Latitude is -90..90 and longitude -180..180.")
                )
            }
        )
    return lat, lng


@router.get("/service-types", response={200: list[ServiceTypeRead], **ERRORS})
def list_service_types(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": value, "label": str(label)} for value, label in ServiceType.choices]


@router.get("/station-types", response={200: list[ServiceTypeRead], **ERRORS})
def list_station_types(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": value, "label": str(label)} for value, label in StationType.choices]


@router.post("/stations", response={201: StationRead, **ERRORS})
def create_station(request: HttpRequest, payload: StationCreate) -> tuple[int, object]:
    return 201, services.station_create(
        actor=actor_for(request.user), data=payload.model_dump(exclude_none=True)
    )


@router.get("/stations", response={200: list[StationRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_stations(request: HttpRequest, filters: Query[StationFilterIn]):
    actor = actor_for(request.user)
    f = selectors.StationFilter(
        region=filters.region, type=filters.type, service=filters.service, q=filters.q
    )
    if filters.near:
        lat, lng = _parse_near(filters.near)
        ranked = selectors.station_list_near(actor=actor, lat=lat, lng=lng, limit=50, filters=f)
        for station, distance in ranked:
            station.distance_km = distance  # type: ignore[attr-defined]
        return [s for s, _d in ranked]
    return selectors.station_list(actor=actor, filters=f)


@router.get("/stations/{station_id}", response={200: StationRead, **ERRORS})
def get_station(request: HttpRequest, station_id: int) -> object:
    return selectors.station_get(actor=actor_for(request.user), station_id=station_id)


@router.patch("/stations/{station_id}", response={200: StationRead, **ERRORS})
def update_station(request: HttpRequest, station_id: int, payload: StationUpdate) -> object:
    actor = actor_for(request.user)
    station = selectors.station_get(actor=actor, station_id=station_id)
    return services.station_update(
        actor=actor, station=station, data=payload.model_dump(exclude_unset=True)
    )


@router.get("/stations/{station_id}/today", response={200: StationDay, **ERRORS})
def get_station_today(request: HttpRequest, station_id: int) -> object:
    station = selectors.station_get(actor=actor_for(request.user), station_id=station_id)
    return selectors.station_day_summary(station=station)


@router.post("/visits", response={201: VisitRead, **ERRORS})
def create_visit(
    request: HttpRequest,
    response: HttpResponse,
    payload: VisitCreate,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> tuple[int, object]:
    visit, created = services.visit_log(
        actor=actor_for(request.user),
        station_id=payload.station_id,
        service=payload.service,
        worker_id=payload.worker_id,
        note=payload.note or "",
        at=payload.at,
        idempotency_key=idempotency_key,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return 201, visit


@router.get("/visits", response={200: list[VisitRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_visits(request: HttpRequest, filters: Query[VisitFilterIn]):
    f = selectors.VisitFilter(
        station_id=filters.station_id,
        worker_id=filters.worker_id,
        service=filters.service,
        region=filters.region,
        since=filters.since,
        until=filters.until,
        on_date=filters.date,
    )
    return selectors.visit_list(actor=actor_for(request.user), filters=f)


@router.get("/visits/{visit_id}", response={200: VisitRead, **ERRORS})
def get_visit(request: HttpRequest, visit_id: int) -> object:
    return selectors.visit_get(actor=actor_for(request.user), visit_id=visit_id)
