"""Load the seeded policies (data/seed_policies.json): the 2024 national rule for every city whose
size class is known, and the recorded city schemes (Beijing, Shanghai ×2, Guangzhou).

Takes the model classes so the data migration can pass its historical models. Idempotent: a city
that already has a policy for a purpose is left alone (administrators' edits are kept). Every
conditions/points list is validated by rules.py before it is stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .rules import conditions_clean, points_items_clean

DATA = Path(__file__).resolve().parent / "data" / "seed_policies.json"


def seed_load(*, region_model: Any, policy_model: Any, version_model: Any) -> dict[str, int]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    created = 0
    schemes = {(s["city"], s["purpose"]): s for s in data["city_schemes"]}
    national = data["national_rule"]
    for scheme in schemes.values():
        created += _create(policy_model, version_model, scheme)
    for region in region_model.objects.filter(level="city").exclude(size_class=""):
        if (region.code, "hukou") in schemes:
            continue
        route, summary = national["by_class"][region.size_class]
        created += _create(
            policy_model,
            version_model,
            {
                "city": region.code,
                "purpose": "hukou",
                "name": f"{region.name}落户 (2024 national rule by city size)",
                "route": route,
                "effective_from": national["effective_from"],
                "effective_to": None,
                "trust": national["trust"],
                "source": national["source"]
                + f"; size class: {region.size_source} ({region.size_year}) [{region.size_trust}]",
                "summary": summary,
                "conditions": [],
                "points_items": [],
            },
        )
    return {"created": created}


def _create(policy_model: Any, version_model: Any, s: dict[str, Any]) -> int:
    if policy_model.objects.filter(city_id=s["city"], purpose=s["purpose"]).exists():
        return 0
    conditions, problems = conditions_clean(s["conditions"])
    items, item_problems = points_items_clean(s["points_items"])
    if problems or item_problems:
        raise ValueError(f"Seed policy {s['name']} is invalid: {problems or item_problems}")
    policy = policy_model.objects.create(city_id=s["city"], purpose=s["purpose"], name=s["name"])
    version_model.objects.create(
        policy=policy,
        number=1,
        status="published",
        route=s["route"],
        effective_from=s["effective_from"],
        effective_to=s.get("effective_to"),
        conditions=conditions,
        points_items=items,
        pass_mark=s.get("pass_mark"),
        last_cutoff=s.get("last_cutoff"),
        cutoff_year=s.get("cutoff_year"),
        annual_quota=s.get("annual_quota"),
        source=s["source"][:500],
        trust=s["trust"],
        summary=s.get("summary", ""),
    )
    return 1
