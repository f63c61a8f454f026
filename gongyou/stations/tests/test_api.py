import datetime as dt
import uuid

import pytest
from django.utils import timezone

from gongyou.core.models import AuditEvent
from gongyou.stations.models import Visit
from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db


def post(client, path, body, **headers):
    return client.post(path, body, content_type="application/json", headers=headers)


def test_service_types_list_the_codes(api):
    codes = {s["code"] for s in api.get("/api/v1/service-types").json()}
    assert {
        "rest",
        "drinking_water",
        "phone_charging",
        "meal_heating",
        "consultation",
        "legal_aid",
        "job_referral",
        "training_signup",
        "psychological_support",
    } <= codes


def test_create_and_get_station(api, orgs):
    res = post(
        api,
        "/api/v1/stations",
        {
            "name": "福田区外卖骑手驿站",
            "type": "rest_station",
            "organisation": orgs["sz"].pk,
            "region": "440304",
            "address": "福田区深南大道1号",
            "latitude": 22.54,
            "longitude": 114.05,
        },
    )
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["code"].startswith("ST440304-") and "drinking_water" in body["services"]
    assert api.get(f"/api/v1/stations/{body['id']}").json()["name"] == "福田区外卖骑手驿站"


def test_create_station_names_every_bad_field(api):
    res = post(
        api,
        "/api/v1/stations",
        {"type": "spa", "region": "1", "latitude": 99, "services": ["massage"]},
    )
    assert res.status_code == 422
    assert {"name", "type", "region", "organisation", "address", "latitude", "services"} <= set(
        res.json()["fields"]
    )


def test_near_orders_by_distance(api, station_factory):
    far = station_factory(name="远", latitude=22.70, longitude=114.20)
    near = station_factory(name="近", latitude=22.541, longitude=113.951)
    mid = station_factory(name="中", latitude=22.56, longitude=113.99)
    res = api.get("/api/v1/stations", {"near": "22.54,113.95"}).json()
    assert [s["id"] for s in res["items"]] == [near.pk, mid.pk, far.pk]
    assert (
        res["items"][0]["distance_km"]
        < res["items"][1]["distance_km"]
        < res["items"][2]["distance_km"]
    )
    assert 0 < res["items"][0]["distance_km"] < 0.2
    assert (
        api.get("/api/v1/stations", {"near": "north"}).json()["fields"]["near"]["code"]
        == "invalid_format"
    )


def test_log_visit_and_idempotent_retry(api, station_factory, worker_factory):
    station = station_factory()
    worker = worker_factory()
    key = str(uuid.uuid4())
    first = post(
        api,
        "/api/v1/visits",
        {"station_id": station.pk, "service": "rest", "worker_id": worker.pk},
        **{"Idempotency-Key": key},
    )
    assert first.status_code == 201, first.content
    again = post(
        api,
        "/api/v1/visits",
        {"station_id": station.pk, "service": "rest", "worker_id": worker.pk},
        **{"Idempotency-Key": key},
    )
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Visit.objects.count() == 1
    assert AuditEvent.objects.filter(action="visit.log").count() == 1
    clash = post(
        api,
        "/api/v1/visits",
        {"station_id": station.pk, "service": "drinking_water"},
        **{"Idempotency-Key": key},
    )
    assert clash.status_code == 409 and clash.json()["code"] == "idempotency_key_reused"
    anonymous = post(api, "/api/v1/visits", {"station_id": station.pk, "service": "drinking_water"})
    assert anonymous.status_code == 201 and anonymous.json()["worker_id"] is None


def test_unknown_service_is_422_naming_service(api, station_factory):
    station = station_factory()
    res = post(api, "/api/v1/visits", {"station_id": station.pk, "service": "karaoke"})
    assert res.status_code == 422 and set(res.json()["fields"]) == {"service"}
    res = post(
        api, "/api/v1/visits", {"station_id": station.pk, "service": "legal_aid"}
    )  # not offered by a rest station
    assert res.json()["fields"]["service"]["code"] == "not_offered"
    res = post(api, "/api/v1/visits", {"service": "rest", "worker_id": 10**9, "at": "yesterday"})
    assert set(res.json()["fields"]) == {"station_id", "worker_id", "at"}
    assert Visit.objects.count() == 0


def test_visit_time_bounds(api, station_factory):
    station = station_factory()
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert (
        post(
            api, "/api/v1/visits", {"station_id": station.pk, "service": "rest", "at": future}
        ).json()["fields"]["at"]["code"]
        == "in_future"
    )
    earlier = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    assert (
        post(
            api, "/api/v1/visits", {"station_id": station.pk, "service": "rest", "at": earlier}
        ).status_code
        == 201
    )


def test_list_visits_with_filters_and_today(api, station_factory):
    a, b = station_factory(), station_factory(name="另一个驿站")
    for service in ("rest", "rest", "drinking_water"):
        post(api, "/api/v1/visits", {"station_id": a.pk, "service": service})
    post(api, "/api/v1/visits", {"station_id": b.pk, "service": "rest"})
    assert api.get("/api/v1/visits", {"station_id": a.pk}).json()["count"] == 3
    assert api.get("/api/v1/visits", {"service": "rest"}).json()["count"] == 3
    assert (
        api.get("/api/v1/visits", {"date": timezone.localdate().isoformat()}).json()["count"] == 4
    )
    today = api.get(f"/api/v1/stations/{a.pk}/today").json()
    assert today["total"] == 3 and today["counts"] == {"rest": 2, "drinking_water": 1}


def test_station_staff_log_only_at_their_station(station_factory, make_user):
    mine, other = station_factory(), station_factory(name="别的驿站")
    desk = api_client_for(make_user("station_staff", station=mine))
    assert (
        post(desk, "/api/v1/visits", {"station_id": mine.pk, "service": "rest"}).status_code == 201
    )
    res = post(desk, "/api/v1/visits", {"station_id": other.pk, "service": "rest"})
    assert (
        res.status_code == 422 and res.json()["fields"]["station_id"]["code"] == "unknown_station"
    )
    assert desk.get(f"/api/v1/stations/{other.pk}").status_code == 404
    assert desk.get("/api/v1/stations").json()["count"] == 1


def test_analyst_cannot_log_visits(station_factory, make_user):
    station = station_factory()
    analyst = api_client_for(make_user("analyst"))
    assert (
        post(analyst, "/api/v1/visits", {"station_id": station.pk, "service": "rest"}).status_code
        == 403
    )
