"""Dashboard timing at national scale: 1,000,000 workers and 10,000,000 visits (PostgreSQL).

Usage (a database that has had `gongyou setup` and a small `gongyou demo`, e.g. 50,000 workers
and 2,000 stations):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gy_indicators_bench \\
    DJANGO_SETTINGS_MODULE=gongyou.config.settings.dev \\
        .venv/bin/python benchmarks/bench_indicators.py --workers 1000000 --visits 10000000

1. Grows the registry to --workers rows by copying existing workers in SQL (new ID hashes; the
   aggregated columns keep the demo's distributions) and the visits to --visits rows spread over
   the last 30 days at random stations (40% name a worker), then ANALYZE.
2. Times `indicators.selectors.dashboard` (every panel of the dashboard page, the last 30
   days) for a national analyst and a city analyst: without rollups (direct counts), then the
   rollup refreshes (the `indicators_refresh` task), then with the rollups (uncached), then a
   repeated view (the dashboard's figures are cached per scope for INDICATORS_CACHE_SECONDS). Median of 3 runs each, in one process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyou.config.settings.dev")

import django

if os.environ["DJANGO_SETTINGS_MODULE"].endswith(".dev"):
    from gongyou.config.localenv import load_local_env

    load_local_env(
        Path(os.environ.get("GONGYOU_VAR_DIR", Path(__file__).resolve().parents[1] / "var"))
    )
django.setup()

from django.db import connection  # noqa: E402

from gongyou.accounts.policies import Actor  # noqa: E402
from gongyou.indicators.models import RollupState, VisitDayRollup, WorkerRollup  # noqa: E402
from gongyou.indicators.rollups import visit_rollup_refresh, worker_rollup_refresh  # noqa: E402
from gongyou.indicators.selectors import dashboard, indicator_context  # noqa: E402


def grow_workers(target: int) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM workers_worker")
        have = cur.fetchone()[0]
        while have < target:
            batch = min(have, target - have)
            cur.execute(
                """
                INSERT INTO workers_worker (created_at, updated_at, national_id_enc,
                  national_id_hash, national_id_masked, name, sex, birth_date, phone_enc,
                  phone_hash, phone_masked, current_address, migration_scope, education,
                  employment_form, industry, union_member, current_region_id, hukou_region_id)
                SELECT now() - random() * interval '700 days', now(), national_id_enc,
                  md5(random()::text || id::text || clock_timestamp()::text) ||
                  md5(id::text || random()::text), national_id_masked, name, sex, birth_date,
                  phone_enc, '', phone_masked, '', migration_scope, education, employment_form,
                  industry, union_member, current_region_id, hukou_region_id
                FROM workers_worker ORDER BY id LIMIT %s
                """,
                [batch],
            )
            have += batch
            print(f"workers: {have:,}", flush=True)


def grow_visits(target: int) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM stations_visit")
        have = cur.fetchone()[0]
        cur.execute("SELECT array_agg(id) FROM stations_station")
        stations = cur.fetchone()[0]
        cur.execute("DROP TABLE IF EXISTS bench_workers")
        cur.execute(
            "CREATE TEMP TABLE bench_workers AS "
            "SELECT row_number() OVER (ORDER BY id) AS rn, id FROM workers_worker"
        )
        cur.execute("CREATE INDEX ON bench_workers (rn)")
        cur.execute("SELECT count(*) FROM bench_workers")
        workers = cur.fetchone()[0]
        services = ["rest", "drinking_water", "consultation", "legal_aid", "other", "toilet"]
        while have < target:
            batch = min(1_000_000, target - have)
            cur.execute(
                """
                INSERT INTO stations_visit (at, service, note, created_at, station_id, worker_id)
                SELECT g.t, (%s::text[])[1 + floor(random() * 6)::int], '', g.t,
                  (%s::bigint[])[1 + floor(random() * %s)::int], w.id
                FROM (SELECT now() - random() * interval '30 days' AS t, random() AS r,
                             1 + floor(random() * %s)::bigint AS rn
                      FROM generate_series(1, %s)) g
                LEFT JOIN bench_workers w ON w.rn = g.rn AND g.r < 0.4
                """,
                [services, stations, len(stations), workers, batch],
            )
            have += batch
            print(f"visits: {have:,}", flush=True)
        cur.execute("ANALYZE")


def timed(label: str, actor: Actor, runs: int = 3, *, cached: bool = False) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        board = dashboard(ctx=indicator_context(actor=actor), use_cache=cached)
        samples.append(time.perf_counter() - started)
    median = statistics.median(samples)
    total = board.tables["workers_by_sex"].total_value("_total")
    print(
        f"{label}: median {median * 1000:,.0f} ms (runs: "
        f"{', '.join(f'{s * 1000:,.0f}' for s in samples)}); workers {total:,}",
        flush=True,
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--visits", type=int, default=10_000_000)
    parser.add_argument("--city", default="4403", help="region prefix of the city analyst")
    parser.add_argument("--direct-runs", type=int, default=3, help="runs without rollups")
    parser.add_argument("--skip-direct", action="store_true", help="time with rollups only")
    args = parser.parse_args()
    grow_workers(args.workers)
    grow_visits(args.visits)
    national = Actor(
        user=None,
        roles=frozenset({"analyst"}),
        region_prefix="",
        station_id=None,
        organisation_id=None,
    )
    city = Actor(
        user=None,
        roles=frozenset({"analyst"}),
        region_prefix=args.city,
        station_id=None,
        organisation_id=None,
    )
    RollupState.objects.all().delete()
    VisitDayRollup.objects.all().delete()
    WorkerRollup.objects.all().delete()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM stations_visit")
        print(f"visits in the database: {cur.fetchone()[0]:,}", flush=True)
    if not args.skip_direct:
        timed("national, direct counts", national, args.direct_runs)
        timed(f"city {args.city}, direct counts", city, args.direct_runs)
    started = time.perf_counter()
    rows = visit_rollup_refresh()
    print(f"visit rollup refresh (all days): {time.perf_counter() - started:,.1f} s, {rows:,} rows")
    started = time.perf_counter()
    rows = worker_rollup_refresh()
    print(f"worker rollup refresh: {time.perf_counter() - started:,.1f} s, {rows:,} rows")
    timed("national, with the rollups", national)
    timed(f"city {args.city}, with the rollups", city)
    timed("national, with the rollups, repeated view (cached)", national, 3, cached=True)
    timed(f"city {args.city}, with the rollups, repeated view (cached)", city, 3, cached=True)


if __name__ == "__main__":
    main()
