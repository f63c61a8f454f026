"""Gongyou benchmark: importing N generated worker rows, against a raw bulk insert of the same rows.

For each database (PostgreSQL, SQLite): a fresh database and `gongyou setup --no-demo`; a CSV of
N workers (Chinese headers, UTF-8 with BOM) written by gongyou.ops.demo.PopulationGenerator; then,
each in its own process:

- import: `imports.services.import_create` + `import_run` for the system administrator — the
  whole path (read, repair, validate with the registry's rules, encrypt/hash/mask, COPY or
  executemany, one audit row per worker, checkpoint per batch — the import's default size
  unless --batch says otherwise);
- raw: the same people turned into prepared worker tuples (untimed), then only the insert timed —
  COPY (PostgreSQL) / executemany in one transaction (SQLite) into a copy of the workers table
  with all its indexes (the unique lookup hash and the others), batches of 10,000, and the
  transaction's commit.

Peak RSS is each child's `ru_maxrss`. Appends a section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/bench_import.py                          # both, N = 1 M
    .venv/bin/python benchmarks/bench_import.py --db sqlite --rows 20000 --no-record
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
from run import PY, RESULTS, ROOT, base_env, gongyou, machine_info, pg_recreate, with_db

BENCH_DB = run.BENCH_DB = "gongyou_bench_import"
PRELUDE = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyou.config.settings.dev")
import django
django.setup()
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""
GENERATE = (
    PRELUDE
    + r"""
import csv
from gongyou.ops.demo import Geography, PopulationGenerator
path, n = sys.argv[1], int(sys.argv[2])
gen = PopulationGenerator(seed=2023, geography=Geography.load())
head = ["身份证号", "姓名", "手机号", "户籍地", "现居住地", "文化程度", "就业形式", "行业", "职业代码", "工会会员", "入会日期"]
with open(path, "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f)
    w.writerow(head)
    for _ in range(n):
        p = gen.person()
        w.writerow([p["national_id"], p["name"], p["phone"], p["hukou_region"], p["current_region"],
                    p["education"], p["employment_form"], p["industry"], p["occupation"],
                    "是" if p["union_member"] else "否", p["union_joined_on"] or ""])
"""
)
IMPORT = (
    PRELUDE
    + r"""
from gongyou.accounts.models import User
from gongyou.accounts.policies import actor_for
from gongyou.imports import services
from gongyou.imports.models import DEFAULT_BATCH
admin = User.objects.get(username="admin")
t0 = time.monotonic()
with open(sys.argv[1], "rb") as f:
    job = services.import_create(actor=actor_for(admin), kind="workers", upload=f, enqueue=False,
                                 batch_size=int(sys.argv[2]) or DEFAULT_BATCH)
job = services.import_run(job_id=job.pk)
wall = time.monotonic() - t0
print(json.dumps({"status": job.status, "error": job.error, "created": job.created,
                  "batch": job.batch_size,
                  "invalid": job.invalid, "wall_s": wall, "max_rss_mb": rss()}))
"""
)
RAW = (
    PRELUDE
    + r"""
import csv, datetime as dt
from django.db import connection, transaction
from django.utils import timezone
from gongyou.classifications.selectors import occupation_names
from gongyou.core.bulk import insert_rows
from gongyou.ops.demo import WORKER_COLUMNS, worker_row
occupations = set(occupation_names())
with connection.cursor() as c:
    c.execute("DROP TABLE IF EXISTS bench_raw")
    if connection.vendor == "postgresql":
        c.execute("CREATE TABLE bench_raw (LIKE workers_worker INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)")
    else:
        c.execute("CREATE TABLE bench_raw AS SELECT * FROM workers_worker WHERE 0")
        c.execute("CREATE UNIQUE INDEX bench_raw_hash ON bench_raw (national_id_hash)")
        # The workers table's other indexes too, as PostgreSQL's LIKE … INCLUDING INDEXES does.
        c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                  " AND tbl_name = 'workers_worker' AND sql IS NOT NULL")
        for name, sql in c.fetchall():
            c.execute(sql.replace(f'"{name}"', f'"bench_raw_{name}"', 1)
                      .replace('"workers_worker"', '"bench_raw"', 1))
now = timezone.now()
timed = 0.0
n = 0
def flush(rows):
    global timed
    t0 = time.monotonic()
    insert_rows("bench_raw", WORKER_COLUMNS, rows)
    timed += time.monotonic() - t0
with transaction.atomic(), open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    reader = csv.reader(f)
    next(reader)
    batch = []
    for r in reader:
        p = {"national_id": r[0], "name": r[1], "phone": r[2], "hukou_region": r[3],
             "current_region": r[4], "education": r[5], "employment_form": r[6], "industry": r[7],
             "occupation": r[8], "union_member": r[9] == "是",
             "union_joined_on": dt.date.fromisoformat(r[10]) if r[10] else None,
             "sex": "M" if int(r[0][16]) % 2 else "F",
             "birth_date": dt.date(int(r[0][6:10]), int(r[0][10:12]), int(r[0][12:14]))}
        batch.append(worker_row(p, user_id=None, org_id=None, now=now, occupations=occupations))
        n += 1
        if len(batch) == 10000:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    t0 = time.monotonic()
timed += time.monotonic() - t0  # the commit of the one transaction is part of the insert
with connection.cursor() as c:
    c.execute("DROP TABLE bench_raw")
print(json.dumps({"rows": n, "insert_s": timed, "max_rss_mb": rss()}))
"""
)


def child(code: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [PY, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode:
        sys.exit(f"child failed: {proc.stderr[-3000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def bench(db: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    var = tmp / db
    var.mkdir()
    if db == "postgresql":
        pg_recreate(args.pg_admin_url)
        url = with_db(args.pg_admin_url, BENCH_DB)
    else:
        url = f"sqlite:///{var / 'gongyou.sqlite3'}"
    env = base_env(url, var, "bench-import-password-1")
    env["GONGYOU_IMPORT_PROCESSES"] = str(args.processes)
    log = tmp / f"{db}.log"
    gongyou(["setup", "--no-demo"], env, log)
    csv_path = tmp / "workers.csv"
    if not csv_path.exists():
        t0 = time.monotonic()
        child(GENERATE, [str(csv_path), str(args.rows)], env)
        print(f"generated {args.rows:,} rows in {time.monotonic() - t0:.1f} s", flush=True)
    imp = child(IMPORT, [str(csv_path), str(args.batch)], env)
    raw = child(RAW, [str(csv_path)], env)
    out = {
        "db": db,
        "rows": args.rows,
        "import": imp,
        "raw": raw,
        "import_rate": imp["created"] / imp["wall_s"],
        "raw_rate": raw["rows"] / raw["insert_s"],
    }
    out["ratio"] = out["import_rate"] / out["raw_rate"]
    print(json.dumps(out), flush=True)
    if db == "postgresql":
        pg_recreate(args.pg_admin_url, drop_only=True)
    return out


def markdown(results: list[dict[str, Any]], info: dict[str, str], argv: list[str]) -> str:
    lines = [
        f"\n## Import benchmark — {time.strftime('%a %b %d %H:%M:%S UTC %Y', time.gmtime())}\n",
        f"- Machine: {info.get('machine', '')}",
        f"- {info.get('software', '')}",
        f"- Command: `.venv/bin/python benchmarks/bench_import.py {' '.join(argv)}`",
        f"- Import preparers (GONGYOU_IMPORT_PROCESSES): {info.get('processes', '')}; rows per "
        f"batch: {', '.join(sorted({str(r['import'].get('batch', '')) for r in results}))}",
        "- import = the whole service path (read CSV, repair, validate, encrypt/hash/mask, bulk insert, one audit row per worker, checkpoint per batch); raw = only the insert of the same rows prepared beforehand (COPY / executemany, one transaction, into a copy of the workers table with all its indexes). Goals: import ≥ 1/3 of raw, peak RSS < 500 MB.\n",
        "| database | rows | import s | import rows/s | raw insert s | raw rows/s | ratio | import peak RSS MB | goal met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        met = (
            "yes"
            if r["ratio"] >= 1 / 3 and r["import"]["max_rss_mb"] < 500
            else ("RSS yes, ratio **no**" if r["import"]["max_rss_mb"] < 500 else "**no**")
        )
        lines.append(
            f"| {r['db']} | {r['rows']:,} | {r['import']['wall_s']:.1f} | {r['import_rate']:,.0f} | "
            f"{r['raw']['insert_s']:.1f} | {r['raw_rate']:,.0f} | {r['ratio']:.2f} | "
            f"{r['import']['max_rss_mb']:.0f} | {met} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--batch", type=int, default=0, help="rows per batch; 0 = the import's default"
    )
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="GONGYOU_IMPORT_PROCESSES for the import: 0 = one preparer per CPU, 1 = in-process",
    )
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    dbs = ["postgresql", "sqlite"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="gongyou-bench-import-") as tmp:
        results = [bench(db, args, Path(tmp)) for db in dbs]
    info = machine_info(args.pg_admin_url if "postgresql" in dbs else None)
    machine = f"{info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, kernel {info['kernel']}"
    software = (
        f"{info['date']}; Python {info['python']}, PostgreSQL {info['postgresql']}, "
        f"SQLite {info['sqlite']}"
    )
    processes = args.processes or f"one per CPU ({os.cpu_count()})"
    text = markdown(
        results, {"machine": machine, "software": software, "processes": str(processes)}, argv
    )
    print(text)
    if not args.no_record:
        with RESULTS.open("a") as out:
            out.write(text)


if __name__ == "__main__":
    main()
