"""`gongyou scheduler`: enqueue the daily jobs once a day and the interval jobs every few
minutes (started by `gongyou serve`).

Each day's run is recorded as an `ops.daily` audit event for that date, so restarts, several
web hosts or a manual `--once` never enqueue a day twice (the jobs are idempotent anyway).
Deployments that prefer cron run `gongyou scheduler --once` from it instead.

A database error (PostgreSQL restarting, a lock timeout) costs one round, not the process:
`gongyou serve` stops everything when one of its processes exits, so the loop logs the error,
drops the connection and tries again at the next round.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, transaction
from django.utils import timezone

from gongyou.cases.tasks import cases_daily
from gongyou.core.audit import audit_record
from gongyou.core.models import AuditEvent
from gongyou.exports.tasks import exports_cleanup
from gongyou.indicators.tasks import indicators_catch_up, indicators_refresh
from gongyou.jobs.tasks import jobs_daily
from gongyou.privacy.tasks import privacy_retention
from gongyou.settlement.tasks import eligibility_batch

logger = logging.getLogger(__name__)

# Each job is idempotent for its day; the order is the order they are enqueued in.
DAILY_JOBS: dict[str, Callable[[dt.date], Any]] = {
    # statutory deadlines: reminders, overdue escalation, early warning (cases)
    "cases_daily": lambda day: cases_daily.enqueue(day.isoformat()),
    # expired export files deleted, interrupted export jobs failed
    "exports_cleanup": lambda day: exports_cleanup.enqueue(),
    # every worker's settlement answer in their current city, for the eligibility indicators
    "settlement_eligibility": lambda day: eligibility_batch.enqueue(day.isoformat()),
    # retention follow-ups due at 3, 6 and 12 months; the job-matching index refreshed
    "jobs_daily": lambda day: jobs_daily.enqueue(day=day.isoformat()),
    # visit and worker rollups behind the dashboard (run after midnight: yesterday is complete)
    "indicators_refresh": lambda day: indicators_refresh.enqueue(),
    # retention rules: anonymise or delete what is kept longer than needed (docs/domains/privacy.md)
    "privacy_retention": lambda day: privacy_retention.enqueue(),
}
MARK = "ops.daily"

# Interval jobs: enqueued every `interval` while the scheduler runs. Each is idempotent and
# serialises itself (a row lock), so several schedulers or a late run only cost a short wait;
# one still queued or running is not enqueued again.
INTERVAL_JOBS: dict[str, tuple[dt.timedelta, Any]] = {
    # visits and workers added or changed since the last run folded into the dashboard rollups
    "indicators_catch_up": (
        dt.timedelta(minutes=int(getattr(settings, "INDICATORS_CATCH_UP_MINUTES", 5))),
        indicators_catch_up,
    ),
}


def run_interval(*, now: dt.datetime, last: dict[str, dt.datetime]) -> list[str]:
    """Enqueue every interval job whose interval has passed since this process last enqueued
    it and that is not already waiting or running; returns what was enqueued."""
    from django_tasks_db.models import DBTaskResult

    done = []
    for name, (interval, task) in INTERVAL_JOBS.items():
        if name in last and now - last[name] < interval:
            continue
        last[name] = now
        pending = DBTaskResult.objects.filter(
            task_path=task.module_path, status__in=["READY", "RUNNING"]
        ).exists()
        if not pending:
            task.enqueue()
            done.append(name)
    return done


def run_daily(*, day: dt.date) -> list[str]:
    """Enqueue every daily job for `day` unless that day already ran; returns what was enqueued."""
    with transaction.atomic():
        if AuditEvent.objects.filter(action=MARK, entity_id=day.isoformat()).exists():
            return []
        audit_record(
            actor=None,
            action=MARK,
            entity_type="ops.schedule",
            entity_id=day.isoformat(),
            after={"jobs": sorted(DAILY_JOBS)},
            summary=f"Daily jobs for {day.isoformat()}",
        )
    for job in DAILY_JOBS.values():
        job(day)
    return sorted(DAILY_JOBS)


class Command(BaseCommand):
    help = "Enqueue the daily background jobs (deadline reminders and escalations) once a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="run today's jobs if not done yet, then exit"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        at = dt.time.fromisoformat(getattr(settings, "GONGYOU_DAILY_AT", "07:00"))
        last: dict[str, dt.datetime] = {}
        while True:
            try:
                if not opts["once"]:
                    # As between requests: a connection that died (PostgreSQL restarted) or
                    # errored is replaced before the round uses it. (A one-off run is a fresh
                    # process with a fresh connection.)
                    close_old_connections()
                self._round(at=at, last=last)
            except DatabaseError:
                if opts["once"]:
                    raise
                logger.exception("scheduler round failed; retrying in a minute")
            if opts["once"]:
                return
            time.sleep(60)

    def _round(self, *, at: dt.time, last: dict[str, dt.datetime]) -> None:
        now = timezone.localtime()
        run_interval(now=now, last=last)
        if now.time() >= at:
            done = run_daily(day=now.date())
            if done:
                self.stdout.write(f"{now:%Y-%m-%d %H:%M} enqueued: {', '.join(done)}")
