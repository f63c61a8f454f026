"""Writes of classification reference data: the idempotent occupation loader."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

from .selectors import occupation_cache_clear

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVEL_ORDER = {"major": 0, "mid": 1, "occupation": 2}


def occupation_reference_load(*, occupation_model: Any = None) -> dict[str, int]:
    if occupation_model is None:
        from .models import Occupation

        occupation_model = Occupation
    with (DATA_DIR / "occupations.csv").open(encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: (LEVEL_ORDER[r["level"]], r["code"]))
    existing = {o.code: o for o in occupation_model.objects.all()}
    created = updated = 0
    with transaction.atomic():
        for r in rows:
            values = {
                "name": r["name"],
                "level": r["level"],
                "parent_id": r["parent"] or None,
                "trust": r.get("trust", ""),
                "source": r.get("source", "")[:300],
                "dictionary_version": "2022",
            }
            obj = existing.get(r["code"])
            if obj is None:
                occupation_model.objects.create(code=r["code"], **values)
                created += 1
            elif any(getattr(obj, k) != v for k, v in values.items()):
                occupation_model.objects.filter(code=r["code"]).update(**values)
                updated += 1
    occupation_cache_clear()
    return {"created": created, "updated": updated}
