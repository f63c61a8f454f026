"""The visit rollup gives the same numbers as counting the visits, after inserts, updates and
deletes, once refreshed; days after the last refresh are counted directly."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.indicators.models import RollupState, VisitDayRollup
from gongyou.indicators.rollups import visit_rollup_refresh
from gongyou.indicators.selectors import (
    indicator_context,
    indicator_get,
    indicator_table,
    visits_daily,
)
from gongyou.indicators.tasks import indicators_refresh
from gongyou.stations.models import Visit
from gongyou.stations.services import visit_log

pytestmark = pytest.mark.django_db
KEYS = ("visits_by_service", "visits_per_day")


def _at(days_ago: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _snapshot(actor, region=None):
    ctx = indicator_context(actor=actor, region=region)
    out = {}
    for key in KEYS:
        table = indicator_table(ctx=ctx, indicator=indicator_get(actor=actor, key=key))
        out[key] = (
            {r.key: r.values for r in table.rows},
            table.total.values,
        )
    out["daily"] = visits_daily(ctx=ctx)
    return out


def _direct(actor, region=None):
    """The same numbers with the rollup switched off (no refresh recorded)."""
    state = list(RollupState.objects.values())
    RollupState.objects.all().delete()
    try:
        return _snapshot(actor, region)
    finally:
        for row in state:
            RollupState.objects.create(**row)


@pytest.fixture
def history(world, admin_actor):
    for days_ago, service in [(3, "rest"), (3, "consultation"), (2, "rest"), (1, "toilet")]:
        visit_log(actor=admin_actor, station_id=world.rest.pk, service=service, at=_at(days_ago))
    visit_log(actor=admin_actor, station_id=world.service.pk, service="legal_aid", at=_at(2))
    return world


def test_refreshed_rollup_equals_direct_counts(history, national_actor, sz_actor):
    before = _snapshot(national_actor)
    assert indicators_refresh.call()["visits"] > 0
    assert VisitDayRollup.objects.exists()
    assert _snapshot(national_actor) == before
    assert _snapshot(sz_actor) == _direct(sz_actor)
    assert _snapshot(national_actor, "440300") == _direct(national_actor, "440300")


def test_after_inserts_updates_and_deletes(history, national_actor, admin_actor, sz_actor):
    visit_rollup_refresh()
    visit_log(actor=admin_actor, station_id=history.rest.pk, service="rest", at=_at(2, 15))
    Visit.objects.filter(service="toilet").update(service="first_aid")
    Visit.objects.filter(service="legal_aid", station=history.service).delete()
    changed_days = [timezone.localdate() - dt.timedelta(days=n) for n in (1, 2)]
    visit_rollup_refresh(days=changed_days)
    for actor in (national_actor, sz_actor):
        assert _snapshot(actor) == _direct(actor)
    services = _snapshot(national_actor)["visits_by_service"][1]
    assert (services["first_aid"], services["toilet"]) == (1, 0)


def test_today_is_counted_directly_after_a_refresh(history, national_actor, admin_actor):
    visit_rollup_refresh()
    visit_log(actor=admin_actor, station_id=history.rest.pk, service="meal_heating")
    services = _snapshot(national_actor)["visits_by_service"][1]
    assert services["meal_heating"] == 1
    assert _snapshot(national_actor) == _direct(national_actor)


def test_station_staff_never_read_the_rollup(history, make_user):
    from gongyou.accounts.policies import actor_for

    visit_rollup_refresh()
    staff = actor_for(make_user("station_staff", org="sz", station=history.rest))
    total = _snapshot(staff)["visits_by_service"][1]["_total"]
    assert total == 5 + 4  # the world's 5 visits today and 4 earlier ones, this station only


WORKER_KEYS = (
    "workers_by_sex",
    "workers_by_age_band",
    "workers_by_education",
    "workers_by_industry",
    "workers_by_employment_form",
    "workers_by_migration",
)


def _workers(actor, region=None):
    ctx = indicator_context(actor=actor, region=region)
    out = {}
    for key in WORKER_KEYS:
        table = indicator_table(ctx=ctx, indicator=indicator_get(actor=actor, key=key))
        out[key] = ({r.key: r.values for r in table.rows}, table.total.values)
    return out


def _workers_direct(actor, region=None):
    state = list(RollupState.objects.filter(name="workers").values())
    RollupState.objects.filter(name="workers").delete()
    try:
        return _workers(actor, region)
    finally:
        for row in state:
            RollupState.objects.create(**row)


def test_worker_rollup_equals_direct_counts_after_inserts_updates_and_deletes(
    world, national_actor, sz_actor, worker_factory
):
    from gongyou.indicators.models import WorkerRollup
    from gongyou.indicators.rollups import worker_rollup_refresh
    from gongyou.testing import make_national_id
    from gongyou.workers.models import Worker

    before = _workers(national_actor)
    worker_rollup_refresh()
    assert WorkerRollup.objects.filter(dimension="sex").exists()
    assert _workers(national_actor) == before
    # Registered after the refresh: counted directly on top of the rollup, at once.
    worker_factory(name="新人", national_id=make_national_id(sex="F"), education="bachelor")
    for actor in (national_actor, sz_actor):
        assert _workers(actor) == _workers_direct(actor)
    assert _workers(sz_actor)["workers_by_sex"][1]["_total"] == 5
    # Changed and removed after the refresh: equal again once refreshed.
    Worker.objects.filter(name="张伟").update(industry="transport", current_region_id="440304")
    Worker.objects.filter(name="新人").delete()
    worker_rollup_refresh()
    for actor in (national_actor, sz_actor):
        for region in (None, "440300"):
            assert _workers(actor, region) == _workers_direct(actor, region)
    industry = _workers(national_actor, "440300")["workers_by_industry"]
    assert industry[1]["transport"] == 1 and industry[0]["440304"]["_total"] == 2


def test_the_worker_rollup_is_not_used_for_another_day(world, national_actor):
    from gongyou.indicators.models import RollupState
    from gongyou.indicators.rollups import worker_rollup_refresh

    worker_rollup_refresh()
    RollupState.objects.filter(name="workers").update(
        complete_before=timezone.localdate() - dt.timedelta(days=1)
    )
    from gongyou.indicators.models import WorkerRollup

    WorkerRollup.objects.update(workers=999)  # a stale rollup must not be read
    assert _workers(national_actor)["workers_by_sex"][1]["_total"] == 6
