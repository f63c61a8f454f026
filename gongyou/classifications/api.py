from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from gongyou.core.api import ERRORS, LimitOffsetPagination

from .enums import EducationLevel, EmploymentForm, Industry, SkillLevel
from .selectors import occupation_list

router = Router(tags=["reference data"])


class OccupationRead(Schema):
    code: str
    name: str
    level: str
    parent_id: str | None
    dictionary_version: str


class OccupationFilter(Schema):
    level: str | None = None
    q: str | None = None


class Choice(Schema):
    code: str | int
    label: str


class ClassificationsRead(Schema):
    education_levels: list[Choice]
    industries: list[Choice]
    employment_forms: list[Choice]
    skill_levels: list[Choice]


def _choices(enum: type) -> list[dict[str, object]]:
    return [{"code": value, "label": str(label)} for value, label in enum.choices]  # type: ignore[attr-defined]


@router.get("/occupations", response={200: list[OccupationRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_occupations(request: HttpRequest, filters: Query[OccupationFilter]):
    return occupation_list(level=filters.level, q=filters.q)


@router.get("/classifications", response={200: ClassificationsRead, **ERRORS})
def list_classifications(request: HttpRequest) -> dict[str, object]:
    return {
        "education_levels": _choices(EducationLevel),
        "industries": _choices(Industry),
        "employment_forms": _choices(EmploymentForm),
        "skill_levels": _choices(SkillLevel),
    }
