"""Station pages: list and near-me, detail and today's counts, create/edit, front desk, worker visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongyou.accounts.policies import actor_for
from gongyou.stations.models import Station, Visit
from gongyou.stations.services import visit_log
from gongyou.testing import make_national_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def sz_station(station_factory):
    return station_factory(name="南山驿站", address="南山区科技园", opening_hours="8:00–20:00")


@pytest.fixture
def bj_station(station_factory, orgs):
    return station_factory(
        name="朝阳服务站",
        type="service_station",
        organisation=orgs["bj"].pk,
        region="110105",
        address="朝阳区",
        latitude=39.92,
        longitude=116.44,
    )


@pytest.fixture
def sz_worker(worker_factory):
    # 440305 19850315 013 + check character: a man born 1985-03-15 in Nanshan
    return worker_factory(
        national_id=make_national_id(birth=dt.date(1985, 3, 15), seq=6),
        name="张伟",
        phone="13812345678",
        hukou_region="440305",
        current_region="440305",
    )


@pytest.fixture
def staff(make_user, sz_station):
    return make_user("station_staff", station=sz_station)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- list -----------------------------------------------------------------------------------


def test_list_shows_stations_in_scope(make_user, sz_station, bj_station):
    response = client_for(make_user("case_handler")).get(reverse("stations:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "南山驿站" in body and sz_station.code in body and "朝阳服务站" not in body
    # the region label (not only the header's "深圳市总工会", the user's organisation)
    assert "深圳" in body and "广东省 深圳市 南山区" in body


def test_list_filters_and_htmx_partial(make_user, sz_station):
    client = client_for(make_user("case_handler"))
    response = client.get(
        reverse("stations:list"), {"type": "service_station"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "南山驿站" not in body
    assert (
        "南山驿站"
        in client.get(
            reverse("stations:list"), {"service": "phone_charging", "q": "南山"}
        ).content.decode()
    )


def test_list_near_me_lists_nearest_first_with_distance(admin, sz_station, bj_station):
    response = client_for(admin).get(reverse("stations:list"), {"lat": "22.55", "lng": "113.94"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r[0] for r in rows] == [sz_station]  # Beijing is beyond 500 km
    assert rows[0][3] < 2


# --- detail ---------------------------------------------------------------------------------


def test_detail_shows_today_and_auto_refreshes(make_user, sz_station, staff):
    visit_log(actor=actor_for(staff), station_id=sz_station.pk, service="drinking_water")
    response = client_for(make_user("case_handler")).get(
        reverse("stations:detail", args=[sz_station.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        'hx-trigger="every 30s"' in body and reverse("stations:today", args=[sz_station.pk]) in body
    )
    assert ("Drinking water", 1) in response.context["service_counts"]
    assert reverse("stations:edit", args=[sz_station.pk]) not in body


def test_today_partial(make_user, sz_station):
    response = client_for(make_user("case_handler")).get(
        reverse("stations:today", args=[sz_station.pk])
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()


@pytest.mark.parametrize("name", ["stations:detail", "stations:edit", "stations:today"])
def test_station_outside_the_region_is_not_found(make_user, bj_station, name):
    assert (
        client_for(make_user("org_admin")).get(reverse(name, args=[bj_station.pk])).status_code
        == 404
    )


def test_station_staff_see_only_their_station(staff, sz_station, station_factory):
    other = station_factory(name="西丽驿站", address="西丽")
    client = client_for(staff)
    assert client.get(reverse("stations:detail", args=[sz_station.pk])).status_code == 200
    assert client.get(reverse("stations:detail", args=[other.pk])).status_code == 404


# --- create / edit --------------------------------------------------------------------------


def test_create_station(make_user, orgs):
    client = client_for(make_user("org_admin"))
    assert client.get(reverse("stations:create")).status_code == 200
    bad = client.post(
        reverse("stations:create"), {"name": "", "type": "", "region": "110105", "address": ""}
    )
    assert bad.status_code == 200
    assert {"name", "type", "region", "address"} <= set(bad.context["form"].errors)
    response = client.post(
        reverse("stations:create"),
        {
            "name": "蛇口服务站",
            "type": "legal_aid_point",
            "organisation": orgs["sz"].pk,
            "region": "440305",
            "address": "蛇口",
            "latitude": "22.48",
            "longitude": "113.91",
        },
    )
    station = Station.objects.get(name="蛇口服务站")
    assert response.status_code == 302 and response["Location"] == reverse(
        "stations:detail", args=[station.pk]
    )
    assert station.services == ["consultation", "legal_aid", "other"]  # the type's defaults


def test_create_is_forbidden_without_manage_rights(make_user):
    assert client_for(make_user("case_handler")).get(reverse("stations:create")).status_code == 403


def test_edit_station_changes_only_what_changed(make_user, sz_station):
    client = client_for(make_user("org_admin"))
    page = client.get(reverse("stations:edit", args=[sz_station.pk]))
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v not in (None, False)}
    data |= {"opening_hours": "全天", "services": ["rest", "toilet"], "is_active": "on"}
    response = client.post(reverse("stations:edit", args=[sz_station.pk]), data)
    assert response.status_code == 302
    sz_station.refresh_from_db()
    assert sz_station.opening_hours == "全天" and sz_station.services == ["rest", "toilet"]


# --- front desk -----------------------------------------------------------------------------


def test_front_desk_renders_for_station_staff(staff, sz_station):
    response = client_for(staff).get(reverse("stations:front_desk"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "autofocus" in body and 'name="idempotency_key"' in body and "js/front_desk.js" in body
    assert "<kbd>1</kbd>" in body and 'data-key="1"' in body
    assert "no-cache" in response["Cache-Control"]


def test_front_desk_is_forbidden_for_case_handlers(make_user):
    assert (
        client_for(make_user("case_handler")).get(reverse("stations:front_desk")).status_code == 403
    )


def test_front_desk_logs_one_visit_and_ignores_a_repeated_key(staff, sz_station, sz_worker):
    client = client_for(staff)
    key = client.get(reverse("stations:front_desk")).context["idempotency_key"]
    data = {"idempotency_key": key, "service": "rest", "worker_id": sz_worker.pk, "q": ""}
    first = client.post(reverse("stations:front_desk_log"), data, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    body = first.content.decode()
    assert "<html" not in body and "张伟" in body and "Saved" in body
    assert first.context["idempotency_key"] != key  # a fresh key for the next visitor
    again = client.post(reverse("stations:front_desk_log"), data, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and "Already saved" in again.content.decode()
    visit = Visit.objects.get()
    assert visit.worker == sz_worker and visit.station == sz_station and visit.staff == staff
    assert ("Rest", 1) in again.context["service_counts"]


def test_front_desk_anonymous_visit_and_errors(staff, sz_station):
    client = client_for(staff)
    ok = client.post(
        reverse("stations:front_desk_log"), {"idempotency_key": "k-1", "service": "toilet"}
    )
    assert ok.status_code == 200 and Visit.objects.get().worker is None
    bad = client.post(
        reverse("stations:front_desk_log"),
        {"idempotency_key": "k-2", "service": "legal_aid"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 200 and bad.context["error"].fields["service"]
    assert Visit.objects.count() == 1


def test_front_desk_search(staff, sz_worker):
    client = client_for(staff)
    by_phone = client.post(
        reverse("stations:front_desk_search"), {"q": "138 1234 5678"}, HTTP_HX_REQUEST="true"
    )
    assert (
        by_phone.status_code == 200
        and f'data-worker-id="{sz_worker.pk}"' in by_phone.content.decode()
    )
    by_name = client.post(reverse("stations:front_desk_search"), {"q": "张"}).content.decode()
    assert 'data-q="张"' in by_name and "张伟" in by_name
    partial = client.post(reverse("stations:front_desk_search"), {"q": "1381"}).content.decode()
    assert "Keep typing" in partial and "data-worker-id" not in partial


def test_front_desk_without_javascript_can_pick_a_worker(staff, sz_worker):
    response = client_for(staff).post(
        reverse("stations:front_desk_log"), {"pick": sz_worker.pk, "idempotency_key": "k"}
    )
    assert response.status_code == 200 and response.context["worker_id"] == sz_worker.pk
    assert not Visit.objects.exists()


def test_front_desk_station_picker_for_admins(make_user, sz_station):
    client = client_for(make_user("org_admin"))
    picker = client.get(reverse("stations:front_desk"))
    assert picker.status_code == 200 and "南山驿站" in picker.content.decode()
    assert (
        client.post(reverse("stations:front_desk_choose"), {"station": sz_station.pk}).status_code
        == 302
    )
    desk = client.get(reverse("stations:front_desk"))
    assert desk.context["station"] == sz_station
    response = client.post(
        reverse("stations:front_desk_log"), {"idempotency_key": "admin-1", "service": "rest"}
    )
    assert response.status_code == 200 and Visit.objects.get().station == sz_station


def test_front_desk_picker_refuses_stations_outside_the_region(make_user, bj_station):
    client = client_for(make_user("org_admin"))
    assert (
        client.post(reverse("stations:front_desk_choose"), {"station": bj_station.pk}).status_code
        == 404
    )


# --- a worker's visits (loaded into the worker page) -----------------------------------------


def test_worker_visits_partial(make_user, staff, sz_station, sz_worker):
    visit_log(
        actor=actor_for(staff), station_id=sz_station.pk, service="rest", worker_id=sz_worker.pk
    )
    response = client_for(make_user("case_handler")).get(
        reverse("stations:worker_visits", args=[sz_worker.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "南山驿站" in body


def test_worker_visits_outside_the_region_is_not_found(make_user, sz_worker):
    response = client_for(make_user("case_handler", org="bj")).get(
        reverse("stations:worker_visits", args=[sz_worker.pk])
    )
    assert response.status_code == 404
