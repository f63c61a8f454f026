"""Who may see, download and reveal exports.

An export job is visible to the user who created it and to the administrators (organisation
or system admin) of that user's organisation; to anyone else it does not exist (404). Revealing
personal data in an export needs every reveal capability the kind's personal columns need.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor, Capability
from gongyou.core.errors import NotFound, PermissionDenied

from .columns import revealable_fields
from .models import ExportJob

ADMIN_ROLES = frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
REVEAL_CAPABILITIES = {
    "national_id": Capability.REVEAL_NATIONAL_ID,
    "phone": Capability.REVEAL_PHONE,
}


def exports_visible_to(actor: Actor) -> QuerySet[ExportJob]:
    user_id = getattr(actor.user, "pk", None)
    if user_id is None:
        return ExportJob.objects.none()
    q = Q(created_by_id=user_id)
    if actor.roles & ADMIN_ROLES and actor.organisation_id is not None:
        q |= Q(organisation_id=actor.organisation_id)
    return ExportJob.objects.filter(q)


def export_is_visible(actor: Actor, job: ExportJob) -> bool:
    user_id = getattr(actor.user, "pk", None)
    if user_id is None:
        return False
    if job.created_by_id == user_id:
        return True
    return bool(actor.roles & ADMIN_ROLES) and (
        actor.organisation_id is not None and job.organisation_id == actor.organisation_id
    )


def export_require_visible(actor: Actor, job: ExportJob) -> None:
    if not export_is_visible(actor, job):
        raise NotFound()


def export_require_can_create(actor: Actor) -> None:
    if not actor.roles:
        raise PermissionDenied()


def export_can_reveal(actor: Actor, kind: str) -> bool:
    fields = revealable_fields(kind)
    return bool(fields) and all(actor.can(REVEAL_CAPABILITIES[f]) for f in fields)


def export_require_can_reveal(actor: Actor, kind: str) -> None:
    if not export_can_reveal(actor, kind):
        raise PermissionDenied()
