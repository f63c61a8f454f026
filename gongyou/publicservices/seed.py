"""Load the seeded public-service catalogue (data/seed_catalogue.json; provenance in
data/README.md). Takes model classes so the data migration can pass its historical models.
Idempotent: a service already present is left alone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

SEED = Path(__file__).resolve().parent / "data" / "seed_catalogue.json"


def seed_load(*, region_model: Any, service_model: Any, version_model: Any) -> dict[str, int]:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    start = dt.date.fromisoformat(data["effective_from"])
    cities = set(region_model.objects.filter(level="city").values_list("code", flat=True))
    created = 0
    for s in data["services"]:
        if s["city"] not in cities:
            continue
        service, _new = service_model.objects.get_or_create(
            city_id=s["city"], kind=s["kind"], name=s["name"]
        )
        if version_model.objects.filter(service=service).exists():
            continue  # loaded before (a service left without versions gets its first again)
        version_model.objects.create(
            service=service,
            number=1,
            status="published",
            beneficiary=s["beneficiary"],
            effective_from=start,
            open_to_all=s["open_to_all"],
            needs_points=s["needs_points"],
            conditions=s["conditions"],
            documents=[],
            how_to_apply="",
            source=s["source"],
            trust=s["trust"],
            summary=s["summary"],
        )
        created += 1
    return {"services": created}
