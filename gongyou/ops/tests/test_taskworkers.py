"""Task-worker leases and the reaper: which RUNNING tasks go back to the queue, and the recovery
hooks of exports and imports. The end-to-end kills (real worker processes) are in
tests/reliability/test_worker_killed.py."""

import datetime as dt
import subprocess

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from gongyou.core.models import AuditEvent
from gongyou.exports.enums import ExportStatus
from gongyou.exports.models import ExportJob
from gongyou.imports.models import ImportJob
from gongyou.imports.services import import_run
from gongyou.ops.models import TaskWorker
from gongyou.ops.taskworkers import (
    ORPHAN_AFTER,
    host_key,
    tasks_reap,
    worker_beat,
    worker_register,
    worker_unregister,
    workers_reap_idle,
)

pytestmark = pytest.mark.django_db


def dead_pid() -> int:
    proc = subprocess.Popen(["/bin/true"])
    proc.wait()
    return proc.pid


def worker(
    worker_id: str, *, expires_in: float = 60, pid: int | None = None, host: str = ""
) -> TaskWorker:
    now = timezone.now()
    return TaskWorker.objects.create(
        worker_id=worker_id,
        host=host or host_key(),
        pid=pid or 1,  # PID 1 is alive everywhere
        started_at=now,
        seen_at=now,
        expires_at=now + dt.timedelta(seconds=expires_in),
    )


def running(
    worker_id: str, *, path: str = "gongyou.cases.tasks.cases_daily", args=None, started=None
) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": args or [], "kwargs": {}},
        task_path=path,
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        priority=0,
        worker_ids=[worker_id],
        started_at=started or timezone.now(),
    )


def status(task: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=task.pk).status


def test_a_live_workers_task_is_left_alone():
    worker("alive")
    task = running("alive")
    assert tasks_reap() == []
    assert status(task) == "RUNNING"


def test_an_expired_lease_requeues_the_task_once_and_audits_it():
    worker("gone", expires_in=-1)
    task = running("gone")
    [requeued] = tasks_reap()
    assert (requeued.task_id, requeued.worker_id) == (str(task.pk), "gone")
    assert status(task) == "READY"
    assert DBTaskResult.objects.get(pk=task.pk).started_at is None
    event = AuditEvent.objects.get(action="task.requeue")
    assert event.entity_id == str(task.pk) and event.after["worker"] == "gone"
    assert not TaskWorker.objects.filter(worker_id="gone").exists()
    assert tasks_reap() == []  # nothing twice


def test_a_dead_process_on_this_host_counts_at_once_elsewhere_only_by_its_lease():
    worker("here", pid=dead_pid())
    worker("there", pid=dead_pid(), host="another-host/1")
    here, there = running("here"), running("there")
    assert [r.worker_id for r in tasks_reap()] == ["here"]
    assert (status(here), status(there)) == ("READY", "RUNNING")


def test_a_task_of_an_unregistered_worker_waits_for_the_orphan_limit():
    fresh = running("bare-db-worker")
    old = running("bare-db-worker", started=timezone.now() - ORPHAN_AFTER - dt.timedelta(minutes=1))
    assert [r.task_id for r in tasks_reap()] == [str(old.pk)]
    assert (status(fresh), status(old)) == ("RUNNING", "READY")


def test_leases_register_renew_and_sign_off():
    worker_register(worker_id="w1", ttl=30)
    first = TaskWorker.objects.get().expires_at
    worker_beat(worker_id="w1", ttl=300)
    assert TaskWorker.objects.get().expires_at > first
    TaskWorker.objects.all().delete()  # a reaper thought it dead: the next beat re-registers
    worker_beat(worker_id="w1", ttl=30)
    assert TaskWorker.objects.filter(worker_id="w1").exists()
    worker_unregister(worker_id="w1")
    assert not TaskWorker.objects.exists()


def test_idle_dead_workers_are_forgotten():
    worker("idle-dead", expires_in=-1)
    worker("busy-dead", expires_in=-1)
    worker("alive")
    running("busy-dead")
    assert workers_reap_idle() == 1
    assert sorted(TaskWorker.objects.values_list("worker_id", flat=True)) == ["alive", "busy-dead"]


def test_an_interrupted_export_goes_back_to_pending_without_its_partial_file(
    settings, tmp_path, admin
):
    settings.EXPORTS_DIR = tmp_path
    job = ExportJob.objects.create(
        kind="visits",
        format="csv",
        created_by=admin,
        status=ExportStatus.RUNNING,
        started_at=timezone.now(),
        row_count=50_000,
        attempts=1,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    (tmp_path / f"{job.pk}-abc.csv.part").write_bytes(b"half")
    (tmp_path / f"{job.pk + 1}-def.csv").write_bytes(b"another job's file")
    worker("gone", expires_in=-1)
    task = running("gone", path="gongyou.exports.tasks.export_run", args=[job.pk])
    tasks_reap()
    job.refresh_from_db()
    assert (job.status, job.row_count, job.error) == (ExportStatus.PENDING, 0, "")
    assert [p.name for p in tmp_path.iterdir()] == [f"{job.pk + 1}-def.csv"]
    assert status(task) == "READY"


def test_an_interrupted_import_is_resumable_at_once_and_fenced_off_its_old_run(admin):
    """The dead worker's job becomes `interrupted` with no runner: the re-queued task resumes it
    from its checkpoint at once (no wait for its heartbeat to go stale), audited; a run that was
    only stalled finds its claim gone at its next batch."""
    beat = timezone.now() - dt.timedelta(seconds=5)
    job = ImportJob.objects.create(
        kind="workers",
        original_name="w.csv",
        storage_name="x.csv",
        created_by=admin,
        status="running",
        runner="dead-run",
        heartbeat_at=beat,
        committed_rows=2000,
    )
    worker("gone", expires_in=-1)
    task = running("gone", path="gongyou.imports.tasks.import_run", args=[job.pk])
    [requeued] = tasks_reap()
    assert requeued.run_after is None
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()
    job.refresh_from_db()
    assert (job.status, job.runner, job.committed_rows) == ("interrupted", "", 2000)
    assert "2001" in job.error
    assert AuditEvent.objects.filter(
        action="import.interrupt", entity_id=str(job.pk), actor__isnull=True
    ).exists()
    # The stalled run's claim is gone: a new run takes the job at once and resumes it (here it
    # then fails: the test's job has no file).
    import_run(job_id=job.pk)
    assert AuditEvent.objects.filter(
        action="import.resume", entity_id=str(job.pk), after__committed_rows=2000
    ).exists()


def test_an_import_task_whose_job_is_not_running_is_requeued_at_once(admin):
    job = ImportJob.objects.create(
        kind="workers", original_name="w.csv", storage_name="x.csv", created_by=admin
    )
    worker("gone", expires_in=-1)
    task = running("gone", path="gongyou.imports.tasks.import_run", args=[job.pk])
    [requeued] = tasks_reap()
    assert requeued.run_after is None
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()
