"""Gongyou load test: hold a target rate of visit logging against the real server for minutes.

Unlike benchmarks/run.py (closed loop: as fast as the server answers), this is an open loop: C
keep-alive connections (driven by asyncio in one client process, so the client takes little of
the cores it shares with the server) send `POST /api/v1/visits` on a fixed schedule that adds up
to `--rate` requests per second, whatever the server's speed. Latency is
measured from each request's scheduled time, so a server falling behind shows as latency rather
than as a silently lower rate; a request whose time comes after the end (the server fell that
far behind) is not sent but counted as missed, so the run always ends on time. No request is
retried: every non-201 counts as an error.

Set-up as benchmarks/run.py: a fresh PostgreSQL database (`gongyou_loadtest`), `gongyou setup
--no-demo`, `gongyou demo --workers N --stations 200 --visits 0`, `VACUUM ANALYZE`, `gongyou serve
--no-task-worker` (granian) on 127.0.0.1. Reports the achieved rate and latency per minute, errors (must be 0),
and whether the visits stored equal the 201 responses. Loopback only; it stops by itself.

    .venv/bin/python benchmarks/loadtest.py                          # 1,000 visits/s for 600 s
    .venv/bin/python benchmarks/loadtest.py --rate 300 --duration 60 --workers 10000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import secrets
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run
from loadgen import percentile
from run import background_busy, base_env, gongyou, machine_info, pg_recreate, request, with_db

LOADTEST_DB = run.BENCH_DB = "gongyou_loadtest"  # its own database (run.py's helpers use BENCH_DB)
DEFAULT_RATE = 1000.0  # visits/s: the benchmark rate of visit logging (≥ 1,000/s on 2 cores)


@dataclass
class SenderResult:
    sched: array[float]  # scheduled send time, seconds after the start
    done: array[float]  # response read, seconds after the start
    latency: array[float]  # scheduled time -> response read (queueing included)
    service: array[float]  # request sent -> response read
    status: array[int]  # HTTP status, 0 for a transport error
    samples: list[str]
    missed: int = 0  # scheduled before the end but not sent by then: the server was too slow


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """One HTTP/1.1 response with a Content-Length body: (status, body, server closes)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = None
    close = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            close = value.strip().lower() == "close"
    if length is None:
        raise ValueError(f"response {status} without Content-Length")
    body = await reader.readexactly(length) if length else b""
    return status, body, close


async def _connection(
    index: int,
    senders: int,
    port: int,
    token: str,
    pairs: list[tuple[int, str]],
    rate: float,
    start_at: float,
    stop_at: float,
    run_tag: str,
) -> SenderResult:
    """Requests at start_at + (index + k * senders) / rate, k = 0, 1, …, until stop_at, on one
    keep-alive connection (reopened when the server closes it)."""
    rng = random.Random(index)
    step = senders / rate
    first = start_at + index / rate
    res = SenderResult(array("d"), array("d"), array("d"), array("d"), array("i"), [])
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    head = (
        f"POST /api/v1/visits HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
    )
    k = 0
    while True:
        scheduled = first + k * step
        if scheduled >= stop_at:
            break
        now = time.monotonic()
        if now >= stop_at:  # never send late past the end: the run is bounded in time
            res.missed = int((stop_at - scheduled) / step) + 1
            break
        if now < scheduled:
            await asyncio.sleep(scheduled - now)
        station, service = pairs[rng.randrange(len(pairs))]
        body = json.dumps({"station_id": station, "service": service}).encode()
        request = (
            f"{head}Idempotency-Key: load-{run_tag}-{index}-{k}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        sent = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            writer.write(request)
            status, data, close = await asyncio.wait_for(_read_response(reader), 30)
            if close:
                writer.close()
                reader = writer = None
        except (TimeoutError, OSError, EOFError, ValueError, asyncio.LimitOverrunError) as exc:
            status, data = 0, repr(exc).encode()
            if writer is not None:
                writer.close()
            reader = writer = None
        done = time.monotonic()
        res.sched.append(scheduled - start_at)
        res.done.append(done - start_at)
        res.latency.append(done - scheduled)
        res.service.append(done - sent)
        res.status.append(status)
        if status != 201 and len(res.samples) < 3:
            res.samples.append(f"{status} {data[:200]!r}")
        k += 1
    if writer is not None:
        writer.close()
    return res


def _client(indices: list[int], senders: int, args: tuple[Any, ...], out: mp.Queue) -> None:
    """One client process: an asyncio loop driving the connections `indices`."""

    async def main() -> list[SenderResult]:
        return await asyncio.gather(*(_connection(i, senders, *args) for i in indices))

    for index, res in zip(indices, asyncio.run(main()), strict=True):
        out.put((index, res))


def drive(
    *,
    port: int,
    token: str,
    pairs: list[tuple[int, str]],
    rate: float,
    duration: float,
    senders: int,
    processes: int,
    run_tag: str,
) -> list[SenderResult]:
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    start_at = time.monotonic() + 1.0 + 0.1 * processes
    stop_at = start_at + duration
    args = (port, token, pairs, rate, start_at, stop_at, run_tag)
    procs = [
        ctx.Process(
            target=_client,
            args=(list(range(p, senders, processes)), senders, args, out),
            daemon=True,
        )
        for p in range(processes)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=duration + 180)[1] for _ in range(senders)]
    for p in procs:
        p.join(timeout=30)
    return results


def summarise(results: list[SenderResult], duration: float) -> dict[str, Any]:
    """Per minute of completion time: requests answered, their rate and latencies; overall:
    the achieved rate is the requests over the time until the last answer (not the schedule)."""
    minutes: dict[int, dict[str, Any]] = {}
    lat_all: list[float] = []
    svc_all: list[float] = []
    statuses: dict[int, int] = {}
    last_done = 0.0
    for r in results:
        for done, lat, svc, status in zip(r.done, r.latency, r.service, r.status, strict=True):
            m = minutes.setdefault(int(done // 60), {"lat": [], "ok": 0, "errors": 0})
            m["lat"].append(lat)
            if status == 201:
                m["ok"] += 1
            else:
                m["errors"] += 1
            statuses[status] = statuses.get(status, 0) + 1
            lat_all.append(lat)
            svc_all.append(svc)
            last_done = max(last_done, done)
    elapsed = max(duration, last_done)
    rows = []
    for minute in sorted(minutes):
        m = minutes[minute]
        lat = sorted(m["lat"])
        span = min(60.0, elapsed - 60 * minute)
        rows.append(
            {
                "minute": minute + 1,
                "requests": len(lat),
                "rate": len(lat) / span if span > 0 else 0.0,
                "ok": m["ok"],
                "errors": m["errors"],
                "p50_ms": percentile(lat, 50) * 1000,
                "p99_ms": percentile(lat, 99) * 1000,
                "max_ms": lat[-1] * 1000,
            }
        )
    lat_all.sort()
    svc_all.sort()
    return {
        "minutes": rows,
        "requests": len(lat_all),
        "created": statuses.get(201, 0),
        "errors": len(lat_all) - statuses.get(201, 0),
        "statuses": statuses,
        "rate": len(lat_all) / elapsed if elapsed else 0.0,
        "elapsed": elapsed,
        "p50_ms": percentile(lat_all, 50) * 1000,
        "p95_ms": percentile(lat_all, 95) * 1000,
        "p99_ms": percentile(lat_all, 99) * 1000,
        "max_ms": lat_all[-1] * 1000 if lat_all else float("nan"),
        "service_p50_ms": percentile(svc_all, 50) * 1000,
        "service_p99_ms": percentile(svc_all, 99) * 1000,
        "samples": [s for r in results for s in r.samples][:5],
        "missed": sum(r.missed for r in results),
    }


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def visit_count(port: int, token: str) -> int:
    status, body = request(port, "GET", "/api/v1/visits?limit=1", token=token)
    if status != 200:
        sys.exit(f"GET /api/v1/visits -> {status} {body}")
    return int(body["count"])


def markdown(args: argparse.Namespace, info: dict[str, str], rep: dict[str, Any]) -> str:
    s = rep["summary"]
    cpu = rep["cpu"]
    held = s["rate"] >= 0.98 * args.rate and not s["missed"]
    ok = s["errors"] == 0 and rep["stored"] == rep["created_total"] and held
    lines = [
        f"## Load test: {args.rate:g} visits/s for {args.duration:g} s ({info['date']})",
        "",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM; Python"
        f" {info['python']}, {info['postgresql']}",
        f"- Command: `.venv/bin/python benchmarks/loadtest.py {' '.join(sys.argv[1:])}`",
        f"- Server: `gongyou serve --no-task-worker` (granian, web workers {args.web_workers}),"
        f" PostgreSQL database `{LOADTEST_DB}` with {args.workers:,} demo workers and"
        f" {args.stations} stations; client: {args.senders} open-loop keep-alive connections on"
        f" 127.0.0.1 from {args.processes} asyncio process(es), no retries; warm-up {args.warmup:g} s at the same"
        " rate (not in the figures)",
        f"- Machine load average (1/5/15 min) before: {rep['load_before']}, after:"
        f" {rep['load_after']}; busy share of the cores in the 2 s before the run (other"
        f" tenants): {rep['busy_before']:.0f}%",
        f"- CPU during the measured run, share of all cores: machine {cpu['machine_busy']:.0f}%"
        f" = server {cpu['server']:.0f}% + PostgreSQL {cpu['postgres']:.0f}% + load client"
        f" {cpu['client_proc']:.0f}% + other (kernel, other tenants) {cpu['other']:.0f}%",
        "",
        f"**Result: {'PASS' if ok else 'FAIL'}** — achieved {s['rate']:.1f} visits/s"
        f" (target {args.rate:g}; {s['requests']:,} requests answered in {s['elapsed']:.1f} s:"
        f" rate {'held' if held else 'NOT held'}; {s['missed']:,} scheduled requests not sent"
        " by the end because the server was behind),"
        f" errors **{s['errors']}**,"
        f" latency from the scheduled send time p50 {s['p50_ms']:.1f} ms, p95"
        f" {s['p95_ms']:.1f} ms, p99 **{s['p99_ms']:.1f} ms**, max {s['max_ms']:.0f} ms"
        f" (server time alone p50 {s['service_p50_ms']:.1f} ms, p99"
        f" {s['service_p99_ms']:.1f} ms); visits stored {rep['stored']:,} vs 201 responses"
        f" {rep['created_total']:,} (warm-up included) ->"
        f" {'OK' if rep['stored'] == rep['created_total'] else 'MISMATCH'}",
        "",
        "Per minute of completion time (latency counted from each request's scheduled send time):",
        "",
        "| minute | requests | visits/s | 201 | errors | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in s["minutes"]:
        lines.append(
            f"| {m['minute']} | {m['requests']:,} | {m['rate']:.1f} | {m['ok']:,} |"
            f" {m['errors']} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} | {m['max_ms']:.0f} |"
        )
    if s["samples"]:
        lines += ["", "Error samples: " + "; ".join(f"`{x}`" for x in s["samples"])]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rate", type=float, default=DEFAULT_RATE, help="visits/s to hold")
    p.add_argument("--duration", type=float, default=600.0, help="measured seconds")
    p.add_argument("--warmup", type=float, default=30.0, help="seconds at the rate, not measured")
    p.add_argument("--senders", type=int, default=32, help="keep-alive connections")
    p.add_argument("--processes", type=int, default=1, help="client processes (asyncio loops)")
    p.add_argument("--workers", type=int, default=100_000, help="demo workers to load first")
    p.add_argument("--stations", type=int, default=200)
    p.add_argument("--web-workers", default="default", help="GONGYOU_WEB_WORKERS, or default")
    p.add_argument(
        "--pg-admin-url",
        default=os.environ.get(
            "BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    p.add_argument("--out", type=Path, help="also write the Markdown report here")
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = p.parse_args(argv)
    if args.rate <= 0 or args.duration <= 0 or args.senders < 1 or args.processes < 1:
        p.error("--rate, --duration, --senders and --processes must be positive")
    args.processes = min(args.processes, args.senders)
    return args


def vacuum(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    info = machine_info(args.pg_admin_url)
    with tempfile.TemporaryDirectory(prefix="gongyou-loadtest-") as tmp_name:
        tmp = Path(tmp_name)
        log = tmp / "log.txt"
        password = secrets.token_urlsafe(16)
        pg_recreate(args.pg_admin_url)
        env = base_env(with_db(args.pg_admin_url, LOADTEST_DB), tmp / "var", password)
        if args.web_workers != "default":
            env["GONGYOU_WEB_WORKERS"] = args.web_workers
        try:
            print(f"setup + demo ({args.workers:,} workers) ...", flush=True)
            gongyou(["setup", "--no-demo"], env, log)
            gongyou(
                [
                    *("demo", "--workers", str(args.workers), "--stations", str(args.stations)),
                    *("--visits", "0"),
                ],
                env,
                log,
            )
            # A database in its steady state: the demo load's dead tuples vacuumed and its
            # statistics current, rather than autovacuum doing it during the first minutes.
            vacuum(with_db(args.pg_admin_url, LOADTEST_DB))
            port = run.free_port()
            with run.server(env, port, "default", log) as pgid:
                status, body = request(
                    port, "POST", "/api/v1/auth/token", {"username": "admin", "password": password}
                )
                if status != 200:
                    sys.exit(f"POST /api/v1/auth/token -> {status} {body}")
                token = body["token"]
                status, body = request(port, "GET", "/api/v1/stations?limit=50", token=token)
                if status != 200 or not body["items"]:
                    sys.exit(f"GET /api/v1/stations -> {status} {body}")
                pairs = [(s["id"], svc) for s in body["items"] for svc in s["services"]]
                baseline = visit_count(port, token)
                tag = secrets.token_hex(4)
                busy_before = background_busy()
                load_before = loadavg()
                print(f"load before: {load_before}; warm-up {args.warmup:g} s", flush=True)
                warm = drive(
                    port=port,
                    token=token,
                    pairs=pairs,
                    rate=args.rate,
                    duration=args.warmup,
                    senders=args.senders,
                    processes=args.processes,
                    run_tag=f"{tag}w",
                )
                print(f"measuring {args.duration:g} s at {args.rate:g}/s ...", flush=True)
                cpu_start = run.cpu_sample(pgid)
                results = drive(
                    port=port,
                    token=token,
                    pairs=pairs,
                    rate=args.rate,
                    duration=args.duration,
                    senders=args.senders,
                    processes=args.processes,
                    run_tag=tag,
                )
                cpu = run.cpu_shares((cpu_start, run.cpu_sample(pgid)), 0.0)
                load_after = loadavg()
                stored = visit_count(port, token) - baseline
            summary = summarise(results, args.duration)
            warm_created = sum(1 for r in warm for s in r.status if s == 201)
            report = {
                "summary": summary,
                "stored": stored,
                "created_total": summary["created"] + warm_created,
                "load_before": load_before,
                "load_after": load_after,
                "busy_before": busy_before,
                "cpu": cpu,
            }
        finally:
            if not args.keep:
                pg_recreate(args.pg_admin_url, drop_only=True)
    text = markdown(args, info, report)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    if (
        summary["errors"]
        or stored != report["created_total"]
        or summary["missed"]
        or summary["rate"] < 0.98 * args.rate
    ):
        sys.exit(1)


if __name__ == "__main__":
    main()
