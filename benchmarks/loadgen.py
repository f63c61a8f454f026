"""A small closed-loop HTTP load generator: one process per keep-alive connection, results merged.

Each process opens one `http.client.HTTPConnection`, waits for a common start instant, sends
requests back to back through a warm-up phase (counted but not timed) and a measured phase, and
reports latencies, status counts and its own CPU time. Standard library only, so `make bench`
needs nothing beyond the project's own requirements.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing as mp
import os
import random
import time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Workload = Literal["visits", "lookup"]


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    token: str


@dataclass
class ConnResult:
    latencies: array[float]  # seconds, measured phase only
    statuses: Counter[int]  # measured phase
    errors: int  # measured phase: wrong status, wrong body or transport error
    created_total: int  # visits: 201 responses over warm-up + measured phase
    cpu_seconds: float  # this process's CPU time during the measured phase
    error_samples: list[str]


@dataclass
class RunResult:
    workload: str
    connections: int
    duration: float
    requests: int
    errors: int
    statuses: dict[int, int]
    created_total: int
    client_cpu_seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    error_samples: list[str] = field(default_factory=list)
    cpu_window: tuple[Any, Any] | None = None  # sampler() at the start and end of the measurement

    @property
    def rps(self) -> float:
        return self.requests / self.duration if self.duration else 0.0


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(q / 100 * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _connect(target: Target) -> http.client.HTTPConnection:
    conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
    conn.connect()
    return conn


def _one(
    conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None, headers: dict
) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    if resp.getheader("Connection", "").lower() == "close":
        conn.close()
    return resp.status, data


def _worker(
    index: int,
    workload: Workload,
    target: Target,
    params: dict[str, Any],
    start_at: float,
    measure_at: float,
    stop_at: float,
    out: mp.Queue,
) -> None:
    rng = random.Random(index * 7919 + os.getpid())
    auth = {"Authorization": f"Bearer {target.token}"}
    stations: list[tuple[int, str]] = params.get("stations", [])
    ids: list[str] = params.get("national_ids", [])
    run_tag = params.get("run_tag", "r")
    latencies: array[float] = array("d")
    statuses: Counter[int] = Counter()
    errors = created = 0
    samples: list[str] = []
    conn = _connect(target)
    cpu_start = cpu_end = 0.0
    measuring = False
    seq = 0
    now = time.monotonic()
    if now < start_at:
        time.sleep(start_at - now)
    while True:
        now = time.monotonic()
        if now >= stop_at:
            break
        if not measuring and now >= measure_at:
            measuring = True
            cpu_start = time.process_time()
        seq += 1
        if workload == "visits":
            station_id, service = stations[rng.randrange(len(stations))]
            body = json.dumps({"station_id": station_id, "service": service}).encode()
            headers = {
                **auth,
                "Content-Type": "application/json",
                "Idempotency-Key": f"bench-{run_tag}-{index}-{seq}",
            }
            method, path, expected = "POST", "/api/v1/visits", 201
        else:
            national_id = ids[rng.randrange(len(ids))]
            body, headers = None, auth
            method, path, expected = "GET", f"/api/v1/workers?national_id={national_id}", 200
        t0 = time.perf_counter()
        try:
            status, data = _one(conn, method, path, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            status, data = 0, repr(exc).encode()
            conn.close()
            conn = _connect(target)
        elapsed = time.perf_counter() - t0
        ok = status == expected
        if ok and workload == "lookup":
            ok = json.loads(data).get("count") == 1
        if status == 201 and workload == "visits":
            created += 1
        if measuring:
            latencies.append(elapsed)
            statuses[status] += 1
            if not ok:
                errors += 1
                if len(samples) < 3:
                    samples.append(f"{status} {data[:200]!r}")
    if measuring:
        cpu_end = time.process_time()
    conn.close()
    out.put(
        (
            index,
            ConnResult(
                latencies=latencies,
                statuses=statuses,
                errors=errors,
                created_total=created,
                cpu_seconds=cpu_end - cpu_start,
                error_samples=samples,
            ),
        )
    )


def run(
    *,
    workload: Workload,
    target: Target,
    connections: int,
    warmup: float,
    duration: float,
    params: dict[str, Any],
    sampler: Callable[[], Any] | None = None,
) -> RunResult:
    """Run `connections` client processes; returns the merged measured-phase result.

    `sampler` (e.g. a CPU-counter snapshot) is called in this process when the measured phase
    starts and when it ends; both values are returned in `cpu_window`.
    """
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    start_at = time.monotonic() + 0.5 + 0.02 * connections
    measure_at = start_at + warmup
    stop_at = measure_at + duration
    procs = [
        ctx.Process(
            target=_worker,
            args=(i, workload, target, params, start_at, measure_at, stop_at, out),
            daemon=True,
        )
        for i in range(connections)
    ]
    for p in procs:
        p.start()
    window = None
    if sampler is not None:
        time.sleep(max(0.0, measure_at - time.monotonic()))
        first = sampler()
        time.sleep(max(0.0, stop_at - time.monotonic()))
        window = (first, sampler())
    results = [out.get(timeout=stop_at - time.monotonic() + 120)[1] for _ in procs]
    for p in procs:
        p.join(timeout=10)
    lat = sorted(x for r in results for x in r.latencies)
    statuses: Counter[int] = Counter()
    for r in results:
        statuses.update(r.statuses)
    ms = 1000.0
    return RunResult(
        workload=workload,
        connections=connections,
        duration=duration,
        requests=len(lat),
        errors=sum(r.errors for r in results),
        statuses=dict(statuses),
        created_total=sum(r.created_total for r in results),
        client_cpu_seconds=sum(r.cpu_seconds for r in results),
        p50_ms=percentile(lat, 50) * ms,
        p95_ms=percentile(lat, 95) * ms,
        p99_ms=percentile(lat, 99) * ms,
        max_ms=(lat[-1] if lat else float("nan")) * ms,
        mean_ms=(sum(lat) / len(lat) if lat else float("nan")) * ms,
        error_samples=[s for r in results for s in r.error_samples][:5],
        cpu_window=window,
    )
