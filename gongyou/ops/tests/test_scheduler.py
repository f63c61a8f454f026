import datetime as dt

import pytest
from django.core.management import call_command

from gongyou.core.models import AuditEvent
from gongyou.ops.management.commands.scheduler import run_daily

pytestmark = pytest.mark.django_db


JOBS = sorted(
    ["cases_daily", "exports_cleanup", "settlement_eligibility", "jobs_daily", "indicators_refresh"]
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
