"""Each indicator against hand-built records with known counts, and the user's scope."""

import datetime as dt

import pytest

from gongyou.core.errors import NotFound, ValidationFailed
from gongyou.indicators.registry import all_indicators
from gongyou.indicators.selectors import (
    dashboard,
    indicator_context,
    indicator_get,
    indicator_table,
    visits_daily,
)

pytestmark = pytest.mark.django_db


def _table(actor, key, region=None, **kw):
    ctx = indicator_context(actor=actor, region=region, **kw)
    return indicator_table(ctx=ctx, indicator=indicator_get(actor=actor, key=key))


def test_workers_by_sex_by_region(world, national_actor):
    table = _table(national_actor, "workers_by_sex")
    assert table.total.values == {"M": 3, "F": 3, "_total": 6}
    rows = {r.key: r.values for r in table.rows}
    assert rows == {
        "110000": {"M": 1, "F": 1, "_total": 2},
        "440000": {"M": 2, "F": 2, "_total": 4},
    }
    city = _table(national_actor, "workers_by_sex", region="440300")
    assert {r.key: r.values["_total"] for r in city.rows} == {"440304": 1, "440305": 3}
    county = _table(national_actor, "workers_by_sex", region="440305")
    assert county.rows == [] and county.total.values["_total"] == 3


def test_age_education_industry_form_and_migration(world, national_actor):
    age = _table(national_actor, "workers_by_age_band", region="440300").total.values
    assert (age["31_40"], age["51_plus"], age["_total"]) == (3, 1, 4)
    education = _table(national_actor, "workers_by_education", region="440300").total.values
    assert (education["junior_secondary"], education["_other"]) == (3, 1)
    industry = _table(national_actor, "workers_by_industry", region="440300").total.values
    assert (industry["construction"], industry["manufacturing"]) == (3, 1)
    form = _table(national_actor, "workers_by_employment_form", region="440300").total.values
    assert form["labour_contract"] == 4
    migration = _table(national_actor, "workers_by_migration").total.values
    assert (migration["local"], migration["cross_province"], migration["within_province"]) == (
        1,
        5,
        0,
    )
    new = _table(national_actor, "workers_registered_in_period").total.values
    assert new["_total"] == 6


def test_stock_is_counted_as_of_the_end_date(world, national_actor):
    yesterday = world.today - dt.timedelta(days=1)
    table = _table(
        national_actor, "workers_by_sex", start=yesterday - dt.timedelta(days=3), end=yesterday
    )
    assert table.total.values["_total"] == 0


def test_stations_visits_and_coverage(world, national_actor):
    stations = _table(national_actor, "stations_by_type").total.values
    assert (stations["rest_station"], stations["service_station"], stations["_total"]) == (1, 1, 2)
    services = _table(national_actor, "visits_by_service", region="440300").total.values
    assert (services["rest"], services["drinking_water"], services["phone_charging"]) == (3, 1, 1)
    per_day = _table(
        national_actor, "visits_per_day", start=world.today - dt.timedelta(days=4), end=world.today
    ).total.values
    assert per_day["_total"] == round(7 / 5, 1) and per_day["rest_station"] == 1.0
    covered = _table(national_actor, "workers_covered").total.values
    assert (covered["rest_station"], covered["service_station"]) == (2, 2)
    ctx = indicator_context(actor=national_actor, region="440300")
    assert sum(n for _d, n in visits_daily(ctx=ctx)) == 5
    assert visits_daily(ctx=ctx)[-1] == (world.today, 5)


def test_cases_status_resolution_and_amounts(world, national_actor):
    status = _table(national_actor, "cases_status", region="440300").total.values
    assert (status["open"], status["finished"], status["total"]) == (1, 1, 2)
    assert status["overdue"] == 0
    resolution = _table(national_actor, "cases_days_to_resolution").total.values
    assert resolution["resolved"] == 1 and 0 <= resolution["days"] < 1
    amounts = _table(national_actor, "cases_amounts", region="440300").total.values
    assert (amounts["claimants"], amounts["claimed"], amounts["recovered"]) == (2, 24000.0, 5000.0)
    assert amounts["rate"] == round(100 * 5000 / 24000, 1)
    national = _table(national_actor, "cases_status").total.values
    assert national["total"] == 3


def test_overdue_counts_open_cases_past_a_deadline(world, national_actor):
    from gongyou.cases.models import Deadline

    # Two overdue deadlines on one open case count it once, and no case twice in the total.
    for case, status in (
        (world.open_case, "open"),
        (world.open_case, "open"),
        (world.resolved, "open"),
    ):
        Deadline.objects.create(
            case=case,
            kind="mediation",
            legal_basis="《劳动争议调解仲裁法》第十四条",
            trust="V",
            start_date=world.today - dt.timedelta(days=20),
            unit="calendar_days",
            length=15,
            due_date=world.today - dt.timedelta(days=5),
            status=status,
        )
    status = _table(national_actor, "cases_status", region="440300").total.values
    assert (status["overdue"], status["open"], status["total"]) == (1, 1, 2)


def test_a_shenzhen_user_never_sees_beijing_numbers(world, sz_actor):
    for indicator in all_indicators():
        if not indicator.available(sz_actor):
            continue
        table = _table(sz_actor, indicator.key)
        assert all(r.key.startswith("44") or not r.region for r in table.rows), indicator.key
    sex = _table(sz_actor, "workers_by_sex").total.values
    assert sex["_total"] == 4  # not the Beijing worker with a Shenzhen hukou
    assert _table(sz_actor, "stations_by_type").total.values["_total"] == 1
    assert _table(sz_actor, "visits_by_service").total.values["legal_aid"] == 0
    with pytest.raises(NotFound):
        indicator_context(actor=sz_actor, region="110105")
    with pytest.raises(NotFound):
        indicator_context(actor=sz_actor, region="440000")  # above the user's own area


def test_beijing_sees_only_beijing(world, bj_actor):
    assert _table(bj_actor, "workers_by_sex").total.values["_total"] == 2
    assert _table(bj_actor, "visits_by_service").total.values["_total"] == 2


def test_station_staff_see_their_station_only(world, make_user):
    from gongyou.accounts.policies import actor_for

    staff = actor_for(make_user("station_staff", org="sz", station=world.rest))
    assert _table(staff, "visits_by_service").total.values["_total"] == 5
    # Front-desk staff see the cases taken in at their station: none here.
    assert _table(staff, "cases_status").total.values["total"] == 0
    assert _table(staff, "stations_by_type").total.values["_total"] == 1


def test_bad_inputs_are_named(national_actor):
    with pytest.raises(ValidationFailed) as err:
        indicator_context(
            actor=national_actor,
            region="999999",
            start=dt.date(2026, 5, 2),
            end=dt.date(2026, 5, 1),
        )
    assert set(err.value.fields) == {"region", "start"}
    with pytest.raises(NotFound):
        indicator_get(actor=national_actor, key="nope")


def test_the_dashboard_reads_every_panel(world, national_actor, django_assert_max_num_queries):
    ctx = indicator_context(actor=national_actor)
    with django_assert_max_num_queries(50):
        board = dashboard(ctx=ctx)
    assert board.tables["workers_by_sex"].total.values["_total"] == 6
    assert len(board.daily) == 30


def test_every_indicator_is_defined(world, national_actor):
    keys = [i.key for i in all_indicators()]
    assert len(keys) == len(set(keys)) >= 14
    for indicator in all_indicators():
        assert str(indicator.counts) and str(indicator.source) and str(indicator.filters)
        assert str(indicator.unit) and indicator.period in ("stock", "flow")
        table = _table(national_actor, indicator.key)
        assert table.total is not None and table.columns


def test_a_repeated_dashboard_view_is_served_from_the_cache_per_scope(
    world, national_actor, sz_actor, django_assert_num_queries
):
    national = dashboard(ctx=indicator_context(actor=national_actor))
    with django_assert_num_queries(0):
        again = dashboard(ctx=indicator_context(actor=national_actor))
    assert (
        again.tables["workers_by_sex"].total.values
        == national.tables["workers_by_sex"].total.values
    )
    mine = dashboard(ctx=indicator_context(actor=sz_actor))
    assert mine.tables["workers_by_sex"].total.values["_total"] == 4
    assert national.tables["workers_by_sex"].total.values["_total"] == 6
