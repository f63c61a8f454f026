"""Gongyou benchmark: exporting 1,000,000 workers to CSV, xlsx and Parquet.

For each database (PostgreSQL, SQLite): a fresh database, `gongyou setup --no-demo`, `gongyou
demo --workers N --stations 10 --visits 0` (as benchmarks/run.py does), then each export runs in
its own process, timed end to end through the real service (`exports.services.export_run`:
scoped selector, `values_list(...).iterator()`, streaming writer, SHA-256, completion audit) for
the system administrator (national scope, so every worker is in the export). Peak RSS is the
child's `ru_maxrss`. Appends a section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/bench_export.py                    # both databases, N = 1 M
    .venv/bin/python benchmarks/bench_export.py --db sqlite --workers 100000 --no-record
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run
from run import (
    PY,
    RESULTS,
    ROOT,
    base_env,
    gongyou,
    machine_info,
    pg_recreate,
    pg_size,
    with_db,
)

# Its own database, so it never collides with benchmarks/run.py (or the import benchmark).
BENCH_DB = run.BENCH_DB = "gongyou_bench_export"
GOAL_CSV_S = 60.0
CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyou.config.settings.dev")
import django
django.setup()
from gongyou.accounts.models import User
from gongyou.accounts.policies import actor_for
from gongyou.exports import services
from gongyou.exports.models import ExportJob

fmt, reveal = sys.argv[1], sys.argv[2] == "1"
admin = User.objects.get(username="admin")
job = ExportJob.objects.create(
    kind="workers", format=fmt, filters={}, reveal=reveal, purpose="benchmark" if reveal else "",
    created_by=admin, organisation_id=admin.organisation_id, language="zh-hans",
    expires_at=__import__("django.utils.timezone").utils.timezone.now(),
)
t0 = time.monotonic()
job = services.export_run(job_id=job.pk)
wall = time.monotonic() - t0
print(json.dumps({
    "format": fmt, "reveal": reveal, "status": job.status, "error": job.error,
    "rows": job.row_count, "size": job.size, "wall_s": wall,
    "cpu_s": resource.getrusage(resource.RUSAGE_SELF).ru_utime
             + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def run_export(env: dict[str, str], fmt: str, reveal: bool) -> dict[str, Any]:
    proc = subprocess.run(
        [PY, "-c", CHILD, fmt, "1" if reveal else "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        sys.exit(f"export {fmt} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_db(db: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    workdir = tmp / db
    workdir.mkdir()
    log = workdir / "log.txt"
    if db == "postgresql":
        pg_recreate(args.pg_admin_url)
        url = with_db(args.pg_admin_url, BENCH_DB)
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = base_env(url, workdir / "var", "bench-" + os.urandom(6).hex())
    print(f"== {db}: {url}  (logs: {log})", flush=True)
    report: dict[str, Any] = {"db": db, "runs": []}
    report["setup_s"] = gongyou(["setup", "--no-demo"], env, log)
    report["demo_s"] = gongyou(
        [
            *("demo", "--workers", str(args.workers), "--stations", "10"),
            *("--visits", "0", "--verbosity", "1"),
        ],
        env,
        log,
    )
    report["db_size"] = (
        pg_size(args.pg_admin_url)
        if db == "postgresql"
        else f"{(workdir / 'bench.sqlite3').stat().st_size / 2**20:.0f} MiB"
    )
    print(f"   demo {args.workers:,} workers: {report['demo_s']:.1f} s", flush=True)
    plan = [(f, False) for f in args.formats] + ([("csv", True)] if args.reveal else [])
    for _round in range(args.repeat):
        for fmt, reveal in plan:
            result = run_export(env, fmt, reveal)
            report["runs"].append(result)
            print(
                f"   {fmt}{' +reveal' if reveal else ''}: {result['rows']:,} rows in "
                f"{result['wall_s']:.1f} s ({result['rows'] / result['wall_s']:,.0f} rows/s), "
                f"{result['size'] / 2**20:.0f} MiB, peak RSS {result['max_rss_mb']:.0f} MB, "
                f"{result['status']}",
                flush=True,
            )
    if db == "postgresql" and not args.keep:
        pg_recreate(args.pg_admin_url, drop_only=True)
    return report


def record(reports: list[dict[str, Any]], info: dict[str, str], args: argparse.Namespace) -> str:
    lines = [
        f"\n## Exports — {info['date']}\n",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, kernel {info['kernel']}",
        f"- Python {info['python']}, PostgreSQL {info['postgresql']}, SQLite {info['sqlite']}",
        f"- Command: `.venv/bin/python benchmarks/bench_export.py {' '.join(sys.argv[1:])}`".rstrip(),
        f"- N = {args.workers:,} workers (demo data, 10 stations); export of every worker by the"
        " system administrator through `exports.services.export_run` in a fresh process;"
        " wall time includes the query, conversion, writing, SHA-256 and the completion audit."
        f" Goal: CSV of 1 M rows under {GOAL_CSV_S:.0f} s.",
        "",
        "| database | format | rows | wall s | rows/s | file MiB | CPU s | peak RSS MB | status |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for rep in reports:
        for r in rep["runs"]:
            name = r["format"] + (" + reveal (decrypt 2 fields/row)" if r["reveal"] else "")
            lines.append(
                f"| {rep['db']} | {name} | {r['rows']:,} | {r['wall_s']:.1f} | "
                f"{r['rows'] / r['wall_s']:,.0f} | {r['size'] / 2**20:.0f} | {r['cpu_s']:.1f} | "
                f"{r['max_rss_mb']:.0f} | {r['status']} |"
            )
    lines.append("")
    for rep in reports:
        lines.append(f"- {rep['db']}: demo load {rep['demo_s']:.1f} s, database {rep['db_size']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="postgresql,sqlite")
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv,xlsx,parquet")
    parser.add_argument("--no-reveal", dest="reveal", action="store_false")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench database")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    args.formats = args.formats.split(",")
    dbs = args.db.split(",")
    info = machine_info(args.pg_admin_url if "postgresql" in dbs else None)
    reports = []
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="gongyou-bench-export-") as tmp:
        for db in dbs:
            reports.append(bench_db(db, args, Path(tmp)))
    text = record(reports, info, args)
    print(text)
    print(f"total {time.monotonic() - t0:.0f} s")
    if not args.no_record:
        with RESULTS.open("a") as out:
            out.write(text)


if __name__ == "__main__":
    main()
