"""Task-worker liveness and recovery: heartbeats, and re-queueing the tasks of dead workers.

django-tasks-db claims a task by marking it RUNNING with the worker's id and never revisits it,
so a worker killed mid-task (SIGKILL, out of memory, a lost host) would leave the task RUNNING
forever. Every `gongyou worker` registers a `TaskWorker` row and renews it from a heartbeat
thread; `tasks_reap` (run by each worker when it starts and every `--reap-every` seconds)
puts the RUNNING tasks of dead workers back to READY so another worker runs them again.

A worker is dead when its row has expired (not renewed within its time-to-live), or at once
when it ran on this host and its process is gone. A RUNNING task whose worker never registered
(a bare `db_worker`) is only re-queued after ORPHAN_AFTER, since nothing tells whether it lives.

Re-running must be safe, so every task is idempotent or resumable (docs/reliability.md lists
them). Tasks that keep their own claim on a job get a recovery hook (RECOVERY) that runs in
the same transaction as the re-queue: an export job left `running` goes back to `pending`
(its partial file removed); a `running` import becomes `interrupted`, so the re-queued task
resumes it from its checkpoint at once (the runner token on every batch fences off a run that
was only stalled, not dead).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongyou.core.audit import audit_record
from gongyou.exports.services import export_interrupted
from gongyou.imports.services import import_interrupted

from .models import TaskWorker

logger = logging.getLogger(__name__)

ORPHAN_AFTER = dt.timedelta(hours=6)
RUNNING, READY = "RUNNING", "READY"


def host_key() -> str:
    """This host, boot and PID namespace (containers on one host share the name, not the PIDs;
    cloned machines may share the name and the namespace inode, never the boot id)."""
    try:
        namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        namespace = "-"
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            boot = f.read().strip()
    except OSError:
        boot = "-"
    return f"{socket.gethostname()}/{boot}/{namespace}"[:200]


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"[:64]


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a killed child not yet waited for is a zombie: it answers signals but runs nothing
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rpartition(")")[2].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def worker_is_dead(worker: TaskWorker, *, now: dt.datetime, host: str | None = None) -> bool:
    if worker.expires_at < now:
        return True
    return worker.host == (host or host_key()) and _pid_gone(worker.pid)


def worker_register(*, worker_id: str, ttl: float) -> TaskWorker:
    now = timezone.now()
    worker, _created = TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": host_key(),
            "pid": os.getpid(),
            "started_at": now,
            "seen_at": now,
            "expires_at": now + dt.timedelta(seconds=ttl),
        },
    )
    return worker


def worker_beat(*, worker_id: str, ttl: float) -> None:
    """Renew the worker's lease; re-register if a reaper removed it (it was thought dead)."""
    now = timezone.now()
    renewed = TaskWorker.objects.filter(worker_id=worker_id).update(
        seen_at=now, expires_at=now + dt.timedelta(seconds=ttl)
    )
    if not renewed:
        worker_register(worker_id=worker_id, ttl=ttl)


def worker_unregister(*, worker_id: str) -> None:
    TaskWorker.objects.filter(worker_id=worker_id).delete()


# --- recovery hooks --------------------------------------------------------------------------


def _job_id(task: DBTaskResult) -> int | None:
    call = task.args_kwargs or {}
    args, kwargs = call.get("args") or [], call.get("kwargs") or {}
    value = str(kwargs.get("job_id", args[0] if args else ""))
    return int(value) if value.isdigit() else None


def _recover_export(task: DBTaskResult, now: dt.datetime) -> dt.datetime | None:
    job_id = _job_id(task)
    if job_id is not None:
        export_interrupted(job_id=job_id)
    return None


def _recover_import(task: DBTaskResult, now: dt.datetime) -> dt.datetime | None:
    job_id = _job_id(task)
    if job_id is not None:
        import_interrupted(job_id=job_id)  # resumable at once from its checkpoint
    return None


# task path -> hook(task, now) run before the re-queue in one transaction; returns a run_after
# for the re-queued task (None: as soon as a worker is free).
RECOVERY: dict[str, Callable[[DBTaskResult, dt.datetime], dt.datetime | None]] = {
    "gongyou.exports.tasks.export_run": _recover_export,
    "gongyou.imports.tasks.import_run": _recover_import,
}


@dataclass(frozen=True)
class Requeued:
    task_id: str
    task_path: str
    worker_id: str
    run_after: dt.datetime | None


class _Raced(Exception):
    """Another reaper, or the worker itself, changed the task first."""


def tasks_reap(*, now: dt.datetime | None = None) -> list[Requeued]:
    """Put the RUNNING tasks of dead workers back to READY (each at most once, audited)."""
    now = now or timezone.now()
    host = host_key()
    running = list(
        DBTaskResult.objects.filter(status=RUNNING).only(
            "id", "task_path", "worker_ids", "started_at", "args_kwargs", "run_after"
        )
    )
    if not running:
        return []
    last = {t.pk: (t.worker_ids or [""])[-1] for t in running}
    workers = {w.worker_id: w for w in TaskWorker.objects.filter(worker_id__in=set(last.values()))}
    dead_workers = {wid for wid, w in workers.items() if worker_is_dead(w, now=now, host=host)}
    done: list[Requeued] = []
    for task in running:
        worker_id = last[task.pk]
        if worker_id in workers:
            if worker_id not in dead_workers:
                continue
            reason = "worker stopped (heartbeat expired or process gone)"
        elif task.started_at is None or task.started_at < now - ORPHAN_AFTER:
            reason = f"no live worker registered for {ORPHAN_AFTER}"
        else:
            continue
        try:
            with transaction.atomic():
                # Lock the task as it was seen: a second reaper (or a worker that re-claimed the
                # task meanwhile) makes this match nothing, before the hook touches any file.
                still = DBTaskResult.objects.select_for_update().filter(
                    pk=task.pk, status=RUNNING, started_at=task.started_at
                )
                if not still.exists():
                    raise _Raced()
                hook = RECOVERY.get(task.task_path)
                run_after = hook(task, now) if hook else None
                changes: dict[str, Any] = {"status": READY, "started_at": None}
                if run_after is not None:
                    changes["run_after"] = run_after
                updated = DBTaskResult.objects.filter(
                    pk=task.pk, status=RUNNING, started_at=task.started_at
                ).update(**changes)
                if not updated:
                    raise _Raced()
                audit_record(
                    actor=None,
                    action="task.requeue",
                    entity_type="django_tasks_db.dbtaskresult",
                    entity_id=str(task.pk),
                    after={"task": task.task_path, "worker": worker_id, "run_after": run_after},
                    summary=f"{task.task_path} re-queued: {reason}",
                )
        except _Raced:
            continue
        logger.warning("re-queued task %s (%s): %s", task.pk, task.task_path, reason)
        done.append(Requeued(str(task.pk), task.task_path, worker_id, run_after))
    if dead_workers:  # a worker wrongly thought dead re-registers at its next heartbeat
        TaskWorker.objects.filter(worker_id__in=dead_workers, expires_at__lt=now).delete()
    return done


def workers_reap_idle(*, now: dt.datetime | None = None) -> int:
    """Forget dead workers that held no task (their rows would otherwise stay forever)."""
    now = now or timezone.now()
    host = host_key()
    dead = [w.worker_id for w in TaskWorker.objects.all() if worker_is_dead(w, now=now, host=host)]
    busy = set()
    for ids in DBTaskResult.objects.filter(status=RUNNING).values_list("worker_ids", flat=True):
        busy.add((ids or [""])[-1])
    gone = [wid for wid in dead if wid not in busy]
    if gone:
        TaskWorker.objects.filter(worker_id__in=gone).delete()
    return len(gone)


class Heartbeat:
    """A daemon thread renewing the worker's lease every `interval` seconds and reaping dead
    workers' tasks every `reap_every` seconds; database errors are logged and retried (the
    database may be restarting), never fatal."""

    def __init__(self, *, worker_id: str, interval: float, ttl: float, reap_every: float) -> None:
        self.worker_id, self.interval, self.ttl, self.reap_every = (
            worker_id,
            interval,
            ttl,
            reap_every,
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="gongyou-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _loop(self) -> None:
        next_reap = timezone.now() + dt.timedelta(seconds=self.reap_every)
        try:
            while not self._stop.wait(self.interval):
                try:
                    close_old_connections()
                    worker_beat(worker_id=self.worker_id, ttl=self.ttl)
                    if self.reap_every and timezone.now() >= next_reap:
                        next_reap = timezone.now() + dt.timedelta(seconds=self.reap_every)
                        tasks_reap()
                        workers_reap_idle()
                except Exception:
                    logger.exception("task-worker heartbeat failed; retrying")
                    with contextlib.suppress(Exception):
                        connections.close_all()
        finally:
            with contextlib.suppress(Exception):
                connections.close_all()
