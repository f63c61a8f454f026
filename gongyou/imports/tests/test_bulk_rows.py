"""The bulk path for new workers writes exactly what the instance path (`worker_build_new` +
`audit_build`) would: same columns, same audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from gongyou.core.audit import audit_build, snapshot
from gongyou.core.bulk import value_preparer
from gongyou.core.crypto import decrypt
from gongyou.core.models import AuditEvent
from gongyou.testing import make_national_id, make_phone
from gongyou.workers.models import Worker
from gongyou.workers.services import (
    AUDIT_FIELDS,
    WORKER_BULK_COLUMNS,
    worker_audit_after,
    worker_build_new,
    worker_clean_row,
    worker_new_values,
    worker_register_summary,
)

from .conftest import csv_bytes
from .test_workers_import import EN, person

pytestmark = pytest.mark.django_db

SKIP = {"national_id_enc", "phone_enc", "created_at", "updated_at"}  # random nonce, time


@pytest.mark.parametrize(
    "data",
    [
        {"name": "李娜", "hukou_region": "510104", "current_region": "440305"},
        {
            "name": "王强",
            "hukou_region": "440305",
            "current_region": "440305",
            "education": "junior_secondary",
            "union_member": True,
            "current_address": "深圳市南山区",
        },
    ],
)
def test_new_values_match_the_instance(admin_actor: Any, data: dict[str, Any]) -> None:
    number, phone = make_national_id(), make_phone()
    national, values, errors = worker_clean_row(
        data={"national_id": number, "phone": phone, **data}
    )
    assert not errors and national is not None
    worker = worker_build_new(actor=admin_actor, national=national, values=values)
    attrs = worker_new_values(actor=admin_actor, national=national, values=values)
    for name in WORKER_BULK_COLUMNS:
        if name not in SKIP:
            assert attrs[name] == getattr(worker, name), name
    assert decrypt(attrs["national_id_enc"], context="national_id") == number
    assert decrypt(attrs["phone_enc"], context="phone") == phone
    assert worker_audit_after(attrs) == snapshot(worker, AUDIT_FIELDS)


def test_imported_audit_row_matches_audit_build(run_import: Any, admin: Any) -> None:
    job = run_import("workers", csv_bytes([EN, person(), person(education="")]))
    assert job.created == 2, job.error
    for worker in Worker.objects.all():
        event = AuditEvent.objects.get(action="worker.register", worker_id=worker.pk)
        expected = audit_build(
            actor=admin,
            action="worker.register",
            entity=worker,
            worker_id=worker.pk,
            after=snapshot(worker, AUDIT_FIELDS),
            region_code=worker.current_region_id,
            summary=worker_register_summary(worker),
        )
        for column in ("actor_id", "actor_label", "organisation_id", "entity_type", "entity_id"):
            assert getattr(event, column) == getattr(expected, column), column
        assert (event.region_code, event.summary) == (expected.region_code, expected.summary)
        assert (event.before, event.after, event.purpose) == (None, expected.after, "")


def test_prepared_values_are_what_save_would_store() -> None:
    columns = ["birth_date", "union_joined_on", "created_at", "name"]
    fields = [Worker._meta.get_field(c) for c in columns]
    now = timezone.now()
    for row in [
        (dt.date(1990, 1, 31), None, now, "张三"),
        (dt.date(2001, 12, 5), dt.date(2024, 8, 4), now, "李四"),
    ]:
        expected = tuple(
            f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)
        )
        assert value_preparer(Worker, columns)(row) == expected
