"""Writes of region reference data: the idempotent loader and the city-size editor."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

from gongyou.core.audit import audit_record, snapshot
from gongyou.core.errors import FieldErrors

from .enums import CitySizeClass, RegionLevel, Trust, size_class_for_population
from .models import Region
from .selectors import region_cache_clear

DATA_DIR = Path(__file__).resolve().parent / "data"
SIZE_FIELDS = [
    "size_class",
    "urban_core_population",
    "size_year",
    "size_source",
    "size_trust",
    "population_trust",
]


def region_reference_load(*, region_model: Any = Region) -> dict[str, int]:
    """Insert missing regions and refresh names, parents and coordinates; keeps edited size classes.

    Takes the model class so the initial data migration can pass its historical model.
    """
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = {r["code"]: r["name"] for r in rows}
    parents = {r["code"]: r["parent"] for r in rows}
    existing = {r.code: r for r in region_model.objects.all()}
    created = updated = 0
    with transaction.atomic():
        to_create, to_update = [], []
        for level in (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY):
            batch = [r for r in rows if r["level"] == level]
            for r in batch:
                parent = r["parent"] or None
                full = _full_name(r["code"], rows_by_code=names, parents=parents)
                values = {
                    "name": r["name"],
                    "level": r["level"],
                    "parent_id": parent,
                    "full_name": full,
                    "longitude": float(r["longitude"]) if r["longitude"] else None,
                    "latitude": float(r["latitude"]) if r["latitude"] else None,
                }
                obj = existing.get(r["code"])
                if obj is None:
                    to_create.append(region_model(code=r["code"], **values))
                elif any(getattr(obj, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(obj, k, v)
                    to_update.append(obj)
            region_model.objects.bulk_create(to_create, batch_size=1000)
            created += len(to_create)
            to_create = []
        if to_update:
            region_model.objects.bulk_update(
                to_update,
                ["name", "level", "parent_id", "full_name", "longitude", "latitude"],
                batch_size=1000,
            )
            updated = len(to_update)
        with (DATA_DIR / "city_sizes.csv").open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                region_model.objects.filter(code=r["code"], size_class="").update(
                    size_class=r["size_class"],
                    urban_core_population=int(r["urban_core_population"]),
                    size_year=int(r["year"]),
                    size_source=r["source"],
                    size_trust=r["class_trust"],
                    population_trust=r["population_trust"],
                )
    region_cache_clear()
    return {"created": created, "updated": updated}


def _full_name(code: str, *, rows_by_code: dict[str, str], parents: dict[str, str]) -> str:
    parts: list[str] = []
    current = code
    seen: set[str] = set()
    while current and current not in seen:
        seen.add(current)
        name = rows_by_code[current]
        if not parts or parts[0] != name:
            parts.insert(0, name)
        current = parents.get(current, "")
    return " ".join(parts)


@transaction.atomic
def region_set_city_size(
    *,
    actor: Any,
    code: str,
    size_class: str = "",
    urban_core_population: int | None = None,
    size_year: int | None = None,
    size_source: str = "",
    size_trust: str = "",
    population_trust: str = "",
) -> Region:
    """Record a city's size class (2014 standard) with its source, year and trust tag.

    `actor` is the acting user; only system admins may edit reference data.
    """
    from gongyou.core.errors import NotFound, PermissionDenied

    user = getattr(actor, "user", actor)  # an accounts Actor or a user
    if "system_admin" not in set(getattr(user, "roles", None) or []):
        raise PermissionDenied()
    region = Region.objects.select_for_update().filter(code=code).first()
    if region is None:
        raise NotFound()
    errors = FieldErrors()
    if region.level != RegionLevel.CITY:
        errors.add("code", "not_a_city", "City size classes apply to prefecture-level cities only.")
    if size_class and size_class not in CitySizeClass.values:
        errors.add("size_class", "invalid_choice", "Unknown city size class.")
    if (
        urban_core_population is not None
        and size_class
        and size_class_for_population(urban_core_population) != size_class
    ):
        errors.add(
            "size_class",
            "inconsistent",
            "The class does not match the urban-core population under the 2014 standard.",
        )
    if urban_core_population is not None and not size_class:
        size_class = size_class_for_population(urban_core_population)
    if size_class and not size_source.strip():
        errors.add("size_source", "required", "Name the source of the class or population.")
    if size_class and not size_year:
        errors.add("size_year", "required", "Give the year of the figure.")
    for name, value in (("size_trust", size_trust), ("population_trust", population_trust)):
        if value and value not in Trust.values:
            errors.add(name, "invalid_choice", "Trust is V, S or U.")
    errors.raise_if_any()
    before = snapshot(region, SIZE_FIELDS)
    region.size_class, region.urban_core_population, region.size_year = (
        size_class,
        urban_core_population,
        size_year,
    )
    region.size_source, region.size_trust, region.population_trust = (
        size_source.strip(),
        size_trust,
        population_trust,
    )
    region.save(update_fields=SIZE_FIELDS)
    audit_record(
        actor=user,
        action="region.size_class",
        entity=region,
        before=before,
        after=snapshot(region, SIZE_FIELDS),
        region_code=region.code,
        summary=f"{region.name}: {size_class}",
    )
    return region
