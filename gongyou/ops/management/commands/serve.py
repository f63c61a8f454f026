"""`gongyou serve`: gunicorn (WSGI, threaded workers with keep-alive), the background-task worker
and the scheduler, supervised together.

Threaded workers (`gthread`) keep HTTP connections alive between requests and overlap one
request's database wait with another's Python work: on 2 cores they log ~30 % more visits per
second than sync workers, which close the connection after every request
(benchmarks/RESULTS.md, 2026-11-29)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Gongyou on 127.0.0.1:$GONGYOU_PORT (default 8000) with gunicorn and run the task worker."

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
            "gunicorn",
            "gongyou.config.wsgi:application",
            "--bind",
            f"{opts['host']}:{opts['port']}",
            "--workers",
            str(opts["workers"]),
            "--worker-class",
            "gthread",
            "--threads",
            str(opts["threads"]),
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
            "--access-logfile",
            "-" if os.environ.get("GONGYOU_ACCESS_LOG") else "/dev/null",
            "--max-requests",
            "20000",
            "--max-requests-jitter",
            "2000",
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
