"""A task worker killed mid-task: a new worker re-queues the task and it finishes exactly once.

Real `python -m gongyou worker` processes on the test's database (a file copy of it on SQLite,
the test database itself on PostgreSQL). The first worker is killed while it runs the task;
a second worker finds the task RUNNING under a dead worker (its process is gone), re-queues it
(gongyou/ops/taskworkers.py) and runs it to the end. The import kill tests at the service level
(operator resume with --force) are gongyou/imports/tests/test_resume.py; these go through the
worker and the queue.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from gongyou.accounts.policies import actor_for
from gongyou.core.models import AuditEvent
from gongyou.exports.enums import ExportStatus
from gongyou.exports.models import ExportJob
from gongyou.exports.services import export_create, exports_dir
from gongyou.imports.enums import ImportStatus
from gongyou.imports.models import ImportJob
from gongyou.imports.services import import_create
from gongyou.imports.tests.conftest import Upload, csv_bytes
from gongyou.ops.models import TaskWorker
from gongyou.stations.models import Visit
from gongyou.testing import make_national_id, make_phone, transactional_apps
from gongyou.workers.models import Worker

from .conftest import DB_TASKS, SharedDatabase, Workers, insert_visits, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, available_apps=transactional_apps()),
]

VISITS = 100_000  # 1-2 s of CSV writing: long enough to be killed in the middle


def _task_status(shared: SharedDatabase, task_id: Any) -> str:
    table = DBTaskResult._meta.db_table
    rows = shared.peek(f"SELECT status FROM {table} WHERE id = %s", (task_id,))  # noqa: S608
    return str(rows[0][0]) if rows else ""


def test_worker_killed_mid_export_writes_it_again_exactly_once(
    shared_db: SharedDatabase, workers: Workers, admin: Any, station_factory: Any
) -> None:
    insert_visits(VISITS, station=station_factory(), staff=admin)
    with override_settings(TASKS=DB_TASKS):
        job = export_create(actor=actor_for(admin), kind="visits", format="csv", headers="keys")
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.task_path.endswith("export_run")
    task_id = task.pk.hex if not shared_db.url.startswith("postgres") else task.pk
    shared_db.publish()
    directory = exports_dir()

    first = workers.start()
    # Kill it while the file is being written: a partial file on disk, the job not finished.
    wait_for(
        lambda: any(p.stat().st_size > 512 * 1024 for p in directory.glob(f"{job.pk}-*.part")),
        timeout=60,
        what="the export to start writing",
    )
    workers.kill(first)
    status, rows = shared_db.peek(
        "SELECT status, row_count FROM exports_exportjob WHERE id = %s", (job.pk,)
    )[0]
    assert status == ExportStatus.RUNNING and rows < VISITS, (status, rows, workers.log(0))
    assert _task_status(shared_db, task_id) == "RUNNING"  # django-tasks-db alone: forever
    assert list(directory.glob("*.part")), "the killed run left its partial file"

    workers.start()
    wait_for(
        lambda: _task_status(shared_db, task_id) == "SUCCESSFUL",
        timeout=90,
        what=f"the re-queued export to finish\n{workers.log(1)}",
        every=0.2,
    )
    workers.stop_all()
    shared_db.collect()

    job = ExportJob.objects.get(pk=job.pk)
    task = DBTaskResult.objects.get(pk=task.pk)
    assert job.status == ExportStatus.COMPLETED and job.attempts == 2, job.error
    assert job.row_count == VISITS
    assert len(task.worker_ids) == 2 and task.worker_ids[0] != task.worker_ids[1]
    assert task.return_value == {"job": job.pk, "status": "completed", "rows": VISITS}
    # One file, the recorded one; the killed run's partial file is gone.
    assert sorted(p.name for p in directory.iterdir()) == [job.file_name]
    data = (directory / job.file_name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == job.sha256 and len(data) == job.size
    ids = [int(r["id"]) for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]
    assert len(ids) == VISITS and set(ids) == set(Visit.objects.values_list("id", flat=True))
    assert Visit.objects.count() == VISITS  # an export changes nothing
    assert AuditEvent.objects.filter(action="export.complete", entity_id=str(job.pk)).count() == 1
    requeue = AuditEvent.objects.get(action="task.requeue")
    assert requeue.entity_id == str(task.pk) and requeue.after["worker"] == task.worker_ids[0]
    assert not TaskWorker.objects.exists()  # the dead worker forgotten, the live one signed off


def test_worker_dying_mid_import_resumes_it_exactly_once(
    shared_db: SharedDatabase, workers: Workers, admin: Any
) -> None:
    n, batch = 600, 50
    ids = [make_national_id(seq=80_000 + i) for i in range(n)]
    head = ["身份证号", "姓名", "手机号", "户籍地", "现居住地"]
    rows = [head] + [
        [nid, "王芳", make_phone(9000 + i), "510104", "440305"] for i, nid in enumerate(ids)
    ]
    with override_settings(TASKS=DB_TASKS):
        job = import_create(
            actor=actor_for(admin),
            kind="workers",
            upload=Upload(csv_bytes(rows), "w.csv"),
            batch_size=batch,
        )
    task = DBTaskResult.objects.get()
    task_id = task.pk.hex if not shared_db.url.startswith("postgres") else task.pk
    shared_db.publish()

    # The first worker dies (os._exit, like SIGKILL: no handler, no clean-up) inside the
    # transaction of its fourth batch, after three batches were committed.
    first = workers.start(GONGYOU_IMPORT_FAULT="exit:3", GONGYOU_IMPORT_PROCESSES="1")
    assert first.wait(timeout=60) == 137, workers.log(0)
    status, done = shared_db.peek(
        "SELECT status, committed_rows FROM imports_importjob WHERE id = %s", (job.pk,)
    )[0]
    assert status == ImportStatus.RUNNING and done == 3 * batch
    assert _task_status(shared_db, task_id) == "RUNNING"

    workers.start(GONGYOU_IMPORT_PROCESSES="1")
    wait_for(
        lambda: _task_status(shared_db, task_id) == "SUCCESSFUL",
        timeout=60,
        what=f"the re-queued import to finish\n{workers.log(1)}",
        every=0.2,
    )
    workers.stop_all()
    shared_db.collect()

    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportStatus.COMPLETED, (job.status, job.error)
    assert (job.created, job.done_rows, job.total) == (n, n, n)
    assert Worker.objects.count() == n  # none lost, none twice (the ID number is unique anyway)
    assert AuditEvent.objects.filter(action="worker.register").count() == n
    assert AuditEvent.objects.filter(action="import.resume", entity_id=str(job.pk)).count() == 1
    assert AuditEvent.objects.filter(action="task.requeue", entity_id=str(task.pk)).count() == 1
    assert len(DBTaskResult.objects.get(pk=task.pk).worker_ids) == 2
