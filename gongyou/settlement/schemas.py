"""API schemas of settlement. Inputs are lenient (services validate every field and name each
bad one in one 422); outputs carry every trust tag and source, and every answer cites the policy
version it used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class ContributionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["city", "kind", "start"]})

    city: str | None = None
    kind: str | None = None
    start: Any = None
    end: Any = None
    note: str | None = None


class ContributionPatch(ContributionIn):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})
    version: Any = None


class ResidenceIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["city", "start", "tenure"]})

    city: str | None = None
    start: Any = None
    end: Any = None
    permit_held: Any = False
    tenure: str | None = None
    note: str | None = None


class ResidencePatch(ResidenceIn):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})
    version: Any = None


class HistoryBatchIn(Schema):
    contributions: list[dict[str, Any]] | None = None
    residences: list[dict[str, Any]] | None = None
    replace: bool = False


class HistoryBatchOut(Schema):
    contributions: int
    residences: int
    skipped: int
    deleted: int


class ContributionRead(Schema):
    id: int
    worker_id: int
    city: str = Field(alias="city_id")
    kind: str
    start: dt.date
    end: dt.date | None
    note: str
    version: int


class ResidenceRead(Schema):
    id: int
    worker_id: int
    city: str = Field(alias="city_id")
    start: dt.date
    end: dt.date | None
    permit_held: bool
    tenure: str
    note: str
    version: int


class FactIn(Schema):
    value: Any = None
    evidence: str | None = None


class FactRead(Schema):
    key: str
    value: Decimal
    evidence: str


class ConditionResult(Schema):
    type: str
    label: str
    status: str
    explanation: str
    missing: str
    blocking: bool
    have: Any = None
    need: Any = None
    trust: str
    source: str
    met_on: dt.date | None = None
    progress: float = 1.0
    options: list[list[ConditionResult]] | None = None
    closest: int | None = None


ConditionResult.model_rebuild()


class PointsItemResult(Schema):
    key: str
    type: str
    label: str
    raw: Decimal
    points: Decimal
    cap: Decimal | None
    capped: bool
    basis: str
    recorded: bool
    trust: str
    source: str


class PointsBlock(Schema):
    items: list[PointsItemResult]
    total: Decimal
    pass_mark: Decimal | None
    last_cutoff: Decimal | None
    cutoff_year: int | None
    gap: Decimal | None
    unrecorded: list[str]


class PolicyCite(Schema):
    version_id: int
    policy_id: int
    policy: str
    number: int
    route: str
    purpose: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    trust: str
    group: str


class Answer(Schema):
    worker_id: int
    city: str
    city_name: str
    as_of: dt.date
    outcome: str
    conditions: list[ConditionResult]
    points: PointsBlock | None
    policy: PolicyCite | None
    eligible_on: dt.date | None
    months_to_eligible: int | None
    progress: float = 0.0
    path: list[str]
    note: str = ""
    national_route: str | None = None
    national_source: str = ""
    reasons: list[str] = []


class Ranking(Schema):
    worker_id: int
    as_of: dt.date
    current_city: str
    hukou_city: str
    answers: list[Answer]
    services: list[Answer]


class EligibilityQuery(Schema):
    as_of: dt.date | None = None


class CityEligibilityQuery(Schema):
    as_of: dt.date | None = None
    purpose: str = "hukou"


class PolicyFilterIn(Schema):
    city: str | None = None
    purpose: str | None = None
    route: str | None = None


class PolicyCreate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["city", "purpose", "name"]})

    city: str | None = None
    purpose: str | None = None
    name: str | None = None


class VersionFields(Schema):
    route: str | None = None
    effective_from: Any = None
    effective_to: Any = None
    conditions: Any = None
    points_items: Any = None
    pass_mark: Any = None
    last_cutoff: Any = None
    cutoff_year: Any = None
    annual_quota: Any = None
    group: Any = None
    source: str | None = None
    trust: str | None = None
    summary: str | None = None


class VersionCreate(VersionFields):
    copy_from: int | None = None


class VersionPatch(VersionFields):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})
    version: Any = None


class VersionTransitionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "version"]})

    to_status: str | None = None
    reason: str | None = None
    version: Any = None


class VersionRead(Schema):
    id: int
    policy_id: int
    number: int
    status: str
    route: str
    effective_from: dt.date
    effective_to: dt.date | None
    conditions: list[dict[str, Any]]
    points_items: list[dict[str, Any]]
    pass_mark: Decimal | None
    last_cutoff: Decimal | None
    cutoff_year: int | None
    annual_quota: int | None
    group: int | None = Field(alias="group_id")
    source: str
    trust: str
    summary: str
    version: int
    published_at: dt.datetime | None


class PolicyListItem(Schema):
    id: int
    city: str = Field(alias="city_id")
    city_name: str
    purpose: str
    name: str


class PolicyRead(PolicyListItem):
    versions: list[VersionRead]
    in_force: int | None


class ImpactRead(Schema):
    version_id: int
    compared_with: int | None
    compared_with_number: int | None
    as_of: dt.date
    city: str
    purpose: str
    workers: int
    newly_eligible: int
    newly_ineligible: int
    eligible_before: int
    eligible_after: int
    by_outcome: dict[str, int]


class ImpactQuery(Schema):
    as_of: dt.date | None = None


class CityGroupIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["name", "cities", "source", "trust"]})

    name: str | None = None
    cities: Any = None
    source: str | None = None
    trust: str | None = None
    note: str | None = None


class CityGroupPatch(CityGroupIn):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})
    version: Any = None


class CityGroupRead(Schema):
    id: int
    name: str
    cities: list[str]
    source: str
    trust: str
    note: str
    version: int


class BatchRunIn(Schema):
    as_of: dt.date | None = None


class BatchRunOut(Schema):
    task_id: str
    status: str


class CityShare(Schema):
    batch: str
    city: str
    city_name: str
    total: int
    eligible: int
    share_eligible: float
    by_outcome: dict[str, int]
