"""Background tasks of the cases app (thin wrappers: receive plain values, call one service)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def cases_daily(day: str | None = None) -> dict[str, int]:
    """Deadline reminders and escalations for `day` (ISO date; default today). Idempotent."""
    return services.cases_daily_run(today=dt.date.fromisoformat(day) if day else None)
