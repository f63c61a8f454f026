"""Background tasks of the jobs app (thin wrappers: receive plain values, call one service)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def jobs_daily(day: str | None = None) -> dict[str, int]:
    """Retention follow-ups due by `day` (ISO date; default today) and the match-index refresh
    of seekers whose registry record or certificates changed. Idempotent."""
    return {
        "followups_created": services.followups_create_due(
            day=dt.date.fromisoformat(day) if day else None
        ),
        "seekers_reindexed": services.seeker_index_refresh(),
    }
