"""API schemas of employers. Inputs are lenient: the service validates and names every bad field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict

from gongyou.regions.selectors import region_label


class EmployerCreate(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["name", "region"]})

    name: str | None = None
    credit_code: str | None = None
    industry: str | None = None
    region: str | None = None
    size_class: str | None = None
    address: str | None = None


class EmployerRead(Schema):
    id: int
    name: str
    credit_code: str
    industry: str
    region: str
    region_name: str
    size_class: str
    address: str
    arrears_flagged: bool
    arrears_flag_reason: str
    arrears_flag_changed_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return region_label(obj.region_id)


class EmployerFilterIn(Schema):
    name: str | None = None
    credit_code: str | None = None
    region: str | None = None
    industry: str | None = None
    flagged: bool | None = None


class ArrearsFlagIn(Schema):
    flagged: bool
    reason: str = ""
