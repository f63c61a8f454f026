"""Background tasks of the privacy app (thin wrappers: receive plain values, call one service)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from . import services


@task()
def privacy_retention() -> dict[str, Any]:
    """Daily: apply every enabled retention rule in batches. Idempotent."""
    return {
        rc: {"rows": r.rows, "blocked": len(r.blocked), "batches": r.batches}
        for rc, r in services.retention_apply_all().items()
    }


@task()
def pii_rekey(run_id: int) -> dict[str, Any]:
    """Re-encrypt personal data under the primary key (run `run_id`), resuming where it stopped."""
    run = services.pii_rekey_run(run_id=run_id)
    return {"run": run.pk, "status": run.status, "rewritten": run.total_rewritten}
