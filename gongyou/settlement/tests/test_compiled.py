"""The compiled engine (batch runs, impact previews, the benchmark) agrees with the explaining
engine: same outcome and points total on random workers against every seeded scheme and on
hand-built rules with groups, alternatives, caps and deductions."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from gongyou.settlement import compiled, engine
from gongyou.settlement.models import PolicyVersion
from gongyou.settlement.selectors import rules_for

from .test_engine import GZ, SZ, facts, rules

pytestmark = pytest.mark.django_db
CITIES = ["110100", "310100", "440100", "440300", "440400"]
KINDS = ["pension", "medical", "unemployment", "work_injury", "maternity"]


def random_worker(rng: random.Random, i: int) -> engine.WorkerFacts:
    def spell(**kw):
        start = engine.month_of(dt.date(rng.randint(2012, 2025), rng.randint(1, 12), 1))
        end = None if rng.random() < 0.5 else start + rng.randint(0, 80)
        return engine.Spell(city=rng.choice(CITIES), start=start, end=end, **kw)

    return engine.WorkerFacts(
        worker_id=i,
        birth_date=dt.date(rng.randint(1960, 2008), rng.randint(1, 12), rng.randint(1, 28)),
        education=rng.choice(
            ["", "junior_secondary", "junior_college", "bachelor", "postgraduate"]
        ),
        certificates=[
            engine.Certificate(
                level=rng.randint(1, 5),
                issued_on=dt.date(2019, 1, 1),
                expires_on=rng.choice([None, dt.date(2024, 1, 1)]),
            )
            for _ in range(rng.randint(0, 2))
        ],
        contributions=[spell(kind=rng.choice(KINDS)) for _ in range(rng.randint(0, 8))],
        residences=[
            spell(
                permit=rng.random() < 0.6,
                tenure=rng.choice(["owned", "rented", "dormitory", "other"]),
            )
            for _ in range(rng.randint(0, 4))
        ],
        declared={
            k: Decimal(rng.randint(0, 3))
            for k in rng.sample(
                [
                    "no_criminal_record",
                    "income_tax_paid",
                    "professional_title",
                    "honours",
                    "administrative_detentions",
                    "tax_years",
                    "no_disqualifying_record",
                    "outstanding_migrant_worker",
                    "insurance_base_bonus",
                ],
                rng.randint(0, 6),
            )
        },
    )


HAND_BUILT = [
    rules(
        [
            {"type": "social_insurance", "min_months": 24, "in_group": True, "consecutive": True},
            {
                "type": "any_of",
                "options": [
                    [{"type": "skill_level", "max_level": 2}],
                    [{"type": "education", "min_level": "bachelor"}],
                    [{"type": "age", "max_age": 30}, {"type": "declared", "fact": "honours"}],
                ],
            },
            {"type": "stable_job_or_housing", "accept": "either"},
        ],
        [
            {
                "type": "insurance_years",
                "key": "si",
                "per_year": "2.5",
                "in_group": True,
                "cap": "20",
            },
            {
                "type": "residence_years",
                "key": "res",
                "per_year_owned": "1",
                "per_year_rented": "0.5",
                "in_group": True,
            },
            {
                "type": "declared",
                "key": "det",
                "fact": "administrative_detentions",
                "per_unit": "-30",
                "cap": "60",
            },
            {"type": "permit_years", "key": "permit", "per_year": "3", "whole_years": True},
        ],
        pass_mark=Decimal("40.5"),
        group_name="g",
        group_cities=frozenset({GZ, SZ}),
    ),
    rules(
        [
            {"type": "residence", "min_months": 12, "permit_only": True, "tenures": ["rented"]},
            {"type": "age", "min_age": 20},
        ]
    ),
    rules(route="no_restriction"),
    rules(route="points"),
]


def test_compiled_matches_the_engine_on_random_workers():
    versions = [
        rules_for(v)
        for v in PolicyVersion.objects.select_related("policy", "policy__city", "group")
    ]
    all_rules = [*versions, *HAND_BUILT]
    rng = random.Random(20261129)
    checked = 0
    for i in range(300):
        worker = random_worker(rng, i)
        day = dt.date(2025, rng.randint(1, 12), rng.randint(1, 28))
        feats = compiled.features(worker, day)
        for r in all_rules:
            if r.city not in (GZ, *CITIES) and rng.random() < 0.8:
                continue  # the national-rule cities behave alike; sample them
            full = engine.evaluate(worker, r, day, project=False)
            outcome, total = compiled.compile_rules(r)(feats)
            expected_total = full["points"]["total"] if full["points"] else None
            assert (outcome, total) == (full["outcome"], expected_total), (r.policy_name, i)
            checked += 1
    assert checked > 1500


def test_compiled_check_on_a_hand_worked_example():
    f = facts(
        contributions=[
            engine.Spell(
                city=GZ, start=engine.month_of(dt.date(2023, 1, 1)), end=None, kind="pension"
            )
        ]
    )
    outcome, total = compiled.compile_rules(HAND_BUILT[0])(
        compiled.features(f, dt.date(2025, 1, 15))
    )
    # 25 months × 2.5 / 12 = 5.208 → 5.21 points; 25 consecutive months in the group is met, but
    # no skill, no degree and no honours recorded leaves the alternatives unmet.
    assert outcome == "not_yet" and total == "5.21"
