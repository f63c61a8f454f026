"""Background tasks of indicators: keep the rollups current."""

from __future__ import annotations

from django_tasks import task

from .rollups import (
    visit_rollup_catch_up,
    visit_rollup_refresh,
    worker_rollup_catch_up,
    worker_rollup_refresh,
)


@task()
def indicators_refresh() -> dict[str, int]:
    """Recompute the visit and worker rollups (daily, after midnight; safe at any time)."""
    return {"visits": visit_rollup_refresh(), "workers": worker_rollup_refresh()}


@task()
def indicators_catch_up() -> dict[str, int]:
    """Fold the visits and workers added or changed since the last run into the rollups
    (every few minutes; recomputes what it cannot fold, e.g. on a new day)."""
    return {"visits": visit_rollup_catch_up(), "workers": worker_rollup_catch_up()}
