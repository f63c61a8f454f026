"""Reads of the region reference data (public to every signed-in user)."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q, QuerySet

from gongyou.core.errors import NotFound

from .models import Region, code_range


def region_list(
    *, level: str | None = None, parent: str | None = None, q: str | None = None
) -> QuerySet[Region]:
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(full_name__contains=q) | Q(code__startswith=q))
    return qs.order_by("code")


def region_get(*, code: str) -> Region:
    try:
        return Region.objects.select_related("parent").get(code=code)
    except Region.DoesNotExist as exc:
        raise NotFound(f"Region {code} does not exist.") from exc


@lru_cache(maxsize=1)
def region_names() -> dict[str, tuple[str, str, str | None]]:
    """code -> (name, level, parent code); the whole table is small (≈3,400 rows)."""
    return {
        code: (name, level, parent)
        for code, name, level, parent in Region.objects.values_list(
            "code", "name", "level", "parent_id"
        )
    }


def region_is_known(code: str) -> bool:
    return code in region_names()


@lru_cache(maxsize=1)
def province_codes() -> frozenset[str]:
    return frozenset(c[:2] for c, (_, level, _p) in region_names().items() if level == "province")


def region_label(code: str | None) -> str:
    """'广东省 深圳市 南山区' for a code, or the code itself when unknown."""
    if not code:
        return ""
    names = region_names()
    parts: list[str] = []
    current: str | None = code
    while current and current in names:
        name, _level, parent = names[current]
        if not parts or parts[0] != name:
            parts.insert(0, name)
        current = parent
    return " ".join(parts) if parts else code


def region_range_q(field: str, prefix: str) -> Q:
    """Codes under `prefix`. A prefix that cannot be part of a region code (ASCII digits, at
    most six) matches nothing: a filter typed by a user or partner is no server error."""
    if prefix and not (prefix.isascii() and prefix.isdigit() and len(prefix) <= 6):
        return Q(pk__in=[])
    low, high = code_range(prefix)
    q = Q(**{f"{field}__gte": low})
    if high is not None:
        q &= Q(**{f"{field}__lt": high})
    return q


def region_cache_clear() -> None:
    region_names.cache_clear()
    province_codes.cache_clear()
