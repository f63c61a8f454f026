from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from gongyou.core.api import ERRORS, LimitOffsetPagination

from .selectors import region_get, region_list
from .services import region_set_city_size

router = Router(tags=["reference data"])


class RegionRead(Schema):
    code: str
    name: str
    full_name: str
    level: str
    parent: str | None
    longitude: float | None
    latitude: float | None
    size_class: str
    urban_core_population: int | None
    size_year: int | None
    size_source: str
    size_trust: str

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent_id


class RegionFilter(Schema):
    level: str | None = None
    parent: str | None = None
    q: str | None = None


@router.get("/regions", response={200: list[RegionRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_regions(request: HttpRequest, filters: Query[RegionFilter]):
    return region_list(level=filters.level, parent=filters.parent, q=filters.q)


class CitySizeUpdate(Schema):
    size_class: str = ""
    urban_core_population: int | None = None
    size_year: int | None = None
    size_source: str = ""
    size_trust: str = ""
    population_trust: str = ""


@router.patch("/regions/{code}", response={200: RegionRead, **ERRORS})
def update_region_size(request: HttpRequest, code: str, payload: CitySizeUpdate) -> object:
    """Record a city's size class (2014 standard) with source, year and trust tag (system admins)."""
    return region_set_city_size(actor=request.user, code=code, **payload.model_dump())


@router.get("/regions/{code}", response={200: RegionRead, **ERRORS})
def get_region(request: HttpRequest, code: str) -> object:
    return region_get(code=code)
