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
   days) for a national system admin and a city system admin: without rollups (direct counts,
   unless --skip-direct), then the full rollup refreshes (the daily `indicators_refresh`
   task), then the intra-day path: --new-visits visits (10% of them backdated up to 5 days) and
   --new-workers registrations arrive and --changed-workers workers change industry and region,
   one `indicators_catch_up` (timed), then a few minutes' more visits and registrations that
   stay above the high-water marks (what a read counts directly), then the dashboard with the
   rollups (uncached), then a repeated view (the dashboard's figures are cached per scope for
   INDICATORS_CACHE_SECONDS). Median of 3 runs each, in one process; --per-indicator also
   prints the time of each indicator the national dashboard computes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

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

from gongyou.accounts.policies import Actor, actor_for  # noqa: E402
from gongyou.cases.models import Case  # noqa: E402
from gongyou.indicators.models import (  # noqa: E402
    RollupState,
    StationRollupEntry,
    VisitDayRollup,
    WorkerRollup,
    WorkerRollupEntry,
)
from gongyou.indicators.registry import indicator_lookup  # noqa: E402
from gongyou.indicators.rollups import (  # noqa: E402
    visit_rollup_catch_up,
    visit_rollup_refresh,
    worker_rollup_catch_up,
    worker_rollup_refresh,
)
from gongyou.indicators.selectors import (  # noqa: E402
    DASHBOARD_KEYS,
    dashboard,
    indicator_context,
    visits_daily,
)


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


def _columns(cur: Any, table: str, skip: set[str]) -> list[str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    return [c for (c,) in cur.fetchall() if c not in skip]


CASE_STATUSES = ["received", "accepted", "mediation", "referred_arbitration", "resolved", "closed"]


def grow_cases(target: int) -> None:
    """Rights-protection cases up to `target`: a few through the intake service, then copies in
    SQL (each with its claimants and deadlines) in random regions where workers are, received
    in the last two years, in a spread of statuses; deadlines of open cases due 45 days after
    receipt (so many are overdue)."""
    from gongyou.accounts.models import User
    from gongyou.cases.tests.factories import make_case
    from gongyou.workers.models import Worker

    if Case.objects.count() == 0:
        actor = actor_for(User.objects.get(username="admin"))  # made by `gongyou setup`
        for worker in Worker.objects.order_by("id")[:5]:
            make_case(actor=actor, workers=[worker], region=worker.current_region_id)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), max(id) FROM cases_case")
        have, first_new = cur.fetchone()
        if have >= target:
            have = target
        cur.execute("SELECT array_agg(id) FROM cases_case")
        base = cur.fetchone()[0]
        cur.execute("DROP TABLE IF EXISTS bench_regions")
        cur.execute(
            "CREATE TEMP TABLE bench_regions AS SELECT row_number() OVER () AS rn, r FROM "
            "(SELECT DISTINCT current_region_id AS r FROM workers_worker) x"
        )
        cur.execute("SELECT count(*) FROM bench_regions")
        regions = cur.fetchone()[0]
        keep = _columns(
            cur, "cases_case", {"id", "reference", "region_id", "received_at", "status"}
        )
        cols = ", ".join(keep)
        picked = ", ".join(f"c.{k}" for k in keep)
        while have < target:
            batch = min(100_000, target - have)
            cur.execute(
                f"""
                INSERT INTO cases_case ({cols}, reference, region_id, received_at, status)
                SELECT {picked}, 'B-' || c.id || '-' || (%s + g.n), r.r,
                  now() - random() * interval '730 days',
                  (%s::text[])[1 + floor(random() * %s)::int]
                FROM generate_series(1, %s) g(n)
                JOIN cases_case c ON c.id = (%s::bigint[])[1 + g.n %% %s]
                JOIN bench_regions r ON r.rn = 1 + (g.n * 7919 + %s) %% %s
                """,
                [
                    have,
                    CASE_STATUSES,
                    len(CASE_STATUSES),
                    batch,
                    base,
                    len(base),
                    have,
                    regions,
                ],
            )
            have += batch
            print(f"cases: {have:,}", flush=True)
        if first_new is None:
            return
        new_cases = (
            "FROM cases_case n JOIN {table} o ON o.case_id = split_part(n.reference, '-', 2)::bigint "
            "WHERE n.id > %s"
        )
        keep = _columns(cur, "cases_claimant", {"id", "case_id"})
        cur.execute(
            f"INSERT INTO cases_claimant ({', '.join(keep)}, case_id) "
            f"SELECT {', '.join('o.' + k for k in keep)}, n.id "
            + new_cases.format(table="cases_claimant"),
            [first_new],
        )
        # A statutory deadline (mediation, 15 days after receipt) on 60% of the cases that have
        # none, open while the case is open: most open cases with one are overdue.
        cur.execute(
            """
            INSERT INTO cases_deadline (case_id, kind, legal_basis, trust, start_date, unit,
              length, extended_by, due_date, calendar_missing, status, created_at)
            SELECT c.id, 'mediation', 'bench', 'V', c.received_at::date, 'calendar_days', 15, 0,
              (c.received_at + interval '15 days')::date, false,
              CASE WHEN c.status IN ('resolved', 'closed', 'rejected') THEN 'met' ELSE 'open' END,
              c.received_at
            FROM cases_case c
            WHERE NOT EXISTS (SELECT 1 FROM cases_deadline d WHERE d.case_id = c.id)
              AND random() < 0.6
            """
        )
        cur.execute("ANALYZE cases_case")
        cur.execute("ANALYZE cases_claimant")
        cur.execute("ANALYZE cases_deadline")


def arrive(*, visits: int, workers: int, changed: int, backdated: float = 0.1) -> None:
    """What a working day brings between two catch-ups: visits now (a share of them backdated
    up to 5 days, as an offline front desk or an import sends them), registrations, and
    changes to existing workers (industry and region, with `updated_at`, as the services do)."""
    with connection.cursor() as cur:
        cur.execute("SELECT array_agg(id) FROM stations_station")
        stations = cur.fetchone()[0]
        services = ["rest", "drinking_water", "consultation", "legal_aid", "other", "toilet"]
        if visits:
            cur.execute(
                """
                INSERT INTO stations_visit (at, service, note, created_at, station_id)
                SELECT CASE WHEN random() < %s THEN now() - random() * interval '5 days'
                            ELSE now() END,
                  (%s::text[])[1 + floor(random() * 6)::int], '', now(),
                  (%s::bigint[])[1 + floor(random() * %s)::int]
                FROM generate_series(1, %s)
                """,
                [backdated, services, stations, len(stations), visits],
            )
        if workers:
            cur.execute(
                """
                INSERT INTO workers_worker (created_at, updated_at, national_id_enc,
                  national_id_hash, national_id_masked, name, sex, birth_date, phone_enc,
                  phone_hash, phone_masked, current_address, migration_scope, education,
                  employment_form, industry, union_member, current_region_id, hukou_region_id)
                SELECT now(), now(), national_id_enc,
                  md5(random()::text || id::text || clock_timestamp()::text) ||
                  md5(id::text || random()::text), national_id_masked, name, sex, birth_date,
                  phone_enc, '', phone_masked, '', migration_scope, education, employment_form,
                  industry, union_member, current_region_id, hukou_region_id
                FROM workers_worker ORDER BY random() LIMIT %s
                """,
                [workers],
            )
        if changed:
            cur.execute(
                """
                UPDATE workers_worker w SET updated_at = now(), industry = 'transport',
                  current_region_id = o.current_region_id
                FROM (SELECT id, (SELECT current_region_id FROM workers_worker
                                  ORDER BY random() LIMIT 1) AS current_region_id
                      FROM workers_worker WHERE merged_into_id IS NULL
                      ORDER BY random() LIMIT %s) o
                WHERE w.id = o.id
                """,
                [changed],
            )


def per_indicator(actor: Actor) -> None:
    """The time of each indicator the dashboard computes (uncached), slowest first."""
    ctx = indicator_context(actor=actor)
    times = []
    for key in [*DASHBOARD_KEYS, "visits_daily"]:
        started = time.perf_counter()
        if key == "visits_daily":
            visits_daily(ctx=ctx)
        else:
            indicator = indicator_lookup(key)
            assert indicator is not None
            indicator.compute(ctx)
        times.append((time.perf_counter() - started, key))
    for seconds, key in sorted(times, reverse=True):
        print(f"  {key:<22} {seconds * 1000:8,.0f} ms", flush=True)
    print(f"  {'sum':<22} {sum(t for t, _k in times) * 1000:8,.0f} ms", flush=True)


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
    parser.add_argument("--cases", type=int, default=50_000, help="rights-protection cases")
    parser.add_argument("--city", default="4403", help="region prefix of the city admin")
    parser.add_argument("--role", default="system_admin", help="role of the two users timed")
    parser.add_argument("--direct-runs", type=int, default=3, help="runs without rollups")
    parser.add_argument("--skip-direct", action="store_true", help="time with rollups only")
    parser.add_argument("--new-visits", type=int, default=3000, help="arriving before a catch-up")
    parser.add_argument("--new-workers", type=int, default=300)
    parser.add_argument("--changed-workers", type=int, default=300)
    parser.add_argument("--per-indicator", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="grow the data, then stop")
    args = parser.parse_args()
    grow_workers(args.workers)
    grow_visits(args.visits)
    grow_cases(args.cases)
    if args.build_only:
        return
    national = Actor(
        user=None,
        roles=frozenset({args.role}),
        region_prefix="",
        station_id=None,
        organisation_id=None,
    )
    city = Actor(
        user=None,
        roles=frozenset({args.role}),
        region_prefix=args.city,
        station_id=None,
        organisation_id=None,
    )
    for model in (RollupState, VisitDayRollup, WorkerRollup, WorkerRollupEntry, StationRollupEntry):
        model.objects.all().delete()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM stations_visit")
        print(f"visits in the database: {cur.fetchone()[0]:,}", flush=True)
    if not args.skip_direct:
        timed("national, direct counts", national, args.direct_runs)
        timed(f"city {args.city}, direct counts", city, args.direct_runs)
        if args.per_indicator:
            print("national, direct counts, per indicator:")
            per_indicator(national)
    started = time.perf_counter()
    rows = visit_rollup_refresh()
    print(f"visit rollup refresh (all days): {time.perf_counter() - started:,.1f} s, {rows:,} rows")
    started = time.perf_counter()
    rows = worker_rollup_refresh()
    print(f"worker rollup refresh: {time.perf_counter() - started:,.1f} s, {rows:,} rows")
    # The intra-day path: arrivals, one catch-up, then a few minutes' more arrivals.
    arrive(visits=args.new_visits, workers=args.new_workers, changed=args.changed_workers)
    for label, catch_up in (("visit", visit_rollup_catch_up), ("worker", worker_rollup_catch_up)):
        started = time.perf_counter()
        result = catch_up()
        print(f"{label} rollup catch-up: {time.perf_counter() - started:,.2f} s ({result:,})")
    arrive(visits=args.new_visits // 5, workers=args.new_workers // 5, changed=0)
    with connection.cursor() as cur:
        cur.execute("ANALYZE stations_visit")
        cur.execute("ANALYZE workers_worker")
    for name in ("visits", "workers"):
        state = RollupState.objects.get(name=name)
        table = "stations_visit" if name == "visits" else "workers_worker"
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table} WHERE id > %s", [state.high_water])
            print(f"{name} above the high-water mark (counted directly): {cur.fetchone()[0]:,}")
    timed("national, with the rollups", national)
    timed(f"city {args.city}, with the rollups", city)
    if args.per_indicator:
        print("national, with the rollups, per indicator:")
        per_indicator(national)
    timed("national, with the rollups, repeated view (cached)", national, 3, cached=True)
    timed(f"city {args.city}, with the rollups, repeated view (cached)", city, 3, cached=True)
    started = time.perf_counter()
    visit_rollup_catch_up()
    worker_rollup_catch_up()
    print(f"catch-up with a few minutes' arrivals: {time.perf_counter() - started:,.2f} s")


if __name__ == "__main__":
    main()
