"""API schemas of indicators: definitions, value tables and the briefing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class IndicatorRead(Schema):
    key: str
    title: str
    group: str
    counts: str
    source: str
    filters: str
    unit: str
    period: str
    caveat: str


class IndicatorValuesFilter(Schema):
    region: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    published: bool = False


class ColumnRead(Schema):
    key: str
    label: str
    percent: bool


class RowRead(Schema):
    key: str
    label: str
    region: str | None = None
    values: dict[str, Any]
    suppressed: list[str] = []


class IndicatorValuesRead(Schema):
    key: str
    region: str | None = None
    start: dt.date
    end: dt.date
    published: bool
    columns: list[ColumnRead]
    rows: list[RowRead]
    total: RowRead | None = None


class BriefingFilter(Schema):
    region: str | None = None
    date: dt.date | None = None


class BriefingRead(Schema):
    region: str
    date: dt.date
    start: dt.date
    headline: str
    paragraphs: list[str]
    figures: dict[str, Any]
