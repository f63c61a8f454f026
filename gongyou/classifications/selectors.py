"""Reads of the occupation table."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q, QuerySet

from .models import Occupation


def occupation_list(*, level: str | None = None, q: str | None = None) -> QuerySet[Occupation]:
    qs = Occupation.objects.all()
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return qs.order_by("code")


@lru_cache(maxsize=1)
def occupation_names() -> dict[str, str]:
    return dict(Occupation.objects.values_list("code", "name"))


def occupation_cache_clear() -> None:
    occupation_names.cache_clear()
