from __future__ import annotations

import datetime as dt

from ninja import Schema


class ImportRead(Schema):
    id: int
    kind: str
    status: str
    original_name: str
    file_format: str
    encoding: str
    size: int
    sha256: str
    total: int
    committed_rows: int
    created: int
    updated: int
    unchanged: int
    invalid: int
    duplicate_in_file: int
    conflicts: int
    unknown_columns: list[str]
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class ImportErrorRead(Schema):
    row: int
    column: str
    value: str
    code: str
    message: str
