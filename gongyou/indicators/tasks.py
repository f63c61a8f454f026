"""Background tasks of indicators: keep the rollups current."""

from __future__ import annotations

from django_tasks import task

from .rollups import visit_rollup_refresh, worker_rollup_refresh


@task()
def indicators_refresh() -> dict[str, int]:
    """Recompute the visit and worker rollups (daily, after midnight; safe at any time)."""
    return {"visits": visit_rollup_refresh(), "workers": worker_rollup_refresh()}
