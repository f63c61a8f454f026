"""Gongyou benchmark: settlement eligibility checks per second (issue 6 goal: ≥ 100,000
single-city worker checks per second on one machine, i.e. 297 million in under an hour).

What is timed, in process, on synthetic workers (no database):
- `features`: turning a worker's spells into per-city month bit sets (done once per worker and
  day, shared by every policy checked);
- `check`: one compiled policy (`settlement.compiled.compile_rules`) applied to those features —
  the single-city check. Guangzhou's 2024 round is used: the seeded scheme with the most
  conditions and points items (5 conditions, 7 items). Beijing and Shanghai are reported too;
- `parallel`: checks with one process per core (the batch can shard workers by id).
A pure-Python loop is timed first as a calibration of the machine's speed at the moment (shared
or throttled machines are several times slower than an idle one).

    .venv/bin/python benchmarks/bench_settlement.py                  # 200,000 workers
    .venv/bin/python benchmarks/bench_settlement.py --workers 50000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyou.config.settings.test")

import django  # noqa: E402

django.setup()

from gongyou.settlement import compiled, engine  # noqa: E402
from gongyou.settlement.rules import conditions_clean, points_items_clean  # noqa: E402
from gongyou.settlement.seed import DATA  # noqa: E402

DAY = dt.date(2025, 6, 1)
KINDS = ["pension", "medical", "unemployment", "work_injury", "maternity"]


def seeded_rules() -> dict[str, engine.PolicyRules]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out = {}
    for s in data["city_schemes"]:
        if s["purpose"] != "hukou":
            continue
        out[s["city"]] = engine.PolicyRules(
            version_id=0,
            number=1,
            policy_id=0,
            policy_name=s["name"],
            city=s["city"],
            city_name=s["city"],
            purpose="hukou",
            route=s["route"],
            conditions=conditions_clean(s["conditions"])[0],
            points_items=points_items_clean(s["points_items"])[0],
            pass_mark=Decimal(s["pass_mark"]) if s.get("pass_mark") else None,
            last_cutoff=None,
            cutoff_year=None,
            source="",
            trust=s["trust"],
            effective_from=dt.date(2024, 1, 1),
            effective_to=None,
        )
    return out


def workers(n: int, city: str, seed: int = 7) -> list[engine.WorkerFacts]:
    rng = random.Random(seed)
    out = []
    m = engine.month_of
    for i in range(n):
        start = m(dt.date(2025 - rng.randint(0, 12), rng.randint(1, 12), 1))
        kinds = KINDS if rng.random() < 0.5 else KINDS[:2]
        gap = start + rng.randint(6, 60) if rng.random() < 0.2 else None
        si = []
        for k in kinds:
            if gap:
                si.append(engine.Spell(city=city, start=start, end=gap, kind=k))
                si.append(engine.Spell(city=city, start=gap + 4, end=None, kind=k))
            else:
                si.append(engine.Spell(city=city, start=start, end=None, kind=k))
        if rng.random() < 0.3:
            si.append(engine.Spell(city="510100", start=start - 30, end=start - 2, kind="pension"))
        out.append(
            engine.WorkerFacts(
                worker_id=i,
                birth_date=dt.date(rng.randint(1962, 2006), rng.randint(1, 12), 15),
                education=rng.choice(
                    ["junior_secondary", "senior_secondary", "junior_college", "bachelor"]
                ),
                contributions=si,
                residences=[
                    engine.Spell(
                        city=city,
                        start=start - 2,
                        end=None,
                        permit=rng.random() < 0.7,
                        tenure=rng.choice(["rented", "dormitory", "owned"]),
                    )
                ],
                declared={"no_criminal_record": Decimal(1)} if rng.random() < 0.5 else {},
            )
        )
    return out


def calibrate() -> float:
    t = time.perf_counter()
    s = 0
    for i in range(5_000_000):
        s += i
    return 5_000_000 / (time.perf_counter() - t)


def _shard(args: tuple[int, int, str]) -> float:
    n, seed, city = args
    rules = seeded_rules()[city]
    feats = [compiled.features(w, DAY) for w in workers(n, city, seed)]
    check = compiled.compile_rules(rules)
    t = time.perf_counter()
    for f in feats:
        check(f)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=200_000)
    args = parser.parse_args()
    n = args.workers
    print(
        f"machine: {os.cpu_count()} cores, load {os.getloadavg()}, python loop {calibrate() / 1e6:.1f} M additions/s"
    )
    rules = seeded_rules()
    for city in ("440100", "110100", "310100"):
        ws = workers(n, city)
        t = time.perf_counter()
        feats = [compiled.features(w, DAY) for w in ws]
        t_feat = time.perf_counter() - t
        check = compiled.compile_rules(rules[city])
        t = time.perf_counter()
        outcomes: dict[str, int] = {}
        for f in feats:
            o, _total = check(f)
            outcomes[o] = outcomes.get(o, 0) + 1
        t_check = time.perf_counter() - t
        print(
            f"{rules[city].policy_name}: features {n / t_feat:,.0f}/s, checks {n / t_check:,.0f}/s, "
            f"features+check {n / (t_feat + t_check):,.0f}/s  {outcomes}"
        )
        del feats, ws
    cores = os.cpu_count() or 1
    per = n // cores
    with mp.get_context("fork").Pool(cores) as pool:
        t = time.perf_counter()
        times = pool.map(_shard, [(per, 100 + i, "440100") for i in range(cores)])
    slowest = max(times)
    print(
        f"parallel ({cores} processes, Guangzhou): checks {per * cores / slowest:,.0f}/s "
        f"(wall {time.perf_counter() - t:.1f}s incl. building inputs)"
    )


if __name__ == "__main__":
    main()
