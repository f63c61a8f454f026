"""Background tasks of the settlement app (thin wrappers: receive plain values, call one service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from . import services


@task()
def eligibility_batch(day: str | None = None) -> dict[str, Any]:
    """Evaluate the whole registry against each worker's current city (ISO `day`, default today)."""
    return services.eligibility_batch_run(day=dt.date.fromisoformat(day) if day else None)
