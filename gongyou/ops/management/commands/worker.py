"""`gongyou worker`: run a background-task worker (django-tasks-db's `db_worker`) that others can
tell is alive.

Several workers, on one or several machines, may share one PostgreSQL queue: each claims a task
with `SELECT … FOR UPDATE SKIP LOCKED`, so no task runs twice at the same time. On SQLite run
workers on the database's own machine only. `gongyou serve` already starts one.

The worker registers itself (ops.TaskWorker) and renews a lease from a heartbeat thread; when it
starts, and every `--reap-every` seconds, it re-queues the tasks of workers that died while
running them (gongyou/ops/taskworkers.py). SIGTERM/SIGINT let the current task finish first.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from gongyou.ops.taskworkers import (
    Heartbeat,
    new_worker_id,
    tasks_reap,
    worker_register,
    worker_unregister,
    workers_reap_idle,
)

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run a background-task worker (several may share one PostgreSQL queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle"
        )
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=5.0,
            help="seconds between renewals of this worker's lease (default 5)",
        )
        parser.add_argument(
            "--ttl",
            type=float,
            default=60.0,
            help="seconds without a renewal after which others take this worker for dead "
            "and run its task again (default 60)",
        )
        parser.add_argument(
            "--reap-every",
            type=float,
            default=30.0,
            help="seconds between checks for tasks of dead workers (default 30; 0: only at start)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["heartbeat"] <= 0 or opts["ttl"] <= opts["heartbeat"]:
            raise CommandError("--ttl must be longer than --heartbeat, and both positive.")
        worker_id = new_worker_id()
        worker_register(worker_id=worker_id, ttl=opts["ttl"])
        for requeued in tasks_reap():
            self.stderr.write(
                f"re-queued task {requeued.task_id} ({requeued.task_path}) of dead worker "
                f"{requeued.worker_id}"
            )
        workers_reap_idle()
        heartbeat = Heartbeat(
            worker_id=worker_id,
            interval=opts["heartbeat"],
            ttl=opts["ttl"],
            reap_every=opts["reap_every"],
        )
        heartbeat.start()
        extra = ["--batch"] if opts["batch"] else []
        try:
            call_command(
                "db_worker",
                "--interval",
                str(opts["interval"]),
                "--queue-name",
                opts["queue_name"],
                "--worker-id",
                worker_id,
                "--no-reload",
                *extra,
                verbosity=opts["verbosity"],
            )
        finally:
            heartbeat.stop()
            try:
                worker_unregister(worker_id=worker_id)
            except DatabaseError:  # its lease then simply expires
                logger.warning("worker %s could not sign off", worker_id, exc_info=True)
