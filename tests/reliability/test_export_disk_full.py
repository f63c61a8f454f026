"""The disk fills up during an export: the job fails with a clear message, leaves no file behind,
changes nothing else, and a retry after space came back writes the whole file.

The full disk is real: the exports folder is a 256 KiB tmpfs filled up to its last 16 KiB, so the
writer gets ENOSPC from the kernel (mounting needs root; the test is skipped otherwise).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from gongyou.accounts.policies import actor_for
from gongyou.core.models import AuditEvent
from gongyou.exports import services
from gongyou.exports.enums import ExportStatus
from gongyou.exports.models import ExportJob
from gongyou.stations.models import Visit
from gongyou.testing import api_client_for

from .conftest import insert_visits

pytestmark = pytest.mark.django_db

# Rows per format: each file is well over the 16 KiB left (CSV 2 MB, xlsx 80 KiB, Parquet 0.1 MB).
ROWS = {"csv": 20_000, "xlsx": 2_000, "parquet": 20_000}


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs with 16 KiB left free; unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("a real full disk needs a small tmpfs, and mounting one needs root")
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["/bin/mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        (mount / "filler").write_bytes(b"\0" * (240 * 1024))
        yield mount
    finally:
        subprocess.run(["/bin/umount", "-l", str(mount)], check=False)


def _space_returns(mount: Path) -> None:
    (mount / "filler").unlink()
    subprocess.run(["/bin/mount", "-o", "remount,size=64m", str(mount)], check=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_disk_full_fails_the_export_cleanly_and_a_retry_succeeds(
    fmt: str,
    tiny_disk: Path,
    settings: Any,
    admin: Any,
    station_factory: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EXPORTS_DIR = directory = tiny_disk / "exports"
    visits = ROWS[fmt]
    insert_visits(visits, station=station_factory(), staff=admin)
    actor = actor_for(admin)
    audit_before = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_create(actor=actor, kind="visits", format=fmt, headers="keys")
    job = ExportJob.objects.get(pk=job.pk)

    assert job.status == ExportStatus.FAILED
    assert job.error == "The disk is full: the export file could not be written."
    assert (job.file_name, job.size, job.sha256) == ("", 0, "")
    assert list(directory.iterdir()) == []  # no partial file left behind
    # Nothing else changed: no rows, no completion or download audited.
    assert Visit.objects.count() == visits
    assert AuditEvent.objects.count() == audit_before
    # Not offered as ready anywhere: the API says failed and refuses the download.
    api = api_client_for(admin)
    assert api.get(f"/api/v1/exports/{job.pk}").json()["status"] == "failed"
    assert api.get(f"/api/v1/exports/{job.pk}/download").status_code == 409
    page = Client()
    page.force_login(admin)
    refused = page.get(f"/exports/{job.pk}/download/")
    assert refused.status_code == 400 and not refused.has_header("Content-Disposition")

    _space_returns(tiny_disk)
    with django_capture_on_commit_callbacks(execute=True):
        services.export_retry(actor=actor, job=job)
    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == ExportStatus.COMPLETED and job.attempts == 2, job.error
    assert job.row_count == visits
    assert sorted(p.name for p in directory.iterdir()) == [job.file_name]
    data = (directory / job.file_name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == job.sha256
    assert len(_ids(fmt, data)) == visits
    assert set(_ids(fmt, data)) == set(Visit.objects.values_list("id", flat=True))


def _ids(fmt: str, data: bytes) -> list[int]:
    if fmt == "csv":
        return [int(r["id"]) for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return [int(v) for v in pq.read_table(io.BytesIO(data)).column("id").to_pylist()]
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    ids: list[int] = []
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        head = list(next(rows))
        ids += [int(r[head.index("id")]) for r in rows]  # type: ignore[arg-type]
    with contextlib.suppress(Exception):
        wb.close()
    return ids
