"""An import killed mid-way resumes from its checkpoint: never half a batch, never a row twice."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from gongyou.accounts.policies import actor_for
from gongyou.core.models import AuditEvent
from gongyou.imports.enums import ImportStatus
from gongyou.imports.models import ImportJob
from gongyou.imports.services import SimulatedCrash, import_create, import_run
from gongyou.testing import make_national_id, make_phone, transactional_apps
from gongyou.workers.models import Worker

from .conftest import Upload, csv_bytes

HEAD = ["身份证号", "姓名", "手机号", "户籍地", "现居住地"]


def _file(n: int, *, bad_every: int = 7) -> tuple[bytes, list[str]]:
    ids = [make_national_id(seq=50_000 + i) for i in range(n)]
    rows: list[list[Any]] = [HEAD]
    for i, nid in enumerate(ids):
        rows.append(
            [nid, "王芳" if i % bad_every else "王3", make_phone(7000 + i), "510104", "440305"]
        )
        if i % 10 == 3:
            rows.append([nid, "王芳", make_phone(7000 + i), "510104", "440305"])  # duplicate
    return csv_bytes(rows), ids


def _check(job: ImportJob, ids: list[str], bad_every: int = 7) -> None:
    n = len(ids)
    invalid = len([i for i in range(n) if i % bad_every == 0])
    dups = len([i for i in range(n) if i % 10 == 3])
    assert job.status == ImportStatus.COMPLETED
    assert Worker.objects.count() == n - invalid
    assert (job.created, job.invalid, job.duplicate_in_file) == (n - invalid, invalid, dups)
    assert job.total == n + dups and job.done_rows == job.total
    assert job.errors.count() == invalid + dups
    assert AuditEvent.objects.filter(action="worker.register").count() == n - invalid


@pytest.mark.django_db
def test_crash_inside_a_batch_rolls_it_back_and_resume_finishes(
    admin: Any, monkeypatch: Any
) -> None:
    data, ids = _file(95)
    job = import_create(
        actor=actor_for(admin),
        kind="workers",
        upload=Upload(data, "w.csv"),
        batch_size=10,
        enqueue=False,
    )
    monkeypatch.setenv("GONGYOU_IMPORT_FAULT", "raise:3")
    with pytest.raises(SimulatedCrash):
        import_run(job_id=job.pk)
    job.refresh_from_db()
    # Batches 0, 1, 2 committed; the fourth was written, then rolled back by the crash.
    assert job.status == ImportStatus.RUNNING and job.committed_rows > 0
    done = job.done_rows
    assert Worker.objects.count() == job.created and done % 10 == 0 and done == 30
    monkeypatch.delenv("GONGYOU_IMPORT_FAULT")
    # A live-looking run is left alone; the operator (or a stale heartbeat) takes over.
    assert import_run(job_id=job.pk).status == ImportStatus.RUNNING
    job = import_run(job_id=job.pk, force=True)
    _check(job, ids)
    assert AuditEvent.objects.filter(action="import.resume", entity_id=str(job.pk)).exists()


@pytest.mark.django_db
def test_a_second_task_for_a_running_job_does_nothing(admin: Any, settings: Any) -> None:
    data, _ids = _file(5)
    job = import_create(
        actor=actor_for(admin), kind="workers", upload=Upload(data, "w.csv"), enqueue=False
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", runner="other", heartbeat_at=job.created_at
    )
    settings.IMPORT_STALE_SECONDS = 3600
    assert import_run(job_id=job.pk).runner == "other"
    assert not Worker.objects.exists()


@pytest.mark.slow
@pytest.mark.usefixtures("_reference_data_after")
@pytest.mark.django_db(transaction=True, available_apps=transactional_apps())
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a second process needs a shared database: PostgreSQL",
)
@pytest.mark.parametrize("processes", ["1", "2"])  # batches prepared in place / in a fork pool
def test_killed_process_resumes_exactly_once(
    admin: Any, settings: Any, tmp_path: Path, processes: str
) -> None:
    data, ids = _file(230)
    job = import_create(
        actor=actor_for(admin),
        kind="workers",
        upload=Upload(data, "w.csv"),
        batch_size=20,
        enqueue=False,
    )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    script = textwrap.dedent(
        f"""
        import django, os
        os.environ["DJANGO_SETTINGS_MODULE"] = "gongyou.config.settings.test"
        django.setup()
        from gongyou.imports.services import import_run
        import_run(job_id={job.pk})
        """
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GONGYOU_IMPORTS_DIR": str(settings.IMPORTS_DIR),
        "DJANGO_SETTINGS_MODULE": "gongyou.config.settings.test",
        "GONGYOU_IMPORT_FAULT": "exit:4",
        "GONGYOU_IMPORT_PROCESSES": processes,
        "GONGYOU_IMPORT_POOL_MIN_ROWS": "0",
    }
    proc = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", script], env=env, timeout=120, check=False
    )
    assert proc.returncode == 137  # died by os._exit inside the fifth batch's transaction
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.done_rows == 80
    assert Worker.objects.count() == job.created
    env.pop("GONGYOU_IMPORT_FAULT")
    # `gongyou import resume JOB_ID --force`, in another process as an operator would.
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gongyou", "import", "resume", str(job.pk), "--force", "-v", "0"],
        env=env,
        timeout=120,
        check=False,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    job.refresh_from_db()
    _check(job, ids)
