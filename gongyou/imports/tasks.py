"""Background task of the imports app (a thin wrapper: receives the job id, calls one service).

At-least-once: a second delivery for a job that a live run holds returns at once; a delivery
for a job whose run died resumes it from its checkpoint (services.import_run).
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def import_run(job_id: int) -> dict[str, object]:
    job = services.import_run(job_id=job_id)
    return {"status": job.status, "committed_rows": job.committed_rows}
