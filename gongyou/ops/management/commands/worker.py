"""`gongyou worker`: run a background-task worker (django-tasks-db's `db_worker`).

Several workers, on one or several machines, may share one PostgreSQL queue: each claims a task
with `SELECT … FOR UPDATE SKIP LOCKED`, so no task runs twice at the same time. On SQLite run
workers on the database's own machine only. `gongyou serve` already starts one.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run a background-task worker (several may share one PostgreSQL queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle"
        )
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args: Any, **opts: Any) -> None:
        extra = ["--batch"] if opts["batch"] else []
        call_command(
            "db_worker",
            "--interval",
            str(opts["interval"]),
            "--queue-name",
            opts["queue_name"],
            *extra,
        )
