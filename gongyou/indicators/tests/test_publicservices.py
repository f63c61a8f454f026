"""Public-service and integration indicators against hand-built records with known values.

Shenzhen: three workers (two born 1990, one born 1970) in Nanshan; a legal-aid service open to
all and a rental-housing service for people up to 40; four referrals; two activities. Beijing:
one worker, an open-to-all service with one referral, one activity. Records are made through
gongyou.publicservices' services."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.indicators.selectors import indicator_context, indicator_get, indicator_table
from gongyou.publicservices import services
from gongyou.testing import make_national_id

pytestmark = pytest.mark.django_db


def _publish(actor, city, kind, **fields):
    service = services.service_create(actor=actor, city=city, kind=kind, name=f"测试 {kind}")
    version = services.service_version_create(
        actor=actor,
        service=service,
        data={"effective_from": "2024-01-01", "source": "测试", "trust": "V", **fields},
    )
    services.service_version_transition(
        actor=actor, version=version, to_status="published", expected_version=1
    )
    return service


def _table(actor, key, region=None, **period):
    ctx = indicator_context(actor=actor, region=region, **period)
    return indicator_table(ctx=ctx, indicator=indicator_get(actor=actor, key=key))


def _rows(table):
    return {row.key: row.values for row in table.rows}


@pytest.fixture
def people(worker_factory):
    return {
        "w1": worker_factory(name="张伟"),
        "w2": worker_factory(
            name="李娜", national_id=make_national_id(birth=dt.date(1970, 1, 5), sex="F")
        ),
        "w3": worker_factory(name="王强"),
        "bj": worker_factory(
            name="刘洋",
            national_id=make_national_id(region="110105"),
            current_region="110105",
            hukou_region="130102",
        ),
    }


@pytest.fixture
def referrals(admin_actor, people):
    legal = _publish(admin_actor, "440300", "legal_aid", open_to_all=True)
    housing = _publish(
        admin_actor,
        "440300",
        "public_rental_housing",
        conditions=[{"type": "age", "max_age": 40}],
        department_name="深圳市住房和建设局",
    )
    bj_medical = _publish(admin_actor, "110100", "employment_services", open_to_all=True)

    def refer(worker, service, to=None, reason=""):
        r = services.referral_create(actor=admin_actor, worker=worker, service_id=service.pk)
        if to:
            services.referral_transition(
                actor=admin_actor, referral=r, to_status=to, reason=reason, expected_version=1
            )

    refer(people["w1"], legal, "granted")
    refer(people["w2"], legal, "refused", reason="材料不全")
    refer(people["w3"], housing, "pending")
    refer(people["bj"], bj_medical)
    return {"legal": legal, "housing": housing}


def test_referrals_by_region_and_service(referrals, admin_actor, make_user):
    from gongyou.accounts.policies import actor_for

    table = _table(admin_actor, "public_service_referrals")
    assert table.total.values == {
        "made": 4,
        "granted": 1,
        "refused": 1,
        "open": 2,
        "withdrawn": 0,
        "granted_pct": 25.0,
    }
    rows = _rows(table)
    assert rows["440000"]["made"] == 3 and rows["440000"]["granted_pct"] == 33.3
    assert rows["110000"] == {
        "made": 1,
        "granted": 0,
        "refused": 0,
        "open": 1,
        "withdrawn": 0,
        "granted_pct": 0.0,
    }
    by_service = _rows(_table(admin_actor, "public_service_referrals_by_service"))
    assert by_service["legal_aid"]["made"] == 2 and by_service["legal_aid"]["granted_pct"] == 50.0
    assert by_service["public_rental_housing"]["open"] == 1
    assert by_service["employment_services"]["made"] == 1
    # A Shenzhen analyst sees Shenzhen's three; a period before them counts none.
    sz = actor_for(make_user("analyst", org="sz"))
    assert _table(sz, "public_service_referrals").total.values["made"] == 3
    old = _table(
        admin_actor,
        "public_service_referrals",
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 12, 31),
    )
    assert old.total.values["made"] == 0 and old.total.values["granted_pct"] is None


def test_services_usable_in_a_city(referrals, admin_actor):
    table = _table(admin_actor, "public_services_usable", region="440300")
    rows = {row.label: row.values for row in table.rows}
    assert rows["测试 legal_aid"] == {"workers": 3, "usable": 3, "share": 100.0}
    # Up to 40: the two born in 1990 can, the one born in 1970 cannot → 2 of 3.
    assert rows["测试 public_rental_housing"] == {"workers": 3, "usable": 2, "share": 66.7}
    assert table.total.values == {"workers": 3, "usable": None, "share": None}
    unrecorded = [label for label in rows if "conditions not recorded" in label]
    assert unrecorded and all(rows[label]["usable"] == 0 for label in unrecorded)
    # A county is computed for its city; the whole country is not computed.
    county = _table(admin_actor, "public_services_usable", region="440305")
    assert "深圳市" in county.note and len(county.rows) == len(table.rows)
    national = _table(admin_actor, "public_services_usable")
    assert national.rows == [] and "Choose a city" in national.note


@pytest.fixture
def activities(admin_actor, people):
    from gongyou.publicservices.tests.conftest import activity_data

    def make(**fields):
        a = services.activity_create(actor=admin_actor, data=activity_data(**fields))
        return services.activity_transition(
            actor=admin_actor, activity=a, to_status="open", expected_version=1
        )

    def register(activity, worker):
        return services.registration_create(
            actor=admin_actor, activity=activity, worker_id=worker.pk
        )

    def close(activity):
        return services.activity_transition(
            actor=admin_actor, activity=activity, to_status="closed", expected_version=2
        )

    def mark(activity, reg, status, rating=None):
        later = activity.starts_at + dt.timedelta(hours=1)
        reg = services.registration_transition(
            actor=admin_actor, registration=reg, to_status=status, expected_version=1, now=later
        )
        if rating:
            services.registration_feedback(actor=admin_actor, registration=reg, rating=rating)

    # Nanshan cultural event, 2 places: w1 attended (rated 4), w2 absent, w3 still waiting.
    a1 = make(places=2)
    r1, r2, _r3 = (register(a1, people[k]) for k in ("w1", "w2", "w3"))
    a1 = close(a1)
    mark(a1, r1, "attended", rating=4)
    mark(a1, r2, "absent")
    # Futian family day: w1 registered and cancelled (not counted), w2 registered.
    a2 = make(kind="family_day", region="440304", places=5)
    cancelled = register(a2, people["w1"])
    services.registration_transition(
        actor=admin_actor, registration=cancelled, to_status="cancelled", expected_version=1
    )
    register(a2, people["w2"])
    # Beijing orientation: the Beijing worker attended and rated it 2.
    a3 = make(kind="city_orientation", region="110105", places=10)
    r = register(a3, people["bj"])
    a3 = close(a3)
    mark(a3, r, "attended", rating=2)


def _period():
    today = timezone.localdate()
    return {"start": today, "end": today + dt.timedelta(days=10)}


def test_activity_participation(activities, admin_actor):
    table = _table(admin_actor, "integration_activity_participation", **_period())
    assert table.total.values == {
        "activities": 3,
        "registrations": 5,
        "people": 4,
        "attended": 2,
        "absent": 1,
        "waiting": 1,
        "attendance_pct": 66.7,
        "rating": 3.0,
    }
    rows = _rows(table)
    assert rows["440000"]["registrations"] == 4 and rows["440000"]["attendance_pct"] == 50.0
    assert rows["110000"]["rating"] == 2.0
    city = _rows(_table(admin_actor, "integration_activity_participation", "440300", **_period()))
    assert city["440304"]["registrations"] == 1 and city["440304"]["attendance_pct"] is None
    assert city["440305"]["registrations"] == 3 and city["440305"]["rating"] == 4.0
    kinds = _rows(_table(admin_actor, "integration_activity_by_kind", **_period()))
    assert {k: v["registrations"] for k, v in kinds.items()} == {
        "cultural_event": 3,
        "family_day": 1,
        "city_orientation": 1,
    }
    # Activities starting outside the period are not counted.
    past = _table(
        admin_actor,
        "integration_activity_participation",
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 12, 31),
    )
    assert past.total.values["registrations"] == 0


def test_case_handlers_cannot_see_these_indicators(make_user):
    from gongyou.accounts.policies import actor_for
    from gongyou.indicators.selectors import indicator_list

    desk = actor_for(make_user("case_handler", org="sz"))
    keys = {i.key for i in indicator_list(actor=desk)}
    assert not keys & {
        "public_service_referrals",
        "public_services_usable",
        "integration_activity_participation",
    }
