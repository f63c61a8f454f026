import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongyou.core.models import AuditEvent
from gongyou.ops.management.commands.scheduler import run_daily, run_interval

pytestmark = pytest.mark.django_db


JOBS = sorted(
    [
        "cases_daily",
        "exports_cleanup",
        "settlement_eligibility",
        "jobs_daily",
        "indicators_refresh",
        "privacy_retention",
    ]
)


def test_each_day_runs_once():
    day = dt.date(2026, 11, 30)
    assert run_daily(day=day) == JOBS
    assert run_daily(day=day) == []
    assert run_daily(day=day + dt.timedelta(days=1)) == JOBS
    assert AuditEvent.objects.filter(action="ops.daily").count() == 2


def test_once_runs_today_after_the_configured_hour(settings):
    settings.GONGYOU_DAILY_AT = "00:00"
    call_command("scheduler", "--once")
    call_command("scheduler", "--once")
    assert AuditEvent.objects.filter(action="ops.daily").count() == 1


def test_interval_jobs_run_every_interval_and_never_twice_while_pending(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    last: dict[str, dt.datetime] = {}
    assert run_interval(now=now, last=last) == ["indicators_catch_up"]
    assert run_interval(now=now + dt.timedelta(minutes=1), last=last) == []
    # due again, but the first is still queued: not enqueued twice
    assert run_interval(now=now + dt.timedelta(minutes=6), last=last) == []
    DBTaskResult.objects.update(status="SUCCESSFUL")
    assert run_interval(now=now + dt.timedelta(minutes=12), last=last) == ["indicators_catch_up"]
    assert DBTaskResult.objects.count() == 2


def test_a_database_error_costs_one_round_not_the_scheduler(monkeypatch):
    """`gongyou serve` stops everything when the scheduler exits: a round that fails on the
    database (PostgreSQL restarting) is logged and the next round runs."""
    from django.db import OperationalError

    from gongyou.ops.management.commands import scheduler

    class Stop(Exception):
        pass

    rounds = []

    def round_(self, **_kwargs):
        rounds.append(1)
        if len(rounds) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        raise Stop

    closed = []
    monkeypatch.setattr(scheduler.Command, "_round", round_)
    monkeypatch.setattr(scheduler.time, "sleep", lambda _seconds: None)
    # Each round starts by replacing a dead connection (not here: it would end the test's
    # transaction).
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: closed.append(1))
    with pytest.raises(Stop):
        call_command("scheduler")
    assert len(rounds) == 2 and len(closed) == 2
    with pytest.raises(OperationalError):  # a one-off run (cron) reports the failure
        rounds.clear()
        call_command("scheduler", "--once")
