"""Access to workers: the one gate (a worker outside the actor's scope does not exist for them).

A worker is in scope when their current region or their hukou region lies in the actor's
region subtree: the destination federation serves them, the home province follows them.
A merged worker (`merged_into` set) is in nobody's scope: their records live on the kept worker.
"""

from __future__ import annotations

from django.db.models import QuerySet

from gongyou.accounts.policies import Actor, Capability
from gongyou.core.errors import NotFound

from .models import Worker, WorkerMerge


def workers_visible_to(actor: Actor) -> QuerySet[Worker]:
    if not actor.can(Capability.VIEW_WORKERS):
        return Worker.objects.none()
    return Worker.objects.filter(
        actor.region_q("current_region_id", "hukou_region_id"), merged_into__isnull=True
    )


def worker_is_visible(actor: Actor, worker: Worker) -> bool:
    return (
        actor.can(Capability.VIEW_WORKERS)
        and worker.merged_into_id is None
        and (
            actor.covers_region(worker.current_region_id)
            or actor.covers_region(worker.hukou_region_id)
        )
    )


def worker_require_can_edit(actor: Actor, worker: Worker) -> None:
    if not worker_is_visible(actor, worker):
        raise NotFound()
    actor.require(Capability.EDIT_WORKERS)


def worker_reveal_capability(field: str) -> Capability:
    return Capability.REVEAL_NATIONAL_ID if field == "national_id" else Capability.REVEAL_PHONE


def worker_require_can_merge(actor: Actor, *workers: Worker) -> None:
    """Merging (and undoing a merge) is for administrators, on workers they can see."""
    for worker in workers:
        if not worker_is_visible(actor, worker):
            raise NotFound()
    actor.require(Capability.MERGE_WORKERS)


def worker_merge_require_can_undo(actor: Actor, record: WorkerMerge) -> None:
    """The kept worker must be visible; the merged one (hidden while merged) in the actor's area."""
    merged = record.merged
    if not worker_is_visible(actor, record.kept) or not (
        actor.covers_region(merged.current_region_id) or actor.covers_region(merged.hukou_region_id)
    ):
        raise NotFound()
    actor.require(Capability.MERGE_WORKERS)
