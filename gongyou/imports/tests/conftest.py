from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gongyou.accounts.policies import actor_for


@pytest.fixture(autouse=True)
def _imports_dir(settings: Any, tmp_path: Path) -> None:
    settings.IMPORTS_DIR = tmp_path / "imports"


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    text = "\n".join(",".join("" if c is None else str(c) for c in row) for row in rows) + "\n"
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def run_import(admin: Any) -> Callable[..., Any]:
    from gongyou.imports.services import import_create, import_run

    def run(
        kind: str, data: bytes, *, name: str = "f.csv", user: Any = None, batch: int = 1000
    ) -> Any:
        actor = actor_for(user or admin)
        job = import_create(
            actor=actor, kind=kind, upload=Upload(data, name), batch_size=batch, enqueue=False
        )
        return import_run(job_id=job.pk)

    return run


@pytest.fixture
def _reference_data_after() -> Any:
    """A transactional test ends with a flush: reload the reference data for the tests after it."""
    yield
    from gongyou.classifications.services import occupation_reference_load
    from gongyou.regions.services import region_reference_load

    region_reference_load()
    occupation_reference_load()


def postgres_url() -> str:
    """The test database's address, for a second process (PostgreSQL only)."""
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
