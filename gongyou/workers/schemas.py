"""API schemas of the registry. Inputs are lenient on purpose: the service validates every field
and names all bad ones in one 422, which a strict schema would cut short at the first missing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from gongyou.regions.selectors import region_label


def _required(*names: str) -> Any:
    def extra(schema: dict[str, Any]) -> None:
        schema["required"] = list(names)

    return extra


class WorkerUpdate(Schema):
    """The editable fields; only those sent are changed (PATCH)."""

    national_id: str | None = None
    name: str | None = None
    phone: str | None = None
    hukou_region: str | None = None
    current_region: str | None = None
    current_address: str | None = None
    education: str | None = None
    employment_form: str | None = None
    industry: str | None = None
    occupation: str | None = None
    union_member: bool | None = None
    union_joined_on: dt.date | None = None


class WorkerCreate(WorkerUpdate):
    model_config = ConfigDict(
        json_schema_extra=_required(
            "national_id", "name", "phone", "hukou_region", "current_region"
        )
    )

    consent: bool | None = None
    consent_method: str | None = None


class WorkerRead(Schema):
    id: int
    national_id: str
    name: str
    sex: str
    birth_date: dt.date
    phone: str
    hukou_region: str
    hukou_region_name: str
    current_region: str
    current_region_name: str
    current_address: str
    migration_scope: str
    education: str
    employment_form: str
    industry: str
    occupation: str | None
    union_member: bool
    union_joined_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_national_id(obj: Any) -> str:
        return obj.national_id_masked

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return obj.phone_masked

    @staticmethod
    def resolve_hukou_region(obj: Any) -> str:
        return obj.hukou_region_id

    @staticmethod
    def resolve_current_region(obj: Any) -> str:
        return obj.current_region_id

    @staticmethod
    def resolve_hukou_region_name(obj: Any) -> str:
        return region_label(obj.hukou_region_id)

    @staticmethod
    def resolve_current_region_name(obj: Any) -> str:
        return region_label(obj.current_region_id)

    @staticmethod
    def resolve_occupation(obj: Any) -> str | None:
        return obj.occupation_id


class WorkerFilterIn(Schema):
    national_id: str | None = None
    phone: str | None = None
    name: str | None = None
    region: str | None = None
    hukou_region: str | None = None
    sex: str | None = None
    education: str | None = None
    industry: str | None = None
    employment_form: str | None = None
    occupation: str | None = None
    migration_scope: str | None = None
    union_member: bool | None = None
    born_after: dt.date | None = None
    born_before: dt.date | None = None


class RevealIn(Schema):
    fields: list[str] = Field(["national_id", "phone"], description="national_id and/or phone")
    purpose: str = Field(
        "",
        description="Required. Why: case, contact, verify, referral or other (stored in the audit log).",
    )
    detail: str = Field("", description="Free text, at most 150 characters; required for other.")


class RevealOut(Schema):
    national_id: str | None = None
    phone: str | None = None


class CertificateCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra=_required(
            "occupation", "certificate_no", "issuing_organisation", "issued_on"
        )
    )

    kind: str = "skill_level"
    occupation: str | None = None
    level: int | None = None
    certificate_no: str | None = None
    issuing_organisation: str | None = None
    issued_on: str | None = None
    expires_on: str | None = None


class CertificateRead(Schema):
    id: int
    kind: str
    occupation: str
    level: int | None
    certificate_no: str
    issuing_organisation: str
    issued_on: dt.date
    expires_on: dt.date | None

    @staticmethod
    def resolve_occupation(obj: Any) -> str:
        return obj.occupation_id


class ConsentCreate(Schema):
    purpose: str
    granted: bool
    method: str


class ConsentRead(Schema):
    id: int
    purpose: str
    granted: bool
    method: str
    notice_version: str
    recorded_at: dt.datetime


class TimelineEntry(Schema):
    at: dt.datetime
    action: str
    summary: str
    actor: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_label


class DuplicateCandidateRead(Schema):
    first: WorkerRead
    second: WorkerRead
    reasons: list[str]


class WorkerMergeIn(Schema):
    model_config = ConfigDict(json_schema_extra=_required("merge_id", "reason"))

    merge_id: int
    reason: str = ""


class WorkerMergeUndoIn(Schema):
    model_config = ConfigDict(json_schema_extra=_required("reason"))

    reason: str = ""


class WorkerMergeRead(Schema):
    id: int
    kept_id: int
    merged_id: int
    at: dt.datetime
    reason: str
    moved: dict[str, list[int]]
    undone_at: dt.datetime | None
