"""Hand-built records with known counts per indicator, in Shenzhen and Beijing."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from gongyou.accounts.policies import actor_for
from gongyou.cases.services import case_transition, claimant_record_outcome
from gongyou.cases.tests.factories import make_case
from gongyou.stations.services import visit_log
from gongyou.testing import make_national_id


@pytest.fixture
def world(admin_actor, worker_factory, station_factory, orgs):
    """Shenzhen: 4 workers (3 in Nanshan 440305, 1 in Futian 440304), a rest station with 5
    visits by 2 workers, one case resolved with 5,000 of 12,000 yuan recovered and one open.
    Beijing: 2 workers, a service station with 2 visits, one open case. A worker with a
    Shenzhen hukou working in Beijing counts in Beijing only."""
    sz = [
        worker_factory(name="张伟", national_id=make_national_id(sex="M")),
        worker_factory(name="李娜", national_id=make_national_id(sex="F")),
        worker_factory(name="王强", national_id=make_national_id(sex="M"), education=""),
        worker_factory(
            name="赵敏",
            national_id=make_national_id(sex="F", birth=dt.date(1970, 1, 5)),
            current_region="440304",
            hukou_region="440304",
            industry="manufacturing",
        ),
    ]
    bj = [
        worker_factory(
            name="刘洋",
            national_id=make_national_id(region="110105"),
            current_region="110105",
            hukou_region="130102",
        ),
        worker_factory(
            name="陈静",
            national_id=make_national_id(region="440305", sex="F"),
            current_region="110105",
            hukou_region="440305",  # a Shenzhen hukou: visible to Shenzhen, counted in Beijing
        ),
    ]
    rest = station_factory(name="南山驿站")
    service = station_factory(
        name="朝阳服务站",
        type="service_station",
        region="110105",
        address="北京市朝阳区1号",
        organisation=orgs["bj"].pk,
        latitude=39.9,
        longitude=116.4,
    )
    for worker, service_type in [
        (sz[0], "rest"),
        (sz[0], "drinking_water"),
        (sz[1], "rest"),
        (None, "rest"),
        (None, "phone_charging"),
    ]:
        visit_log(
            actor=admin_actor,
            station_id=rest.pk,
            service=service_type,
            worker_id=worker.pk if worker else None,
        )
    for worker in bj:
        visit_log(
            actor=admin_actor, station_id=service.pk, service="legal_aid", worker_id=worker.pk
        )
    resolved = make_case(actor=admin_actor, workers=[sz[0]])
    resolved = case_transition(
        actor=admin_actor,
        case=resolved,
        to_status="accepted",
        reason="受理",
        version=resolved.version,
    )
    resolved = case_transition(
        actor=admin_actor,
        case=resolved,
        to_status="resolved",
        reason="调解成功",
        version=resolved.version,
        resolution="mediated_agreement",
    )
    claimant = resolved.claimants.get()
    claimant_record_outcome(
        actor=admin_actor,
        case=resolved,
        claimant_id=claimant.pk,
        data={"amount_recovered": "5000", "outcome": "recovered_part"},
        version=resolved.version,
    )
    open_case = make_case(actor=admin_actor, workers=[sz[1]])
    bj_case = make_case(actor=admin_actor, workers=[bj[0]], region="110105")
    return SimpleNamespace(
        sz=sz,
        bj=bj,
        rest=rest,
        service=service,
        resolved=resolved,
        open_case=open_case,
        bj_case=bj_case,
        today=timezone.localdate(),
    )


@pytest.fixture
def sz_actor(make_user):
    return actor_for(make_user("analyst", org="sz"))


@pytest.fixture
def bj_actor(make_user):
    return actor_for(make_user("analyst", org="bj"))


@pytest.fixture
def national_actor(make_user):
    return actor_for(make_user("analyst", org="national"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard keeps figures in the cache; every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
