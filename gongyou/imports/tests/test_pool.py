"""Batches prepared in forked processes give exactly what the in-process path gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from gongyou.accounts.policies import actor_for
from gongyou.core.models import AuditEvent
from gongyou.imports import pool
from gongyou.imports.models import ImportRowError
from gongyou.testing import make_national_id, make_phone, make_worker
from gongyou.workers.models import SkillCertificate, Worker

from .conftest import csv_bytes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not pool.fork_available(), reason="needs the fork start method"),
]

HEAD = [
    "national_id",
    "name",
    "phone",
    "hukou_region",
    "current_region",
    "education",
    "cert_no",
    "cert_issuer",
    "cert_occupation",
    "cert_level",
    "cert_issued_on",
]


def _file(known_id: str) -> bytes:
    """Every outcome a batch can have, spread over batches of 4 rows."""
    rows: list[list[Any]] = [HEAD]
    repeated = make_national_id()
    for i in range(12):
        rows.append(
            [make_national_id(), "王强", make_phone(), "510104", "440305", "初中"] + [""] * 5
        )
        if i == 2:
            rows.append([repeated, "赵六", make_phone(), "510104", "440305", "高中"] + [""] * 5)
        if i == 5:
            rows.append(["1.10105E+17", "坏行", make_phone(), "510104", "440305", ""] + [""] * 5)
            rows.append([repeated, "赵六", make_phone(), "510104", "440305", "高中"] + [""] * 5)
        if i == 7:
            rows.append([known_id, "", "", "", "", "大专"] + [""] * 5)
            rows.append(
                [
                    known_id,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "Z-001",
                    "深圳市职业技能鉴定中心",
                    "6-29-01-01",
                    "4",
                    "2023-06-01",
                ]
            )
        if i == 9:
            rows.append([make_national_id(), "", make_phone(), "510104", "440305", ""] + [""] * 5)
    return csv_bytes(rows)


def _outcome(job: Any) -> dict[str, Any]:
    return {
        "counts": (job.created, job.updated, job.unchanged, job.invalid, job.duplicate_in_file),
        "errors": sorted(
            ImportRowError.objects.filter(job=job).values_list("row", "column", "code")
        ),
        "workers": sorted(Worker.objects.values_list("name", "education")),
        "certificates": list(SkillCertificate.objects.values_list("certificate_no", "level")),
        "audit": sorted(AuditEvent.objects.values_list("action", flat=True)),
    }


class _Rollback(Exception):
    pass


def test_forked_preparers_match_the_in_process_path(run_import: Any, admin: Any, settings: Any):
    settings.IMPORT_POOL_MIN_ROWS = 0
    known = make_national_id()
    make_worker(actor=actor_for(admin), national_id=known, name="已登记")
    data = _file(known)
    outcomes = {}
    for processes in (1, 2):
        settings.IMPORT_PROCESSES = processes
        try:
            with transaction.atomic():  # each run starts from the same database
                job = run_import("workers", data, batch=4)
                assert job.status == "completed", job.error
                outcomes[processes] = _outcome(job)
                raise _Rollback
        except _Rollback:
            pass
    in_process, forked = outcomes[1], outcomes[2]
    assert in_process["counts"] == (13, 2, 0, 2, 1)
    assert forked == in_process


def test_a_preparer_cannot_touch_the_database() -> None:
    def sneaky(ctx: Any, batch: Any) -> list[Any]:
        return list(Worker.objects.values_list("id", flat=True))

    with (
        pool.Preparer(prepare=sneaky, ctx=None, processes=2) as preparer,
        pytest.raises(pool.DatabaseUseInPreparer),
    ):
        list(preparer.map([[(2, {})]], batch_of=lambda item: item))


def test_small_imports_stay_in_process(run_import: Any, settings: Any, monkeypatch: Any) -> None:
    settings.IMPORT_PROCESSES = 2
    settings.IMPORT_POOL_MIN_ROWS = 1000
    started: list[int] = []
    monkeypatch.setattr(pool.Preparer, "__init__", _spy(pool.Preparer.__init__, started))
    job = run_import(
        "workers",
        csv_bytes([HEAD[:5], [make_national_id(), "王强", make_phone(), "510104", "440305"]]),
    )
    assert job.created == 1 and started == [1]


def _spy(init: Any, started: list[int]) -> Any:
    def wrapper(self: Any, **kwargs: Any) -> None:
        started.append(kwargs["processes"])
        init(self, **kwargs)

    return wrapper
