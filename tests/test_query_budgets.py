"""Query budgets on the hot paths and lists: they must not grow with the number of rows."""

import uuid

import pytest

from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db


def test_visit_logging_budget(
    station_factory, worker_factory, make_user, django_assert_max_num_queries
):
    station = station_factory()
    worker = worker_factory()
    desk = api_client_for(make_user("station_staff", station=station))
    desk.get("/api/v1/service-types")  # token's last_used_at is written at most once a minute
    body = {"station_id": station.pk, "service": "rest", "worker_id": worker.pk}
    # token+user+org+station (uncached in tests), station, worker, savepoint, insert, audit, release
    with django_assert_max_num_queries(7):
        res = desk.post(
            "/api/v1/visits",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    assert res.status_code == 201


@pytest.mark.parametrize("n", [3, 30])
def test_worker_list_budget(n, api, worker_factory, django_assert_max_num_queries):
    for _ in range(n):
        worker_factory()
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/workers", {"limit": 50}).json()["count"] == n


@pytest.mark.parametrize("n", [3, 30])
def test_visit_and_station_list_budget(
    n, api, station_factory, admin_actor, django_assert_max_num_queries
):
    from gongyou.stations.services import visit_log

    for i in range(n):
        station = station_factory(name=f"驿站{i}")
        visit_log(actor=admin_actor, station_id=station.pk, service="rest")
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/visits", {"limit": 50}).json()["count"] == n
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/stations", {"limit": 50}).json()["count"] == n


def test_lookup_by_id_budget(api, worker_factory, django_assert_max_num_queries):
    worker = worker_factory(national_id="11010519491231002X")
    api.get("/api/v1/service-types")  # first use of the token records last_used_at
    # token+user, count, page
    with django_assert_max_num_queries(3):
        res = api.get("/api/v1/workers", {"national_id": "11010519491231002x"}).json()
    assert res["items"][0]["id"] == worker.pk


@pytest.mark.parametrize("n", [3, 30])
def test_case_queue_budget(n, api, admin_actor, worker_factory, django_assert_max_num_queries):
    from gongyou.cases.tests.factories import make_case

    worker = worker_factory()
    for _ in range(n):
        make_case(actor=admin_actor, workers=[worker], infringement_known_on="2026-11-01")
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/cases", {"limit": 50}).json()["count"] == n
