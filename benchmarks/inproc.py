"""In-process half of the ID-lookup benchmark (run by run.py as a subprocess, one per database).

1. Regenerates the first K people of the demo population (same seed, same geography, same
   "today") to recover real ID numbers: the API only shows masked ones.
2. Times the selector behind GET /api/v1/workers?national_id=... directly, for a system_admin
   actor, doing what the paginated endpoint does (count + first page), so the database part is
   visible without Django's request handling and HTTP.

Prints one JSON object on stdout. Needs DATABASE_URL and the GONGYOU_* keys in the environment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=5000, help="ID numbers to regenerate")
    parser.add_argument("--lookups", type=int, default=2000, help="timed selector lookups")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--today", required=True, help="the demo load's local date (YYYY-MM-DD)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyou.config.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from gongyou.accounts.models import User
    from gongyou.accounts.policies import actor_for
    from gongyou.ops.demo import Geography, PopulationGenerator
    from gongyou.workers.selectors import WorkerFilter, worker_list

    t0 = time.perf_counter()
    gen = PopulationGenerator(
        seed=args.seed, geography=Geography.load(), today=dt.date.fromisoformat(args.today)
    )
    ids = [gen.person()["national_id"] for _ in range(args.sample)]
    generate_s = time.perf_counter() - t0

    actor = actor_for(User.objects.select_related("organisation").get(username="admin"))
    rng = random.Random(1)
    picks = [rng.choice(ids) for _ in range(args.lookups)]

    def lookup(number: str) -> tuple[int, int]:
        qs = worker_list(actor=actor, filters=WorkerFilter(national_id=number))
        return qs.count(), len(list(qs[:50]))

    for number in picks[:50]:  # warm the connection, caches and code paths
        lookup(number)
    timings: list[float] = []
    errors = 0
    for number in picks:
        t = time.perf_counter()
        count, rows = lookup(number)
        timings.append(time.perf_counter() - t)
        if count != 1 or rows != 1:
            errors += 1
    timings.sort()

    def pct(q: float) -> float:
        return timings[min(len(timings) - 1, int(q / 100 * len(timings)))] * 1000

    # The SQL of one lookup, for the report.
    sql = str(worker_list(actor=actor, filters=WorkerFilter(national_id=ids[0])).query)
    json.dump(
        {
            "ids": ids,
            "generate_seconds": generate_s,
            "selector": {
                "lookups": len(timings),
                "errors": errors,
                "p50_ms": pct(50),
                "p95_ms": pct(95),
                "p99_ms": pct(99),
                "mean_ms": statistics.fmean(timings) * 1000,
                "per_s_one_thread": len(timings) / sum(timings),
            },
            "vendor": connection.vendor,
            "sql": sql,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
