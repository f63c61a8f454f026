"""Access to workers: the one gate (a worker outside the actor's scope does not exist for them).

A worker is in scope when their current region or their hukou region lies in the actor's
region subtree: the destination federation serves them, the home province follows them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from gongyou.accounts.policies import Actor, Capability
from gongyou.core.errors import NotFound

from .models import Worker


def workers_visible_to(actor: Actor) -> QuerySet[Worker]:
    if not actor.can(Capability.VIEW_WORKERS):
        return Worker.objects.none()
    return Worker.objects.filter(actor.region_q("current_region_id", "hukou_region_id"))


def worker_is_visible(actor: Actor, worker: Worker) -> bool:
    return actor.can(Capability.VIEW_WORKERS) and (
        actor.covers_region(worker.current_region_id) or actor.covers_region(worker.hukou_region_id)
    )


def worker_require_can_edit(actor: Actor, worker: Worker) -> None:
    if not worker_is_visible(actor, worker):
        raise NotFound()
    actor.require(Capability.EDIT_WORKERS)


def worker_reveal_capability(field: str) -> Capability:
    return Capability.REVEAL_NATIONAL_ID if field == "national_id" else Capability.REVEAL_PHONE
