"""API schemas of training. Inputs are lenient on purpose (the services validate every field
and name all bad ones in one 422); outputs carry names next to codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import ConfigDict

from gongyou.regions.selectors import region_label


class VersionIn(Schema):
    version: Any = None


class CampaignCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "required": ["name", "kind", "lead_organisation", "starts_on", "ends_on"]
        }
    )

    name: str | None = None
    kind: str | None = None
    lead_organisation: Any = None
    co_organisers: list[Any] | None = None
    starts_on: Any = None
    ends_on: Any = None
    description: str | None = None


class TargetIn(Schema):
    region: str | None = None
    trained: Any = 0
    completed: Any = 0
    certified: Any = 0
    funded_study: Any = 0


class TargetsIn(VersionIn):
    targets: list[TargetIn] = []


class TargetRead(Schema):
    region: str
    region_name: str
    trained: int
    completed: int
    certified: int
    funded_study: int

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return region_label(obj.region_id)


class OrganisationRef(Schema):
    id: int
    name: str


class CampaignRead(Schema):
    id: int
    name: str
    kind: str
    lead_organisation: OrganisationRef
    co_organisers: list[OrganisationRef]
    region: str | None
    starts_on: dt.date
    ends_on: dt.date
    description: str
    version: int

    @staticmethod
    def resolve_region(obj: Any) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_co_organisers(obj: Any) -> list[Any]:
        return list(obj.co_organisers.all())


class ProgressCell(Schema):
    measure: str
    target: int
    actual: int
    percent: int | None


class ProgressRowRead(Schema):
    region: str
    region_name: str
    cells: list[ProgressCell]

    @staticmethod
    def resolve_cells(obj: Any) -> list[dict[str, Any]]:
        return [{"measure": m, "target": t, "actual": a, "percent": p} for m, t, a, p in obj.cells]


class CourseCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "required": [
                "title",
                "occupation",
                "target_level",
                "hours",
                "seats",
                "starts_on",
                "ends_on",
                "region",
                "enrol_opens_on",
                "enrol_closes_on",
            ]
        }
    )

    provider: Any = None
    campaign: Any = None
    title: str | None = None
    occupation: str | None = None
    target_level: Any = None
    hours: Any = None
    min_attendance_percent: Any = None
    seats: Any = None
    starts_on: Any = None
    ends_on: Any = None
    schedule: str | None = None
    region: str | None = None
    address: str | None = None
    subsidy_per_trainee: Any = None
    enrol_opens_on: Any = None
    enrol_closes_on: Any = None


class CourseUpdate(CourseCreate):
    version: Any = None


class CourseRead(Schema):
    id: int
    provider: OrganisationRef
    campaign_id: int | None
    title: str
    occupation: str
    occupation_name: str
    target_level: int
    hours: int
    min_attendance_percent: int
    seats: int
    seats_taken: int
    seats_free: int
    starts_on: dt.date
    ends_on: dt.date
    schedule: str
    region: str
    region_name: str
    address: str
    subsidy_per_trainee: Decimal
    enrol_opens_on: dt.date
    enrol_closes_on: dt.date
    version: int

    @staticmethod
    def resolve_occupation(obj: Any) -> str:
        return obj.occupation_id

    @staticmethod
    def resolve_occupation_name(obj: Any) -> str:
        return obj.occupation.name

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return region_label(obj.region_id)


class CourseFilterIn(Schema):
    occupation: str | None = None
    level: int | None = None
    region: str | None = None
    starts_from: dt.date | None = None
    starts_to: dt.date | None = None
    provider: int | None = None
    campaign: int | None = None
    open_only: bool = False
    q: str | None = None


class EnrolmentCreate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["worker_id"]})

    worker_id: Any = None
    enrol: bool = False
    note: str | None = None


class EnrolmentRead(Schema):
    id: int
    course_id: int
    course_title: str
    worker_id: int
    worker_name: str
    status: str
    holds_seat: bool
    assessed_on: dt.date | None
    assessment_score: Decimal | None
    certificate_id: int | None
    note: str
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_course_title(obj: Any) -> str:
        return obj.course.title

    @staticmethod
    def resolve_worker_name(obj: Any) -> str:
        return obj.worker.name


class EnrolmentFilterIn(Schema):
    course: int | None = None
    worker: int | None = None
    status: str | None = None


class EnrolmentTransitionIn(VersionIn):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "version"]})

    to_status: str | None = None
    reason: str | None = None
    assessed_on: Any = None
    score: Any = None
    certificate_no: str | None = None
    issuing_organisation: str | None = None
    issued_on: Any = None


class AttendanceIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["date", "hours"]})

    date: Any = None
    hours: Any = None


class AttendanceRead(Schema):
    id: int
    enrolment_id: int
    date: dt.date
    hours: Decimal


class ClaimCreate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["enrolment_id"]})

    enrolment_id: Any = None


class ClaimRead(Schema):
    id: int
    enrolment_id: int
    course_id: int
    worker_id: int
    provider_id: int
    campaign_id: int | None
    amount: Decimal
    status: str
    decision_reason: str
    paid_on: dt.date | None
    version: int
    created_at: dt.datetime


class ClaimFilterIn(Schema):
    status: str | None = None
    provider: int | None = None
    campaign: int | None = None
    course: int | None = None


class ClaimTransitionIn(VersionIn):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "version"]})

    to_status: str | None = None
    reason: str | None = None
    paid_on: Any = None


class ClaimTotalsFilterIn(ClaimFilterIn):
    by: str = "provider"


class ClaimTotalRead(Schema):
    key: int | None
    name: str
    claims: int
    amounts: dict[str, Decimal]
    outstanding: Decimal


class RuleIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"required": ["level", "route", "conditions", "trust", "source"]}
    )

    occupation: str | None = None
    level: Any = None
    route: str | None = None
    conditions: Any = None
    trust: str | None = None
    source: str | None = None
    active: bool = True


class RuleUpdate(RuleIn):
    version: Any = None


class RuleRead(Schema):
    id: int
    occupation: str | None
    level: int
    route: str
    conditions: list[dict[str, Any]]
    trust: str
    source: str
    active: bool
    version: int

    @staticmethod
    def resolve_occupation(obj: Any) -> str | None:
        return obj.occupation_id


class RuleFilterIn(Schema):
    occupation: str | None = None
    level: int | None = None


class EligibilityIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["worker_id", "occupation", "level"]})

    worker_id: Any = None
    occupation: str | None = None
    level: Any = None
    years_in_occupation: Any = None
    apprenticeship: bool = False
    diplomas: list[str] = []


class ConditionRead(Schema):
    met: bool
    text: str


class RouteRead(Schema):
    route: str
    trust: str
    source: str
    met: bool
    conditions: list[ConditionRead]


class EligibilityRead(Schema):
    level: int
    occupation: str
    eligible: bool
    standard: str
    already_holds: bool
    best_level: int | None
    routes: list[RouteRead]
    missing: list[str]
    inputs: dict[str, Any]


class InstitutionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["name", "kind", "region"]})

    name: str | None = None
    kind: str | None = None
    region: str | None = None


class InstitutionRead(Schema):
    id: int
    name: str
    kind: str
    region: str

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id


class ProgrammeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "required": ["institution", "name", "level", "credits_required", "tuition", "starts_on"]
        }
    )

    institution: Any = None
    campaign: Any = None
    name: str | None = None
    level: str | None = None
    credits_required: Any = None
    tuition: Any = None
    union_subsidy: Any = None
    starts_on: Any = None
    blended: bool = True


class ProgrammeRead(Schema):
    id: int
    institution_id: int
    institution_name: str
    campaign_id: int | None
    name: str
    level: str
    credits_required: int
    tuition: Decimal
    union_subsidy: Decimal
    starts_on: dt.date
    blended: bool

    @staticmethod
    def resolve_institution_name(obj: Any) -> str:
        return obj.institution.name


class ProgrammeFilterIn(Schema):
    institution: int | None = None
    level: str | None = None


class StudyCreate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["worker_id"]})

    worker_id: Any = None
    subsidy: Any = None


class StudyRead(Schema):
    id: int
    programme_id: int
    worker_id: int
    region: str
    status: str
    subsidy: Decimal
    credits_earned: int
    graduated_on: dt.date | None
    version: int

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_credits_earned(obj: Any) -> int:
        return sum(c.credits for c in obj.credits.all())


class StudyFilterIn(Schema):
    programme: int | None = None
    worker: int | None = None
    status: str | None = None


class StudyTransitionIn(VersionIn):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "version"]})

    to_status: str | None = None
    reason: str | None = None
    graduated_on: Any = None


class CreditIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["module", "credits", "earned_on"]})

    module: str | None = None
    credits: Any = None
    earned_on: Any = None


class CreditRead(Schema):
    id: int
    study_id: int
    module: str
    credits: int
    earned_on: dt.date


class LevelRead(Schema):
    occupation: str
    occupation_name: str
    level: int
    label: str


class StepRead(Schema):
    on: dt.date
    kind: str
    title: str
    detail: str


class PathwayRead(Schema):
    worker_id: int
    education: str
    levels: list[LevelRead]
    steps: list[StepRead]

    @staticmethod
    def resolve_worker_id(obj: Any) -> int:
        return obj.worker.pk

    @staticmethod
    def resolve_education(obj: Any) -> str:
        return obj.worker.education

    @staticmethod
    def resolve_levels(obj: Any) -> list[dict[str, Any]]:
        return [
            {"occupation": c, "occupation_name": n, "level": lv, "label": lb}
            for c, n, lv, lb in obj.levels
        ]
