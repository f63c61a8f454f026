"""API schemas of publicservices. Inputs are lenient (services validate every field and name each
bad one in one 422); outputs carry trust tags and sources. Names are prefixed so they never clash
with another app's components in the one OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class CatalogueFilterIn(Schema):
    city: str | None = None
    kind: str | None = None
    q: str | None = None


class PublicServiceCreateIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["city", "kind", "name"]})

    city: str | None = None
    kind: str | None = None
    name: str | None = None


class ServiceVersionIn(Schema):
    """A new draft: omitted fields are copied from the latest version."""

    beneficiary: str | None = None
    department: int | None = None
    department_name: str | None = None
    effective_from: Any = None
    effective_to: Any = None
    open_to_all: bool | None = None
    conditions: list[dict[str, Any]] | None = None
    needs_points: bool | None = None
    documents: list[str] | None = None
    how_to_apply: str | None = None
    source: str | None = None
    trust: str | None = None
    summary: str | None = None
    copy_from: int | None = None


class ServiceVersionPatch(ServiceVersionIn):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})
    version: Any = None


class ServiceVersionTransitionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "version"]})

    to_status: str | None = None
    reason: str | None = None
    version: Any = None


class ServiceVersionRead(Schema):
    id: int
    service_id: int
    number: int
    status: str
    beneficiary: str
    department_id: int | None
    department: str
    effective_from: dt.date
    effective_to: dt.date | None
    open_to_all: bool
    conditions: list[dict[str, Any]]
    needs_points: bool
    documents: list[str]
    how_to_apply: str
    source: str
    trust: str
    summary: str
    version: int
    published_at: dt.datetime | None


class PublicServiceRead(Schema):
    id: int
    city: str
    city_name: str
    kind: str
    kind_label: str
    name: str
    in_force: ServiceVersionRead | None
    versions: list[ServiceVersionRead]


class FamilyMemberIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["relation", "name"]})

    relation: str | None = None
    name: str | None = None
    birth_date: Any = None
    school_stage: str | None = None
    lives_with_worker: bool | None = True
    note: str | None = None


class FamilyMemberPatch(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})

    relation: str | None = None
    name: str | None = None
    birth_date: Any = None
    school_stage: str | None = None
    lives_with_worker: bool | None = None
    note: str | None = None
    version: Any = None


class FamilyMemberRead(Schema):
    id: int
    relation: str
    name: str
    birth_date: dt.date | None
    age: int | None
    school_stage: str
    lives_with_worker: bool
    note: str
    version: int


class ServiceAnswerOut(Schema):
    service_id: int
    service: str
    kind: str
    kind_label: str
    version_id: int
    beneficiary: str
    member_id: int | None
    member_name: str
    availability: str
    availability_label: str
    conditions: list[dict[str, Any]]
    missing: list[str]
    eligible_on: str | None
    documents: list[str]
    how_to_apply: str
    department: str
    department_id: int | None
    trust: str
    source: str


class WorkerServicesOut(Schema):
    worker_id: int
    city: str
    city_name: str
    as_of: str
    usable: list[ServiceAnswerOut]
    not_yet: list[ServiceAnswerOut]
    unknown: list[ServiceAnswerOut]
    documents: list[str]
    note: str
    text: str


class ReferralCreateIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["worker_id", "service_id"]})

    worker_id: int | None = None
    service_id: int | None = None
    family_member_id: int | None = None
    note: str | None = None


class ReferralTransitionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "version"]})

    to_status: str | None = None
    reason: str | None = None
    note: str | None = None
    version: Any = None


class ReferralFilterIn(Schema):
    status: str | None = None
    city: str | None = None
    service_kind: str | None = None
    worker_id: int | None = None
    queue: bool = False


class ReferralRead(Schema):
    id: int
    worker_id: int
    worker_name: str
    family_member_id: int | None
    family_member_name: str
    service_id: int
    service: str
    service_version_id: int
    city: str
    department_id: int | None
    department: str
    status: str
    status_label: str
    availability: str
    note: str
    reason: str
    outcome_note: str
    outcome_at: dt.datetime | None
    created_at: dt.datetime
    version: int
    allowed: list[str]


class ActivityFilterIn(Schema):
    kind: str | None = None
    status: str | None = None
    region: str | None = None
    audience: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    q: str | None = None


class ActivityIn(Schema):
    """A new activity; on PATCH, omitted fields keep their value."""

    kind: str | None = None
    title: str | None = None
    description: str | None = None
    station: int | None = None
    region: str | None = None
    venue: str | None = None
    address: str | None = None
    starts_at: Any = None
    ends_at: Any = None
    places: Any = None
    waiting_list: bool | None = None
    registration_opens_on: Any = None
    registration_closes_on: Any = None
    audience: str | None = None
    child_age_min: Any = None
    child_age_max: Any = None


class ActivityPatch(ActivityIn):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})
    version: Any = None


class ActivityTransitionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "version"]})

    to_status: str | None = None
    reason: str | None = None
    version: Any = None


class ActivityRead(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    organiser_id: int
    organiser: str
    station_id: int | None
    station: str
    region: str
    region_label: str
    venue: str
    address: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    places: int
    places_taken: int
    places_free: int
    waiting_list: bool
    waiting: int
    registration_opens_on: dt.date
    registration_closes_on: dt.date
    audience: str
    child_age_min: int | None
    child_age_max: int | None
    status: str
    status_label: str
    cancel_reason: str
    attended: int
    feedback_count: int
    rating_average: float | None
    version: int
    allowed: list[str]


class RegistrationCreateIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["worker_id"]})

    worker_id: Any = None
    family_member_id: Any = None
    note: str | None = None


class RegistrationTransitionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "version"]})

    to_status: str | None = None
    reason: str | None = None
    version: Any = None


class RegistrationFeedbackIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["rating"]})

    rating: Any = None
    comment: str | None = None


class RegistrationRead(Schema):
    id: int
    activity_id: int
    worker_id: int
    worker_name: str
    family_member_id: int | None
    family_member_name: str
    status: str
    status_label: str
    holds_place: bool
    note: str
    reason: str
    attendance_at: dt.datetime | None
    rating: int | None
    comment: str
    feedback_at: dt.datetime | None
    created_at: dt.datetime
    version: int
    allowed: list[str]
