"""Who sees which import jobs: users their organisation's; organisation and system admins
every job of their region subtree. Anything else does not exist for them (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor
from gongyou.core.errors import NotFound

from .models import ImportJob


def imports_visible_to(actor: Actor) -> QuerySet[ImportJob]:
    if actor.user is None or not actor.roles:
        return ImportJob.objects.none()
    q = Q(created_by=actor.user)
    if actor.organisation_id is not None:
        q |= Q(organisation_id=actor.organisation_id)
    if actor.roles & {Role.ORG_ADMIN, Role.SYSTEM_ADMIN}:
        q |= actor.region_q("region_code")
    return ImportJob.objects.filter(q)


def import_require_visible(actor: Actor, job_id: int) -> ImportJob:
    job = imports_visible_to(actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job
