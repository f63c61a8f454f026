"""The API edge of exports: ExportCreate in, ExportRead out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict

from .enums import ExportHeaders


class ExportCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "required": ["kind", "format"],
            "example": {
                "kind": "workers",
                "format": "csv",
                "filters": {"region": "440300", "industry": "construction"},
                "reveal": False,
                "purpose": "",
            },
        }
    )

    kind: str = ""
    format: str = ""
    # The list's filters, with the same names as the list route's query parameters
    # (GET /api/v1/workers, /stations, /visits, /cases); unknown names are a 422.
    filters: dict[str, Any] = {}
    search: str = ""
    reveal: bool = False
    purpose: str = ""
    headers: str = ExportHeaders.LABELS


class ExportRead(Schema):
    id: int
    kind: str
    format: str
    filters: dict[str, Any]
    search: str
    headers: str
    language: str
    reveal: bool
    purpose: str
    status: str
    error: str
    row_count: int
    size: int
    sha256: str
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    expires_at: dt.datetime
    download_url: str | None

    @staticmethod
    def resolve_download_url(obj: Any) -> str | None:
        if obj.status != "completed":
            return None
        return f"/api/v1/exports/{obj.pk}/download"
