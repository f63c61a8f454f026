"""API schemas of recognition. Inputs are lenient (the services validate every field and name
all bad ones in one 422); outputs never carry a full ID number."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class RoundCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={"required": ["award_type", "year", "title", "nominations_close_on"]}
    )

    award_type: str | None = None
    year: Any = None
    title: str | None = None
    nominations_close_on: Any = None
    notice_starts_on: Any = None
    notice_ends_on: Any = None
    notes: str | None = None


class RoundUpdate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})

    version: Any = None
    title: str | None = None
    nominations_close_on: Any = None
    notice_starts_on: Any = None
    notice_ends_on: Any = None
    notes: str | None = None


class RoundFilterIn(Schema):
    year: int | None = None
    award_type: str | None = None
    open: bool | None = None


class QuotaIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["organisation_id", "quota"]})

    organisation_id: Any = None
    quota: Any = None


class QuotaRead(Schema):
    organisation_id: int
    organisation: str
    quota: int
    used: int
    awarded: int
    left: int


class RoundRead(Schema):
    id: int
    award_type: str
    year: int
    title: str
    organiser_id: int
    region: str | None = None
    nominations_close_on: dt.date
    notice_starts_on: dt.date | None = None
    notice_ends_on: dt.date | None = None
    notes: str
    concluded_at: dt.datetime | None = None
    version: int

    @staticmethod
    def resolve_region(obj: Any) -> str | None:
        return obj.region_id


class RoundDetail(RoundRead):
    quotas: list[QuotaRead] = []
    awarded: int = 0
    migrant_awarded: int = 0
    migrant_share: float | None = None


class RoundVersionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})

    version: Any = None


class NominationCreate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["nominee_unit", "justification"]})

    worker_id: Any = None
    national_id: str | None = None
    nominee_name: str | None = None
    nominee_unit: str | None = None
    nominee_position: str | None = None
    region: str | None = None
    justification: str | None = None


class NominationUpdate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["version"]})

    version: Any = None
    nominee_unit: str | None = None
    nominee_position: str | None = None
    justification: str | None = None


class NominationTransitionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "reason", "version"]})

    to_status: str | None = None
    reason: str | None = None
    version: Any = None


class NominationFilterIn(Schema):
    round_id: int | None = None
    status: str | None = None
    organisation_id: int | None = None
    migrant: bool | None = None
    region: str | None = None
    name: str | None = None


class NominationRead(Schema):
    id: int
    round_id: int
    organisation_id: int
    worker_id: int | None = None
    is_migrant_worker: bool
    nominee_name: str
    nominee_unit: str
    nominee_position: str
    region: str
    justification: str
    status: str
    version: int
    created_at: dt.datetime
    decided_at: dt.datetime | None = None

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id


class EvidenceRead(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    description: str
    uploaded_at: dt.datetime


class ObjectionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["content"]})

    content: str | None = None
    objector: str | None = None
    received_on: Any = None


class ObjectionHandleIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["decision", "note"]})

    decision: str | None = None
    note: str | None = None


class ObjectionRead(Schema):
    id: int
    received_on: dt.date
    objector: str
    content: str
    status: str
    handling_note: str
    handled_at: dt.datetime | None = None


class WinnerShareRead(Schema):
    round_id: int
    title: str
    year: int
    award_type: str
    awarded: int
    migrant: int
    share: float | None = None
