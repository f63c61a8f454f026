"""Access to employers: the region subtree, like stations and workers (station staff: their county)."""

from __future__ import annotations

from django.db.models import QuerySet

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor
from gongyou.core.errors import NotFound, PermissionDenied

from .models import Employer

VIEW_ROLES = frozenset(Role.values)
EDIT_ROLES = frozenset(Role.values) - {Role.ANALYST}
FLAG_ROLES = frozenset({Role.CASE_HANDLER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})


def employers_visible_to(actor: Actor) -> QuerySet[Employer]:
    if not actor.roles & VIEW_ROLES:
        return Employer.objects.none()
    return Employer.objects.filter(actor.region_q("region_id"))


def employer_is_visible(actor: Actor, employer: Employer) -> bool:
    return bool(actor.roles & VIEW_ROLES) and actor.covers_region(employer.region_id)


def employer_require_can_create(actor: Actor) -> None:
    if not actor.roles & EDIT_ROLES:
        raise PermissionDenied()


def employer_require_can_flag(actor: Actor, employer: Employer) -> None:
    if not employer_is_visible(actor, employer):
        raise NotFound()
    if not actor.roles & FLAG_ROLES:
        raise PermissionDenied()
