"""API schemas of jobs. Inputs are lenient: the services validate and name every bad field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict

from gongyou.regions.selectors import region_label


class VacancyCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "required": [
                "title",
                "occupation",
                "headcount",
                "wage_min",
                "wage_max",
                "region",
                "contract_type",
                "social_insurance",
                "housing_meals",
                "shift_pattern",
                "closing_date",
            ]
        }
    )

    employer_id: int | None = None  # required for staff; employer users post for their own
    title: str | None = None
    occupation: str | None = None
    skill_level: int | None = None
    headcount: int | None = None
    wage_min: int | None = None
    wage_max: int | None = None
    region: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    contract_type: str | None = None
    social_insurance: str | None = None
    housing_meals: str | None = None
    shift_pattern: str | None = None
    closing_date: str | None = None
    description: str | None = None
    publish: bool = False


class VacancyUpdate(Schema):
    version: int
    title: str | None = None
    occupation: str | None = None
    skill_level: int | None = None
    headcount: int | None = None
    wage_min: int | None = None
    wage_max: int | None = None
    region: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    contract_type: str | None = None
    social_insurance: str | None = None
    housing_meals: str | None = None
    shift_pattern: str | None = None
    closing_date: str | None = None
    description: str | None = None


class VacancyRead(Schema):
    id: int
    employer_id: int
    employer_name: str
    title: str
    occupation: str
    occupation_name: str
    skill_level: int | None
    headcount: int
    wage_min: int
    wage_max: int
    region: str
    region_name: str
    address: str
    latitude: float | None
    longitude: float | None
    contract_type: str
    social_insurance: str
    housing_meals: str
    shift_pattern: str
    closing_date: dt.date
    description: str
    status: str
    version: int
    posted_by_employer: bool
    published_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_employer_name(obj: Any) -> str:
        return obj.employer.name

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


class VacancyFilterIn(Schema):
    q: str | None = None
    status: str | None = None
    region: str | None = None
    occupation: str | None = None
    employer_id: int | None = None
    wage_at_least: int | None = None
    open_only: bool = False


class VacancyTransitionIn(Schema):
    to_status: str
    reason: str = ""
    version: int


class ScorePart(Schema):
    key: str
    points: int
    max: int
    text: str


class CandidateRead(Schema):
    worker_id: int
    name: str
    phone_masked: str
    current_region: str
    occupation_code: str
    score: int
    components: list[ScorePart]
    open_referral_id: int | None


class CandidatesRead(Schema):
    blocked: str
    items: list[CandidateRead]


class VacancyMatchRead(Schema):
    vacancy: VacancyRead
    score: int
    components: list[ScorePart]
    open_referral_id: int | None


class SeekerIn(Schema):
    version: int | None = None
    status: str | None = None
    desired_occupations: list[str] | None = None
    wage_expectation: int | None = None
    previous_wage: int | None = None
    available_from: str | None = None
    preferred_regions: list[str] | None = None
    max_distance_km: int | None = None
    note: str | None = None


class SeekerRead(Schema):
    worker_id: int
    status: str
    desired_occupations: list[str]
    wage_expectation: int | None
    previous_wage: int | None
    available_from: dt.date | None
    preferred_regions: list[str]
    max_distance_km: int | None
    note: str
    version: int
    indexed_at: dt.datetime | None


class ReferralCreate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["vacancy_id", "worker_id"]})

    vacancy_id: int | None = None
    worker_id: int | None = None
    source: str = "officer"
    fair_id: int | None = None
    note: str = ""


class JobReferralTransitionIn(Schema):
    to_status: str
    reason: str = ""
    version: int
    start_date: str | None = None
    monthly_wage: int | None = None


class JobReferralRead(Schema):
    id: int
    vacancy_id: int
    vacancy_title: str
    employer_name: str
    worker_id: int
    worker_name: str
    phone_masked: str
    status: str
    source: str
    fair_id: int | None
    note: str
    last_reason: str
    score: int | None
    explanation: list[ScorePart]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_vacancy_title(obj: Any) -> str:
        return obj.vacancy.title

    @staticmethod
    def resolve_employer_name(obj: Any) -> str:
        return obj.vacancy.employer.name

    @staticmethod
    def resolve_worker_name(obj: Any) -> str:
        return obj.worker.name

    @staticmethod
    def resolve_phone_masked(obj: Any) -> str:
        return obj.worker.phone_masked


class JobReferralFilterIn(Schema):
    status: str | None = None
    open_only: bool = False
    vacancy_id: int | None = None
    worker_id: int | None = None
    mine: bool = False


class PlacementCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={"required": ["worker_id", "employer_id", "start_date", "monthly_wage"]}
    )

    worker_id: int | None = None
    employer_id: int | None = None
    occupation: str | None = None
    region: str | None = None
    start_date: str | None = None
    monthly_wage: int | None = None
    wage_before: int | None = None


class PlacementRead(Schema):
    id: int
    worker_id: int
    employer_id: int
    employer_name: str
    vacancy_id: int | None
    referral_id: int | None
    occupation: str | None
    region: str
    start_date: dt.date
    monthly_wage: int
    wage_before: int | None
    ended_on: dt.date | None

    @staticmethod
    def resolve_employer_name(obj: Any) -> str:
        return obj.employer.name

    @staticmethod
    def resolve_occupation(obj: Any) -> str | None:
        return obj.occupation_id

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id


class PlacementFilterIn(Schema):
    worker_id: int | None = None


class FollowUpRead(Schema):
    id: int
    placement_id: int
    worker_id: int
    worker_name: str
    employer_name: str
    month: int
    due_on: dt.date
    status: str
    still_employed: bool | None
    current_wage: int | None
    note: str
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_worker_id(obj: Any) -> int:
        return obj.placement.worker_id

    @staticmethod
    def resolve_worker_name(obj: Any) -> str:
        return obj.placement.worker.name

    @staticmethod
    def resolve_employer_name(obj: Any) -> str:
        return obj.placement.employer.name


class FollowUpFilterIn(Schema):
    status: str | None = "due"
    mine: bool = False
    due_by: dt.date | None = None


class FollowUpAnswerIn(Schema):
    reached: bool
    still_employed: bool | None = None
    current_wage: int | None = None
    left_on: str | None = None
    note: str = ""


class FairCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={"required": ["name", "region", "venue", "starts_on"]}
    )

    name: str | None = None
    region: str | None = None
    venue: str | None = None
    starts_on: str | None = None
    ends_on: str | None = None
    description: str | None = None


class FairRead(Schema):
    id: int
    name: str
    region: str
    region_name: str
    venue: str
    starts_on: dt.date
    ends_on: dt.date
    description: str
    status: str

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return region_label(obj.region_id)


class FairTransitionIn(Schema):
    to_status: str
    reason: str = ""


class FairEmployerIn(Schema):
    employer_id: int
    booth: str = ""


class FairVacancyIn(Schema):
    vacancy_id: int


class FairRegistrationIn(Schema):
    worker_id: int


class JobsRowRead(Schema):
    id: int


class EmployerAccountIn(Schema):
    organisation_id: int
    employer_id: int


class EmployerAccountRead(Schema):
    id: int
    organisation_id: int
    employer_id: int
