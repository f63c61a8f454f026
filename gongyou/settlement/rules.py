"""The shapes of policy data: conditions and points items, validated before they are stored.

A policy version keeps `conditions` and `points_items` as JSON lists; these pydantic models are
the only accepted shapes (services call `conditions_clean` / `points_items_clean`). Every entry
carries `trust` and `source`, so one unverified item can be marked on its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from gongyou.classifications.enums import EducationLevel

from .enums import ContributionKind, FactKey, Tenure, Trust

TrustTag = Literal["V", "S", "U"]
MAX_DEPTH = 3


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field("", max_length=200)
    trust: TrustTag = Trust.UNVERIFIED.value  # type: ignore[assignment]
    source: str = Field("", max_length=300)


# -- conditions ---------------------------------------------------------------------------


class SocialInsuranceCondition(_Base):
    """At least `min_months` months of contributions in the city (or its group)."""

    type: Literal["social_insurance"]
    min_months: int = Field(ge=0, le=600)
    kinds: list[ContributionKind] = []  # empty = any kind counts
    consecutive: bool = False  # the run of months up to now, no gap
    while_permit: bool = False  # only months in which a residence permit was held there
    in_group: bool = False  # months anywhere in the version's city group count


class ResidenceCondition(_Base):
    type: Literal["residence"]
    min_months: int = Field(ge=0, le=600)
    permit_only: bool = False
    tenures: list[Tenure] = []
    in_group: bool = False


class ResidencePermitCondition(_Base):
    """Holds a residence permit in the city now."""

    type: Literal["residence_permit"]


class StableJobOrHousingCondition(_Base):
    """Stable job (contributing there now, or declared stable employment), legal housing (owned
    or registered lease there now), or either."""

    type: Literal["stable_job_or_housing"]
    accept: Literal["job", "housing", "either"] = "either"


class AgeCondition(_Base):
    """Age in full years on the evaluation day, and/or a birth-date limit of an application
    round. No limit given = the requirement is known but its figures are not: "to be checked"."""

    type: Literal["age"]
    min_age: int | None = Field(None, ge=0, le=100)
    max_age: int | None = Field(None, ge=0, le=100)
    born_on_or_after: dt.date | None = None

    @model_validator(mode="after")
    def _order(self) -> AgeCondition:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError("min_age is above max_age")
        return self


class SkillLevelCondition(_Base):
    """Holds a valid skill-level certificate at `max_level` or higher (1 = senior technician)."""

    type: Literal["skill_level"]
    max_level: int = Field(ge=1, le=5)


class EducationCondition(_Base):
    type: Literal["education"]
    min_level: EducationLevel


class DeclaredCondition(_Base):
    """A fact staff record after seeing evidence (no criminal record, pays income tax…)."""

    type: Literal["declared"]
    fact: FactKey
    min_value: Decimal = Decimal(1)


class AnyOfCondition(_Base):
    """Alternative routes: met when every condition of one option is met."""

    type: Literal["any_of"]
    options: list[list[Condition]] = Field(min_length=2)


Condition = Annotated[
    SocialInsuranceCondition
    | ResidenceCondition
    | ResidencePermitCondition
    | StableJobOrHousingCondition
    | AgeCondition
    | SkillLevelCondition
    | EducationCondition
    | DeclaredCondition
    | AnyOfCondition,
    Field(discriminator="type"),
]
AnyOfCondition.model_rebuild()

# -- points items --------------------------------------------------------------------------


class _Item(_Base):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    cap: Decimal | None = Field(None, ge=0)  # on the absolute value (a deduction is capped too)


class InsuranceYearsItem(_Item):
    type: Literal["insurance_years"]
    per_year: Decimal
    kinds: list[ContributionKind] = []
    in_group: bool = False
    whole_years: bool = False


class ResidenceYearsItem(_Item):
    type: Literal["residence_years"]
    per_year_owned: Decimal = Decimal(0)
    per_year_rented: Decimal = Decimal(0)  # rented housing and dormitories
    permit_only: bool = False
    in_group: bool = False
    whole_years: bool = False


class PermitYearsItem(_Item):
    type: Literal["permit_years"]
    per_year: Decimal
    whole_years: bool = False


class EducationItem(_Item):
    type: Literal["education"]
    values: dict[EducationLevel, Decimal]


class SkillLevelItem(_Item):
    """Points for the highest valid skill level held; keys are level numbers "1".."5"."""

    type: Literal["skill_level"]
    values: dict[Literal["1", "2", "3", "4", "5"], Decimal]


class AgeBand(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_age: int = Field(ge=0, le=100)
    points: Decimal


class AgeItem(_Item):
    """Points of the first band (ascending `max_age`) the worker's age fits; none above."""

    type: Literal["age"]
    bands: list[AgeBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _ascending(self) -> AgeItem:
        ages = [b.max_age for b in self.bands]
        if ages != sorted(set(ages)):
            raise ValueError("bands must have strictly ascending max_age")
        return self


class DeclaredItem(_Item):
    """`per_unit` points for each unit of a declared fact; negative for a deduction."""

    type: Literal["declared"]
    fact: FactKey
    per_unit: Decimal


PointsItem = Annotated[
    InsuranceYearsItem
    | ResidenceYearsItem
    | PermitYearsItem
    | EducationItem
    | SkillLevelItem
    | AgeItem
    | DeclaredItem,
    Field(discriminator="type"),
]

_conditions = TypeAdapter(list[Condition])
_items = TypeAdapter(list[PointsItem])


def _depth(conditions: list[Any], level: int = 1) -> int:
    deepest = level
    for c in conditions:
        if isinstance(c, AnyOfCondition):
            for option in c.options:
                deepest = max(deepest, _depth(option, level + 1))
    return deepest


def _messages(exc: ValidationError, prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        # Drop pydantic's discriminator tags ("social_insurance") from the path: keep indexes
        # and field names, and number entries from 1 for people.
        parts = [str(int(p) + 1) if p.isdigit() else p for p in loc if "_" not in p or p in _FIELDS]
        where = " → ".join(parts)
        out.setdefault(f"{prefix}.{where}" if where else prefix, str(err["msg"]))
    return out


_FIELDS = {
    "min_months",
    "while_permit",
    "in_group",
    "permit_only",
    "min_age",
    "max_age",
    "born_on_or_after",
    "max_level",
    "min_level",
    "min_value",
    "per_year",
    "per_year_owned",
    "per_year_rented",
    "whole_years",
    "per_unit",
}


def conditions_clean(raw: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """(the normalised list as JSON data, {} ) or ([], {"conditions.<n> → <field>": message})."""
    try:
        parsed = _conditions.validate_python(raw if raw is not None else [])
    except ValidationError as exc:
        return [], _messages(exc, "conditions")
    if _depth(parsed) > MAX_DEPTH:
        return [], {"conditions": f"Alternatives may nest at most {MAX_DEPTH} levels deep."}
    return _conditions.dump_python(parsed, mode="json", exclude_defaults=False), {}


def points_items_clean(raw: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    try:
        parsed = _items.validate_python(raw if raw is not None else [])
    except ValidationError as exc:
        return [], _messages(exc, "points_items")
    keys = [i.key for i in parsed]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        return [], {"points_items": f"Item keys must be unique; repeated: {', '.join(dupes)}."}
    return _items.dump_python(parsed, mode="json"), {}
