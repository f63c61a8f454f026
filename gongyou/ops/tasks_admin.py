"""The background-task queue as administrators see it: list, inspect, retry a failed task.

Task rows belong to django-tasks-db (`DBTaskResult`); reading them and re-enqueueing a failed
one live here, at the top tier, because a task may belong to any app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from gongyou.accounts.policies import Actor, Capability
from gongyou.core.audit import audit_record
from gongyou.core.errors import Conflict, NotFound

STATUSES = ["READY", "RUNNING", "FAILED", "SUCCESSFUL"]


@dataclass
class TaskFilter:
    status: str | None = None
    task: str | None = None


def task_result_list(*, actor: Actor, filters: TaskFilter | None = None) -> QuerySet[DBTaskResult]:
    actor.require(Capability.MANAGE_TASKS)
    f = filters or TaskFilter()
    qs = DBTaskResult.objects.all()
    if f.status in STATUSES:
        qs = qs.filter(status=f.status)
    if f.task:
        qs = qs.filter(task_path__contains=f.task)
    return qs.order_by("-enqueued_at")


def task_result_get(*, actor: Actor, result_id: str) -> DBTaskResult:
    actor.require(Capability.MANAGE_TASKS)
    try:
        return DBTaskResult.objects.get(pk=result_id)
    except (
        DBTaskResult.DoesNotExist,
        ValueError,
        TypeError,
        DjangoValidationError,
    ) as exc:  # malformed id: 404
        raise NotFound() from exc


@transaction.atomic
def task_retry(*, actor: Actor, result_id: str) -> str:
    """Enqueue a failed task again with the same arguments; returns the new task's id."""
    result = task_result_get(actor=actor, result_id=result_id)
    if result.status != "FAILED":
        raise Conflict(_("Only a failed task can be retried."))
    call = result.args_kwargs or {}
    new = result.task.enqueue(*call.get("args", []), **call.get("kwargs", {}))
    audit_record(
        actor=actor.user,
        action="task.retry",
        entity_type="django_tasks_db.dbtaskresult",
        entity_id=str(result.pk),
        after={"task": result.task_path, "new_id": str(new.id)},
        summary=f"{result.task_path} retried",
    )
    return str(new.id)
