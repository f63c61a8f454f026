"""`gongyou serve`: granian (the web server: HTTP in Rust, the WSGI application in a capped pool
of threads per worker process, keep-alive), the background-task worker and the scheduler,
supervised together.

Why granian and not gunicorn: in the open-loop load test (benchmarks/loadtest.py) granian holds
1,000 visits/s on 2 cores, gunicorn's threaded workers do not — their Python HTTP handling takes
about a third of the server's CPU, and a worker holding more than its share of the keep-alive
connections falls behind while the other idles (docs/decisions/0013-web-server.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Gongyou on 127.0.0.1:$GONGYOU_PORT (default 8000) with granian and run the task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("GONGYOU_PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("GONGYOU_HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("GONGYOU_WEB_WORKERS", str(os.cpu_count() or 1))),
            help="web worker processes (default: one per core)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("GONGYOU_WEB_THREADS", "4")),
            help="request threads per web worker (default 4)",
        )
        parser.add_argument("--no-task-worker", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        env = os.environ.copy()
        web = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            opts["host"],
            "--port",
            str(opts["port"]),
            "--workers",
            str(opts["workers"]),
            "--blocking-threads",
            str(opts["threads"]),
            # Keep idle request threads (and so their database connections) for the longest
            # granian allows, rather than closing and reopening them after 30 s of quiet.
            "--blocking-threads-idle-timeout",
            "600",
            "--no-ws",
            "--respawn-failed-workers",  # a worker that dies is replaced
            "--workers-kill-timeout",  # on stop: in-flight requests get 20 s to finish
            "20",
            "--log-level",
            "warning",
            # Access log off by default (GONGYOU_ACCESS_LOG=1 turns it on): the audit log records
            # every change, and a line per request costs CPU at a thousand requests a second.
            "--access-log" if os.environ.get("GONGYOU_ACCESS_LOG") else "--no-access-log",
            "gongyou.config.wsgi:application",
        ]
        procs = [subprocess.Popen(web, env=env)]  # noqa: S603 - fixed argv
        if not opts["no_task_worker"]:
            for command in (["worker", "--interval", "1"], ["scheduler"]):
                procs.append(subprocess.Popen([sys.executable, "-m", "gongyou", *command], env=env))  # noqa: S603
        self.stdout.write(
            self.style.SUCCESS(f"Gongyou on http://{opts['host']}:{opts['port']}/  (Ctrl-C stops)")
        )

        def stop(signum: int, _frame: Any) -> None:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            deadline = time.monotonic() + 25
            for p in procs:
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()
        codes = [p.returncode for p in procs]
        if any(c not in (0, -signal.SIGTERM, None) for c in codes):
            raise SystemExit(1)
