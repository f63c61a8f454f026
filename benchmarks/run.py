"""Gongyou benchmark: visit logging and ID-number lookup against the real server.

For each database (PostgreSQL, SQLite): fresh database, `gongyou setup --no-demo`, timed
`gongyou demo --workers N`, then `gongyou serve` (granian) driven by a Python
multi-process keep-alive client (benchmarks/loadgen.py). wrk, when installed, cross-checks.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import loadgen

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PY = sys.executable
BENCH_DB = "gongyou_bench"
CLK_TCK = os.sysconf("SC_CLK_TCK")
NPROC = os.cpu_count() or 1


# --- CPU accounting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CpuSample:
    at: float
    busy: int  # machine-wide non-idle ticks (/proc/stat)
    total: int
    server: int  # ticks of the server's process group (incl. reaped children)
    postgres: int  # ticks of all processes named "postgres" (incl. reaped backends)
    client: int  # ticks of this benchmark's own process group (the load generator)
    processes: int  # ticks of every readable process


def _proc_stats() -> Iterator[tuple[str, int, int]]:
    """(comm, pgrp, utime+stime+cutime+cstime) of every process we can read."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        f = raw[raw.rindex(")") + 2 :].split()
        yield comm, int(f[2]), int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])


def cpu_sample(server_pgid: int) -> CpuSample:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    total = sum(fields)
    idle = fields[3] + fields[4]
    server = postgres = client = processes = 0
    own = os.getpgrp()
    for comm, pgrp, ticks in _proc_stats():
        processes += ticks
        if pgrp == server_pgid:
            server += ticks
        elif pgrp == own:
            client += ticks
        elif comm == "postgres":
            postgres += ticks
    return CpuSample(time.monotonic(), total - idle, total, server, postgres, client, processes)


def cpu_shares(window: tuple[CpuSample, CpuSample], client_cpu_s: float) -> dict[str, float]:
    """Each consumer's share of the whole machine (all cores) over the window, in percent."""
    a, b = window
    capacity = (b.at - a.at) * NPROC
    pct = {
        "machine_busy": 100 * (b.busy - a.busy) / max(1, b.total - a.total),
        "server": 100 * (b.server - a.server) / CLK_TCK / capacity,
        "postgres": 100 * (b.postgres - a.postgres) / CLK_TCK / capacity,
        "client": 100 * client_cpu_s / capacity,
        "client_proc": 100 * (b.client - a.client) / CLK_TCK / capacity,
        "processes": 100 * (b.processes - a.processes) / CLK_TCK / capacity,
    }
    # Everything else: other processes on the machine (e.g. a concurrent test run) and kernel
    # time not charged to any process (softirq of the loopback traffic).
    pct["other"] = max(
        0.0, pct["machine_busy"] - pct["server"] - pct["postgres"] - pct["client_proc"]
    )
    return pct


def background_busy(seconds: float = 2.0) -> float:
    """Machine-wide busy share (%) while the benchmark itself is idle: other tenants' load."""
    a = cpu_sample(-1)
    time.sleep(seconds)
    b = cpu_sample(-1)
    return 100 * (b.busy - a.busy) / max(1, b.total - a.total)


# --- Environment, database, server ---------------------------------------------------------------


def machine_info(pg_admin_url: str | None) -> dict[str, str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    pg = "n/a"
    if pg_admin_url:
        with suppress(Exception):
            import psycopg

            with psycopg.connect(pg_admin_url, autocommit=True) as conn:
                row = conn.execute("SHOW server_version").fetchone()
                pg = str(row[0]) if row else "?"
    return {
        "date": subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip(),
        "nproc": str(NPROC),
        "cpu": cpu,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "postgresql": pg,
        "sqlite": sqlite3.sqlite_version,
        "kernel": platform.release(),
    }


def with_db(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def pg_recreate(admin_url: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def pg_size(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("SELECT pg_size_pretty(pg_database_size(%s))", (BENCH_DB,)).fetchone()
        return str(row[0]) if row else "?"


def base_env(database_url: str, var_dir: Path, admin_password: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGYOU_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="gongyou.config.settings.dev",
        GONGYOU_VAR_DIR=str(var_dir),
        GONGYOU_SECRET_KEY=secrets.token_urlsafe(50),
        GONGYOU_PII_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode(),
        GONGYOU_PII_INDEX_KEY=base64.b64encode(os.urandom(32)).decode(),
        GONGYOU_ADMIN_PASSWORD=admin_password,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def gongyou(args: list[str], env: dict[str, str], log: Path) -> float:
    """Run `python -m gongyou ARGS`; returns the wall time in seconds."""
    t0 = time.monotonic()
    with log.open("ab") as out:
        proc = subprocess.run(
            [PY, "-m", "gongyou", *args], env=env, cwd=ROOT, stdout=out, stderr=out, check=False
        )
    if proc.returncode:
        sys.exit(f"`gongyou {' '.join(args)}` failed ({proc.returncode}); see {log}")
    return time.monotonic() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(
    port: int, method: str, path: str, body: Any = None, token: str | None = None
) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        resp = conn.getresponse()
        data = resp.read()
    finally:
        conn.close()
    try:
        return resp.status, json.loads(data)
    except ValueError:
        return resp.status, data[:500]


@contextmanager
def server(env: dict[str, str], port: int, web_workers: str, log: Path) -> Iterator[int]:
    """`gongyou serve` in its own process group; yields the group id; SIGTERMs the group."""
    env = dict(env)
    if web_workers != "default":
        env["GONGYOU_WEB_WORKERS"] = web_workers
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [PY, "-m", "gongyou", "serve", "--port", str(port), "--no-task-worker"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                sys.exit(f"server exited ({proc.returncode}); see {log}")
            with suppress(OSError):
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            if time.monotonic() > deadline:
                sys.exit(f"server did not answer /healthz in 90 s; see {log}")
            time.sleep(0.3)
        yield proc.pid
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        # granian's workers belong to the same group; make sure none is left.
        for _ in range(50):
            if not any(pgrp == proc.pid for _c, pgrp, _t in _proc_stats()):
                break
            time.sleep(0.2)


# --- wrk cross-check ----------------------------------------------------------------------------

WRK_VISITS = """
counter, tid = 0, 0  -- globals: setup() overrides tid per thread with thread:set
local stations = {%(stations)s}
function setup(thread) thread:set("tid", tid); tid = tid + 1 end
request = function()
  counter = counter + 1
  local s = stations[math.random(#stations)]
  local body = string.format('{"station_id": %%d, "service": "%%s"}', s[1], s[2])
  return wrk.format("POST", "/api/v1/visits", {
    ["Authorization"] = "Bearer %(token)s", ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "wrk-%(tag)s-" .. tid .. "-" .. counter}, body)
end
"""
WRK_LOOKUP = """
local ids = {%(ids)s}
request = function()
  return wrk.format("GET", "/api/v1/workers?national_id=" .. ids[math.random(#ids)],
    {["Authorization"] = "Bearer %(token)s"})
end
"""


def run_wrk(script: str, port: int, connections: int, duration: float, tmp: Path) -> dict:
    path = tmp / "bench.lua"
    path.write_text(script)
    cmd = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "-s",
        str(path),
        f"http://127.0.0.1:{port}",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    result: dict[str, Any] = {"raw": out}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(parts[1])
        elif len(parts) == 2 and parts[0] in ("50%", "75%", "90%", "99%"):
            result[f"p{parts[0][:-1]}_ms"] = _wrk_ms(parts[1])
        elif "requests in" in line:
            result["requests"] = int(parts[0])
        elif line.strip().startswith("Non-2xx"):
            result["non2xx"] = int(parts[-1])
        elif line.strip().startswith("Socket errors"):
            result["socket_errors"] = line.strip()
    return result


def _wrk_ms(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


# --- The benchmark ------------------------------------------------------------------------------


@dataclass
class DbReport:
    db: str
    setup_s: float = 0.0
    demo_s: float = 0.0
    db_size: str = ""
    selector: dict[str, Any] = field(default_factory=dict)
    selector_sql: str = ""
    id_generation_s: float = 0.0
    runs: list[dict[str, Any]] = field(default_factory=list)
    wrk: list[dict[str, Any]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


def visit_count(port: int, token: str) -> int:
    status, body = request(port, "GET", "/api/v1/visits?limit=1", token=token)
    if status != 200:
        sys.exit(f"GET /api/v1/visits -> {status} {body}")
    return int(body["count"])


def bench_db(db: str, args: argparse.Namespace, tmp: Path) -> DbReport:
    report = DbReport(db=db)
    workdir = tmp / db
    workdir.mkdir()
    log = workdir / "log.txt"
    password = secrets.token_urlsafe(16)
    if db == "postgresql":
        pg_recreate(args.pg_admin_url)
        url = with_db(args.pg_admin_url, BENCH_DB)
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = base_env(url, workdir / "var", password)
    print(f"== {db}: {url}  (logs: {log})", flush=True)
    try:
        report.setup_s = gongyou(["setup", "--no-demo"], env, log)
        print(f"   setup --no-demo: {report.setup_s:.1f} s", flush=True)
        today = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
        report.demo_s = gongyou(
            [
                *("demo", "--workers", str(args.workers), "--stations", str(args.stations)),
                *("--visits", "0", "--verbosity", "1"),
            ],
            env,
            log,
        )
        report.db_size = (
            pg_size(args.pg_admin_url)
            if db == "postgresql"
            else f"{(workdir / 'bench.sqlite3').stat().st_size / 2**20:.0f} MiB"
        )
        print(
            f"   demo {args.workers} workers + {args.stations} stations: {report.demo_s:.1f} s"
            f" ({args.workers / report.demo_s:,.0f} workers/s), database {report.db_size}",
            flush=True,
        )
        inproc = subprocess.run(
            [
                *(PY, str(Path(__file__).parent / "inproc.py")),
                *("--sample", str(min(args.sample, args.workers))),
                *("--lookups", str(args.lookups), "--today", today.isoformat()),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if inproc.returncode:
            sys.exit(f"inproc.py failed:\n{inproc.stderr[-3000:]}")
        data = json.loads(inproc.stdout)
        ids: list[str] = data["ids"]
        report.selector = data["selector"]
        report.selector_sql = data["sql"]
        report.id_generation_s = data["generate_seconds"]
        sel = report.selector
        print(
            f"   selector in-process: p50 {sel['p50_ms']:.2f} ms, p99 {sel['p99_ms']:.2f} ms,"
            f" errors {sel['errors']}/{sel['lookups']}",
            flush=True,
        )
        port = args.port or free_port()
        for web_workers in args.web_workers:
            try:
                bench_server(args, report, env, port, web_workers, password, ids, log)
            except (Exception, SystemExit) as exc:  # keep the other configurations' results
                tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
                report.checks.append(f"web workers {web_workers}: FAILED: {exc!r}")
                print(f"   web workers {web_workers} FAILED: {exc!r}\n{tail}", flush=True)
    finally:
        if db == "postgresql" and not args.keep:
            pg_recreate(args.pg_admin_url, drop_only=True)
    return report


def bench_server(
    args: argparse.Namespace,
    report: DbReport,
    env: dict[str, str],
    port: int,
    web_workers: str,
    password: str,
    ids: list[str],
    log: Path,
) -> None:
    """One server configuration: token, stations, the load runs, the row check, wrk."""
    with server(env, port, web_workers, log) as pgid:
        status, body = request(
            port,
            "POST",
            "/api/v1/auth/token",
            {"username": "admin", "password": password},
        )
        if status != 200:
            sys.exit(f"POST /api/v1/auth/token -> {status} {body}")
        token = body["token"]
        status, body = request(port, "GET", "/api/v1/stations?limit=50", token=token)
        if status != 200 or not body["items"]:
            sys.exit(f"GET /api/v1/stations -> {status} {body}")
        pairs = [(s["id"], svc) for s in body["items"] for svc in s["services"]]
        target = loadgen.Target("127.0.0.1", port, token)
        baseline = visit_count(port, token)
        created = 0
        for workload, conns in (
            ("visits", args.connections),
            ("lookup", args.lookup_connections),
        ):
            for c in conns:
                idle_busy = background_busy()
                res = loadgen.run(
                    workload=workload,  # type: ignore[arg-type]
                    target=target,
                    connections=c,
                    warmup=args.warmup,
                    duration=args.duration,
                    params={
                        "stations": pairs,
                        "national_ids": ids,
                        "run_tag": f"{web_workers}-{c}-{secrets.token_hex(4)}",
                    },
                    sampler=lambda: cpu_sample(pgid),
                )
                if workload == "visits":
                    created += res.created_total
                row = {
                    "web_workers": web_workers,
                    "workload": workload,
                    "connections": c,
                    "background_busy": idle_busy,
                    "rps": res.rps,
                    "requests": res.requests,
                    "errors": res.errors,
                    "p50_ms": res.p50_ms,
                    "p95_ms": res.p95_ms,
                    "p99_ms": res.p99_ms,
                    "max_ms": res.max_ms,
                    "statuses": res.statuses,
                    "error_samples": res.error_samples,
                    "cpu": cpu_shares(res.cpu_window, res.client_cpu_seconds)
                    if res.cpu_window
                    else {},
                }
                report.runs.append(row)
                print("   " + format_row(row), flush=True)
        stored = visit_count(port, token) - baseline
        check = (
            f"web workers {web_workers}: visits in database {stored:,} vs 201 responses"
            f" {created:,} -> {'OK' if stored == created else 'MISMATCH'}"
        )
        report.checks.append(check)
        print("   " + check, flush=True)
        if args.wrk and shutil.which("wrk"):
            report.wrk.extend(
                wrk_cross_check(args, port, token, pairs, ids, web_workers, log.parent)
            )


def wrk_cross_check(
    args: argparse.Namespace,
    port: int,
    token: str,
    pairs: list[tuple[int, str]],
    ids: list[str],
    web_workers: str,
    workdir: Path,
) -> list[dict[str, Any]]:
    c = args.wrk_connections
    before = visit_count(port, token)
    stations = ", ".join(f'{{{sid}, "{svc}"}}' for sid, svc in pairs)
    visits = run_wrk(
        WRK_VISITS % {"stations": stations, "token": token, "tag": secrets.token_hex(4)},
        port,
        c,
        args.duration,
        workdir,
    )
    visits["db_delta"] = visit_count(port, token) - before
    lookup = run_wrk(
        WRK_LOOKUP % {"ids": ", ".join(f'"{i}"' for i in ids[:2000]), "token": token},
        port,
        c,
        args.duration,
        workdir,
    )
    out = []
    for workload, r in (("visits", visits), ("lookup", lookup)):
        r.update(web_workers=web_workers, workload=workload, connections=c)
        r.pop("raw", None)
        out.append(r)
        print(
            f"   wrk {workload:7} c={c:<3} {r.get('rps', 0):8.0f} req/s  p50 {r.get('p50_ms', 0):6.1f}"
            f"  p99 {r.get('p99_ms', 0):6.1f} ms  non-2xx {r.get('non2xx', 0)}"
            + (f"  rows stored {r['db_delta']:,}" if "db_delta" in r else ""),
            flush=True,
        )
    return out


def format_row(r: dict[str, Any]) -> str:
    cpu = r["cpu"]
    return (
        f"{r['workload']:7} w={r['web_workers']:<7} c={r['connections']:<3}"
        f" {r['rps']:8.0f} req/s  p50 {r['p50_ms']:6.1f}  p95 {r['p95_ms']:6.1f}"
        f"  p99 {r['p99_ms']:6.1f} ms  errors {r['errors']}  idle-before {r['background_busy']:.0f}%"
        + (
            f"  cpu: busy {cpu['machine_busy']:.0f}% server {cpu['server']:.0f}%"
            f" pg {cpu['postgres']:.0f}% client {cpu['client']:.0f}%"
            f" other {cpu['other']:.0f}%"
            if cpu
            else ""
        )
    )


# --- Report -------------------------------------------------------------------------------------


def markdown(
    info: dict[str, str], command: str, args: argparse.Namespace, reports: list[DbReport]
) -> str:
    out = [
        f"\n## {info['date']}{' (quick)' if args.quick else ''}\n",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, kernel {info['kernel']}",
        f"- Python {info['python']}, PostgreSQL {info['postgresql']}, SQLite {info['sqlite']}",
        f"- Command: `{command}`",
        f"- N = {args.workers:,} workers, {args.stations} stations; warm-up {args.warmup:g} s,"
        f" measured {args.duration:g} s per run; load generator: benchmarks/loadgen.py"
        " (Python, one process per keep-alive connection) unless marked wrk",
        "- CPU columns are shares of the whole machine (100% = all cores busy) during the"
        " measured window: server = the web server's process group, pg = PostgreSQL processes,"
        " client = the load generator's own processes, other = everything else (other tenants'"
        " processes, unattributed kernel time); busy before = machine busy share in the 2 s"
        " before the run, while the benchmark was idle (non-zero = someone else was using the"
        " cores).",
        "",
    ]
    for rep in reports:
        sel = rep.selector
        out += [
            f"### {rep.db}\n",
            f"- `setup --no-demo`: {rep.setup_s:.1f} s",
            f"- `demo --workers {args.workers} --stations {args.stations} --visits 0`:"
            f" {rep.demo_s:.1f} s wall (process start included) ="
            f" **{args.workers / rep.demo_s:,.0f} workers/s** (each worker row also writes one"
            f" audit row); database size afterwards {rep.db_size}",
            f"- Selector in-process (`worker_list(national_id=…)`, count + first page, system_admin,"
            f" one thread): p50 **{sel['p50_ms']:.2f} ms**, p95 {sel['p95_ms']:.2f} ms,"
            f" p99 **{sel['p99_ms']:.2f} ms**, {sel['per_s_one_thread']:,.0f} lookups/s,"
            f" errors {sel['errors']}/{sel['lookups']}"
            f" (ID sample regenerated in {rep.id_generation_s:.1f} s)",
            "",
            "| workload | web workers | conns | req/s | p50 ms | p95 ms | p99 ms | max ms | errors"
            " | busy | server | pg | client | other | busy before |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rep.runs:
            cpu = r["cpu"] or {}
            out.append(
                f"| {r['workload']} | {r['web_workers']} | {r['connections']} | {r['rps']:,.0f}"
                f" | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.0f}"
                f" | {r['errors']} | {cpu.get('machine_busy', 0):.0f}% | {cpu.get('server', 0):.0f}%"
                f" | {cpu.get('postgres', 0):.0f}% | {cpu.get('client_proc', 0):.0f}%"
                f" | {cpu.get('other', 0):.0f}% | {r['background_busy']:.0f}% |"
            )
        out.append("")
        for r in rep.runs:
            if r["errors"]:
                out.append(
                    f"- errors in {r['workload']} c={r['connections']}: {r['error_samples']}"
                )
        out += [f"- Check: {c}" for c in rep.checks]
        if rep.wrk:
            out += [
                "",
                "wrk cross-check (wrk 4, 2 threads; lookups checked for non-2xx only):",
                "",
                "| workload | web workers | conns | requests | req/s | p50 ms | p99 ms | non-2xx"
                " | rows stored |",
                "|---|---|---|---|---|---|---|---|---|",
            ]
            for w in rep.wrk:
                out.append(
                    f"| {w['workload']} | {w['web_workers']} | {w['connections']}"
                    f" | {w.get('requests', 0):,}"
                    f" | {w.get('rps', 0):,.0f} | {w.get('p50_ms', 0):.1f} | {w.get('p99_ms', 0):.1f}"
                    f" | {w.get('non2xx', 0)} | {w.get('db_delta', '')} |"
                )
        out.append("")
    return "\n".join(out)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="short smoke run (50k workers, 5 s runs)")
    p.add_argument("--db", default="postgresql,sqlite", help="comma list: postgresql,sqlite")
    p.add_argument("--workers", type=int, help="demo workers N (default 1,000,000; quick 50,000)")
    p.add_argument("--stations", type=int, default=200)
    p.add_argument("--duration", type=float, help="measured seconds per run (30; quick 5)")
    p.add_argument("--warmup", type=float, help="warm-up seconds per run (3; quick 1)")
    p.add_argument("--connections", help="visit-logging connection counts (4,8,16; quick 8)")
    p.add_argument("--lookup-connections", help="lookup connection counts (8)")
    p.add_argument(
        "--web-workers",
        help="web server worker counts, 'default' = the serve command's own (default; e.g. default,2,3)",
    )
    p.add_argument("--sample", type=int, default=5000, help="ID numbers regenerated for lookups")
    p.add_argument("--lookups", type=int, default=2000, help="in-process selector lookups")
    p.add_argument(
        "--pg-admin-url",
        default=os.environ.get(
            "BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a database to connect to for CREATE/DROP DATABASE " + BENCH_DB,
    )
    p.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    p.add_argument(
        "--wrk",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="cross-check with wrk when it is installed (default on)",
    )
    p.add_argument("--wrk-connections", type=int, default=8)
    p.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    p.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench database")
    a = p.parse_args(argv)
    q = a.quick
    a.workers = a.workers if a.workers is not None else (50_000 if q else 1_000_000)
    a.duration = a.duration if a.duration is not None else (5.0 if q else 30.0)
    a.warmup = a.warmup if a.warmup is not None else (1.0 if q else 3.0)
    ints = lambda s: [int(x) for x in s.split(",") if x.strip()]  # noqa: E731
    a.connections = ints(a.connections or ("8" if q else "4,8,16"))
    a.lookup_connections = ints(a.lookup_connections or "8")
    a.web_workers = [w.strip() for w in (a.web_workers or "default").split(",") if w.strip()]
    a.dbs = [d.strip() for d in a.db.split(",") if d.strip()]
    for d in a.dbs:
        if d not in ("postgresql", "sqlite"):
            p.error(f"unknown database {d!r}")
    return a


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    command = " ".join([".venv/bin/python benchmarks/run.py", *sys.argv[1:]])
    info = machine_info(args.pg_admin_url if "postgresql" in args.dbs else None)
    print(
        f"{info['date']} | {info['nproc']} x {info['cpu']} | {info['ram']} | Python"
        f" {info['python']} | PostgreSQL {info['postgresql']} | SQLite {info['sqlite']}",
        flush=True,
    )
    reports: list[DbReport] = []
    tmp = Path(tempfile.mkdtemp(prefix="gongyou-bench-"))
    failed = False
    for db in args.dbs:
        reports.append(bench_db(db, args, tmp))
        failed = failed or any("FAILED" in c for c in reports[-1].checks)
    if failed:
        print(f"Some runs failed; logs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    text = markdown(info, command, args, reports)
    print(text)
    if not args.no_record:
        with RESULTS.open("a") as f:
            if RESULTS.stat().st_size == 0:
                f.write("# Benchmark results\n\nAppended by `benchmarks/run.py`; newest last.\n")
            f.write(text)
        print(f"Appended to {RESULTS}")


if __name__ == "__main__":
    main()
