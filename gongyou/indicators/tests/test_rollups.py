"""The rollups give the same numbers as counting the records, after inserts, updates and
deletes: once refreshed (daily), and once caught up (every few minutes); what arrived since the
last refresh or catch-up is counted directly on top of them."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from gongyou.indicators.models import RollupState, VisitDayRollup
from gongyou.indicators.rollups import visit_rollup_catch_up, visit_rollup_refresh
from gongyou.indicators.selectors import (
    indicator_context,
    indicator_get,
    indicator_table,
    visits_daily,
)
from gongyou.indicators.tasks import indicators_catch_up, indicators_refresh
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


def _assert_levels_add_up():
    """Each coarser level of the visit rollup is exactly the sum of the station-region rows."""
    rows = list(
        VisitDayRollup.objects.values_list(
            "digits", "day", "region", "station_type", "service", "visits"
        )
    )
    assert rows
    for digits in (4, 2):
        expected: Counter = Counter()
        for level, day, region, kind, service, n in rows:
            if level == 6:
                expected[(day, region[:digits].ljust(6, "0"), kind, service)] += n
        actual = {
            (day, region, kind, service): n
            for level, day, region, kind, service, n in rows
            if level == digits
        }
        assert actual == dict(expected)


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
    _assert_levels_add_up()
    assert _snapshot(national_actor) == before
    assert _snapshot(sz_actor) == _direct(sz_actor)
    for region in ("440000", "440300", "440305", "110000"):
        assert _snapshot(national_actor, region) == _direct(national_actor, region)
    # A national view reads province rows: two provinces, each the sum of its stations.
    by_province = _snapshot(national_actor)["visits_by_service"][0]
    assert set(by_province) == {"440000", "110000"}


def test_after_inserts_updates_and_deletes(history, national_actor, admin_actor, sz_actor):
    visit_rollup_refresh()
    visit_log(actor=admin_actor, station_id=history.rest.pk, service="rest", at=_at(2, 15))
    Visit.objects.filter(service="toilet").update(service="first_aid")
    Visit.objects.filter(service="legal_aid", station=history.service).delete()  # today's too
    changed_days = [timezone.localdate() - dt.timedelta(days=n) for n in (1, 2)]
    visit_rollup_refresh(days=changed_days)
    visit_rollup_catch_up()  # today is recounted at each catch-up
    for actor in (national_actor, sz_actor):
        assert _snapshot(actor) == _direct(actor)
    services = _snapshot(national_actor)["visits_by_service"][1]
    assert (services["first_aid"], services["toilet"], services["legal_aid"]) == (1, 0, 0)


def test_logged_since_the_last_catch_up_is_counted_directly(history, national_actor, admin_actor):
    visit_rollup_refresh()
    visit_log(actor=admin_actor, station_id=history.rest.pk, service="meal_heating")
    visit_log(actor=admin_actor, station_id=history.service.pk, service="legal_aid", at=_at(3))
    services = _snapshot(national_actor)["visits_by_service"][1]
    assert (services["meal_heating"], services["legal_aid"]) == (1, 4)
    assert _snapshot(national_actor) == _direct(national_actor)
    state = RollupState.objects.get(name="visits")
    assert Visit.objects.filter(pk__gt=state.high_water).count() == 2


def test_the_catch_up_folds_new_backdated_changed_and_deleted_visits(
    history, national_actor, admin_actor, sz_actor
):
    """The intra-day path: a catch-up recounts today and adds new visits of earlier days, so
    nothing is left above the high-water mark and the rollup alone equals the direct counts."""
    visit_rollup_refresh()
    visit_log(actor=admin_actor, station_id=history.rest.pk, service="meal_heating")
    backdated, _created = visit_log(
        actor=admin_actor, station_id=history.service.pk, service="legal_aid", at=_at(5)
    )
    Visit.objects.filter(service="phone_charging").update(service="drinking_water")  # today
    Visit.objects.filter(service="legal_aid", at__gte=_at(0, 0)).first().delete()  # today
    assert indicators_catch_up.call()["visits"] > 0
    state = RollupState.objects.get(name="visits")
    assert state.high_water == Visit.objects.order_by("-id").first().pk
    assert VisitDayRollup.objects.filter(day=timezone.localdate(backdated.at)).exists()
    _assert_levels_add_up()
    for actor, regions in (
        (national_actor, (None, "440000", "440300", "440305", "110000")),
        (sz_actor, (None, "440300", "440305")),
    ):
        for region in regions:
            assert _snapshot(actor, region) == _direct(actor, region)
    services = _snapshot(national_actor)["visits_by_service"][1]
    # legal aid: 2 today less 1 deleted, 1 two days ago, 1 backdated five days
    assert (services["meal_heating"], services["phone_charging"], services["legal_aid"]) == (
        1,
        0,
        3,
    )


def test_a_visit_below_the_mark_not_yet_counted_is_found_by_the_next_catch_up(
    history, national_actor, admin_actor
):
    """A visit whose transaction committed after a catch-up read the highest id (its id is
    below the mark but it was not counted) is counted at the next one: today is recounted."""
    visit_rollup_catch_up()
    late, _created = visit_log(actor=admin_actor, station_id=history.rest.pk, service="rest")
    RollupState.objects.filter(name="visits").update(high_water=late.pk)  # as if missed
    rest = 3 + 2  # today's (the world's) and earlier ones
    assert _snapshot(national_actor)["visits_by_service"][1]["rest"] == rest
    visit_rollup_catch_up()
    assert _snapshot(national_actor) == _direct(national_actor)
    assert _snapshot(national_actor)["visits_by_service"][1]["rest"] == rest + 1


def test_the_first_catch_up_after_midnight_recounts_yesterday(history, national_actor, admin_actor):
    """A visit of yesterday that committed after yesterday's last catch-up, its id below the
    mark, is counted by the first catch-up of today (yesterday is recounted, not only today)."""
    yesterday_evening = timezone.now() - dt.timedelta(days=1)
    visit_rollup_catch_up(now=yesterday_evening)
    late, _created = visit_log(
        actor=admin_actor, station_id=history.rest.pk, service="rest", at=_at(1, hour=23)
    )
    RollupState.objects.filter(name="visits").update(high_water=late.pk)  # as if missed
    assert _snapshot(national_actor) != _direct(national_actor)
    visit_rollup_catch_up()
    assert _snapshot(national_actor) == _direct(national_actor)


def test_a_station_moved_since_the_refresh_is_counted_in_its_new_region(
    history, national_actor, admin_actor, station_factory
):
    from gongyou.stations.services import station_update

    visit_rollup_refresh()
    new = station_factory(name="福田驿站", region="440304")  # a new station moves nothing
    visit_log(actor=admin_actor, station_id=new.pk, service="rest", at=_at(4))
    visit_rollup_catch_up()
    station_update(actor=admin_actor, station=history.rest, data={"region": "440304"})
    visit_rollup_catch_up()
    for region in (None, "440300", "440305"):
        assert _snapshot(national_actor, region) == _direct(national_actor, region)
    rows = _snapshot(national_actor, "440300")["visits_by_service"][0]
    assert rows["440304"]["_total"] == 5 + 4 + 1 and "440305" not in rows


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
        for region in (None, "440300", "440305"):
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


def _worker_rows():
    from gongyou.indicators.models import WorkerRollup

    return sorted(
        WorkerRollup.objects.values_list("day", "dimension", "region", "value", "workers")
    )


def test_worker_catch_up_equals_direct_counts_after_inserts_updates_merges_and_deletes(
    world, national_actor, sz_actor, admin_actor, worker_factory
):
    """The intra-day path for workers: a catch-up takes out what each changed worker was
    counted as and adds what it is now, so the rollup equals a full recompute and, with the
    workers registered since counted directly, the direct counts."""
    from gongyou.indicators.models import WorkerRollupEntry
    from gongyou.indicators.rollups import worker_rollup_catch_up, worker_rollup_refresh
    from gongyou.testing import make_national_id
    from gongyou.workers.models import Worker
    from gongyou.workers.services import worker_merge, worker_update

    worker_rollup_refresh()
    added = worker_factory(name="新人", national_id=make_national_id(sex="F"), education="bachelor")
    gone = worker_factory(name="短暂", national_id=make_national_id(sex="M"))
    twin = worker_factory(name="李娜", national_id=make_national_id(sex="F"), industry="transport")
    worker_update(
        actor=admin_actor,
        worker=world.sz[0],
        data={"industry": "transport", "current_region": "440304", "education": "bachelor"},
    )
    assert worker_rollup_catch_up() == 4  # three registered, one changed
    assert _workers(national_actor) == _workers_direct(national_actor)
    assert RollupState.objects.get(name="workers").high_water == twin.pk
    worker_merge(actor=admin_actor, keep=world.sz[1], merge=twin, reason="同一人")
    Worker.objects.filter(pk=gone.pk).delete()  # a hard delete leaves no updated_at to find
    worker_update(actor=admin_actor, worker=added, data={"current_region": "110105"})
    assert worker_rollup_catch_up() >= 3
    assert WorkerRollupEntry.objects.count() == Worker.objects.filter(merged_into=None).count()
    for actor in (national_actor, sz_actor):
        for region in (None, "440300", "440305"):
            assert _workers(actor, region) == _workers_direct(actor, region)
    caught_up = _worker_rows()
    worker_rollup_refresh()
    assert _worker_rows() == caught_up
    industry = _workers(national_actor, "440300")["workers_by_industry"]
    assert industry[1]["transport"] == 1 and industry[0]["440304"]["_total"] == 2
    assert _workers(national_actor)["workers_by_sex"][1]["_total"] == 6 + 1


def test_worker_catch_up_recomputes_on_a_new_day_or_when_out_of_step(world, national_actor):
    from gongyou.indicators.models import WorkerRollup
    from gongyou.indicators.rollups import worker_rollup_catch_up, worker_rollup_refresh

    worker_rollup_refresh()
    expected = _worker_rows()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    RollupState.objects.filter(name="workers").update(complete_before=yesterday)
    WorkerRollup.objects.update(day=yesterday)
    assert worker_rollup_catch_up() == -1  # recomputed as of today
    assert _worker_rows() == expected
    WorkerRollup.objects.filter(dimension="industry").delete()  # out of step with its entries
    from gongyou.workers.models import Worker

    Worker.objects.filter(pk=world.sz[0].pk).update(industry="transport", updated_at=timezone.now())
    assert worker_rollup_catch_up() == -1
    assert [r for r in _worker_rows() if r[1] != "industry"] == [
        r for r in expected if r[1] != "industry"
    ]
    assert ("industry", "440305", "transport") in {r[1:4] for r in _worker_rows()}
