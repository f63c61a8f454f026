"""Background tasks of the exports app (thin wrappers: receive ids, call one service)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from . import services


@task()
def export_run(job_id: int) -> dict[str, Any]:
    """Write export job `job_id`'s file. Idempotent: a job that is not pending is left alone."""
    job = services.export_run(job_id=job_id)
    if job is None:
        return {"job": job_id, "status": "missing"}
    return {"job": job.pk, "status": job.status, "rows": job.row_count}


@task()
def exports_cleanup() -> dict[str, int]:
    """Daily: remove expired export files; fail jobs interrupted while running."""
    return services.export_cleanup()
