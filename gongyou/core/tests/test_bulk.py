"""core.bulk: rows prepared as `save()` would, ids of inserted rows, bulk-load settings."""

from __future__ import annotations

import gc

import pytest
from django.db import connection, transaction
from django.utils import timezone

from gongyou.core import bulk
from gongyou.core.models import AuditEvent

pytestmark = pytest.mark.django_db

COLUMNS = ["at", "actor_label", "action", "entity_type", "entity_id", "region_code", "summary"]
COLUMNS += ["after", "purpose"]


def _rows(labels: list[str]) -> list[tuple[object, ...]]:
    prepare = bulk.value_preparer(AuditEvent, COLUMNS)
    now = timezone.now()
    return [
        prepare((now, "", "test.bulk", "core.test", label, "", f"row {label}", {"n": label}, ""))
        for label in labels
    ]


def test_inserted_rows_get_their_ids_in_order() -> None:
    with transaction.atomic():
        first = bulk.insert_prepared(AuditEvent, COLUMNS, _rows(["a", "b", "c"]))
    # A deleted highest id is never given again (AUTOINCREMENT): the next ids skip it.
    AuditEvent.objects.filter(entity_id="c").delete()
    with transaction.atomic():
        second = bulk.insert_prepared(AuditEvent, COLUMNS, _rows(["d", "e"]))
    if connection.vendor != "sqlite":
        assert first is None and second is None  # looked up by the caller
        return
    assert first is not None and second is not None
    stored = dict(AuditEvent.objects.filter(action="test.bulk").values_list("pk", "entity_id"))
    assert [stored[pk] for pk in first if pk in stored] == ["a", "b"]
    assert [stored[pk] for pk in second] == ["d", "e"]
    assert second.start > first.stop - 1


def test_bulk_load_relaxes_and_restores_its_settings() -> None:
    def checkpoint() -> int | None:
        if connection.vendor != "sqlite":
            return None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return int(cursor.fetchone()[0])

    thresholds, pages = gc.get_threshold(), checkpoint()
    with pytest.raises(RuntimeError), bulk.bulk_load():
        assert gc.get_threshold() == bulk.BULK_GC_THRESHOLD
        if pages is not None:
            assert checkpoint() == bulk.BULK_WAL_CHECKPOINT_PAGES
        raise RuntimeError("the loop failed")
    assert gc.get_threshold() == thresholds
    assert checkpoint() == pages
