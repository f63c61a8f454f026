"""Reads of employers, always from the policy's scoped queryset."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.errors import NotFound
from gongyou.regions.selectors import region_range_q

from .models import Employer
from .policies import employers_visible_to
from .uscc import normalise_credit_code


@dataclass
class EmployerFilter:
    name: str | None = None
    credit_code: str | None = None
    region: str | None = None
    industry: str | None = None
    flagged: bool | None = None


def employer_list(*, actor: Actor, filters: EmployerFilter | None = None) -> QuerySet[Employer]:
    f = filters or EmployerFilter()
    qs = employers_visible_to(actor)
    if f.name:
        qs = qs.filter(name__contains=f.name.strip())
    if f.credit_code:
        qs = qs.filter(credit_code=normalise_credit_code(f.credit_code))
    if f.region:
        qs = qs.filter(region_range_q("region_id", region_prefix(f.region)))
    if f.industry:
        qs = qs.filter(industry=f.industry)
    if f.flagged is not None:
        qs = qs.filter(arrears_flagged=f.flagged)
    return qs.select_related("region").order_by("name", "id")


def employer_get(*, actor: Actor, employer_id: int) -> Employer:
    try:
        return employers_visible_to(actor).select_related("region").get(pk=employer_id)
    except (Employer.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def employers_by_ids(*, actor: Actor, ids: list[int]) -> dict[int, Employer]:
    """The visible employers among `ids`, keyed by id (one query; intake checks respondents with it)."""
    return {e.pk: e for e in employers_visible_to(actor).filter(pk__in=ids)}
