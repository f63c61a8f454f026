"""Data scope, proven for every list and detail route of the API, for every role.

Every role's user belongs to the Shenzhen federation (region 440300). In scope: a worker and a
station in Nanshan (440305). Out of scope: a worker and a station in Beijing. Station staff are
bound to the Nanshan station: even another Shenzhen station is out of their scope.
"""

import pytest

from gongyou.accounts.enums import Role
from gongyou.testing import api_client_for, make_national_id

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]


@pytest.fixture
def world(admin_actor, worker_factory, station_factory, orgs):
    from gongyou.stations.services import visit_log

    home = station_factory(name="南山驿站")
    sibling = station_factory(name="宝安驿站", region="440306")
    away = station_factory(
        name="朝阳驿站",
        region="110105",
        organisation=orgs["bj"].pk,
        latitude=39.92,
        longitude=116.44,
    )
    mine = worker_factory(current_region="440305", hukou_region="510104")
    theirs = worker_factory(
        current_region="110105",
        hukou_region="110105",
        national_id=make_national_id(region="110105"),
    )
    v_home, _ = visit_log(actor=admin_actor, station_id=home.pk, service="rest", worker_id=mine.pk)
    v_away, _ = visit_log(actor=admin_actor, station_id=away.pk, service="rest")
    v_sibling, _ = visit_log(actor=admin_actor, station_id=sibling.pk, service="rest")
    return {
        "home": home,
        "sibling": sibling,
        "away": away,
        "mine": mine,
        "theirs": theirs,
        "v_home": v_home,
        "v_away": v_away,
        "v_sibling": v_sibling,
    }


def client_for(role, make_user, world):
    station = world["home"] if role == Role.STATION_STAFF else None
    return api_client_for(make_user(role, org="sz", station=station))


def ids(res):
    assert res.status_code == 200, res.content
    return {item["id"] for item in res.json()["items"]}


@pytest.mark.parametrize("role", ROLES)
def test_worker_routes(role, make_user, world):
    c = client_for(role, make_user, world)
    mine, theirs = world["mine"].pk, world["theirs"].pk
    listed = ids(c.get("/api/v1/workers"))
    assert mine in listed and theirs not in listed
    for suffix in ("", "/certificates", "/timeline"):
        assert c.get(f"/api/v1/workers/{mine}{suffix}").status_code == 200
        assert c.get(f"/api/v1/workers/{theirs}{suffix}").status_code == 404
    assert (
        c.patch(
            f"/api/v1/workers/{theirs}", {"name": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        c.post(
            f"/api/v1/workers/{theirs}/reveal",
            {"fields": ["phone"]},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        c.get("/api/v1/workers", {"national_id": world["theirs"].national_id_masked}).json()[
            "count"
        ]
        == 0
    )


@pytest.mark.parametrize("role", ROLES)
def test_station_routes(role, make_user, world):
    c = client_for(role, make_user, world)
    listed = ids(c.get("/api/v1/stations"))
    near = ids(c.get("/api/v1/stations", {"near": "39.92,116.44"}))
    assert (
        world["home"].pk in listed
        and world["away"].pk not in listed
        and world["away"].pk not in near
    )
    sibling_visible = role != Role.STATION_STAFF
    assert (world["sibling"].pk in listed) is sibling_visible
    for suffix in ("", "/today"):
        assert c.get(f"/api/v1/stations/{world['home'].pk}{suffix}").status_code == 200
        assert c.get(f"/api/v1/stations/{world['away'].pk}{suffix}").status_code == 404
        assert c.get(f"/api/v1/stations/{world['sibling'].pk}{suffix}").status_code == (
            200 if sibling_visible else 404
        )


@pytest.mark.parametrize("role", ROLES)
def test_visit_routes(role, make_user, world):
    c = client_for(role, make_user, world)
    listed = ids(c.get("/api/v1/visits"))
    assert world["v_home"].pk in listed and world["v_away"].pk not in listed
    assert c.get(f"/api/v1/visits/{world['v_home'].pk}").status_code == 200
    assert c.get(f"/api/v1/visits/{world['v_away'].pk}").status_code == 404
    sibling_status = 404 if role == Role.STATION_STAFF else 200
    assert c.get(f"/api/v1/visits/{world['v_sibling'].pk}").status_code == sibling_status


@pytest.mark.parametrize("role", ROLES)
def test_organisation_and_token_routes(role, make_user, world, orgs):
    c = client_for(role, make_user, world)
    listed = ids(c.get("/api/v1/organisations"))
    assert (
        orgs["sz"].pk in listed
        and orgs["bj"].pk not in listed
        and orgs["national"].pk not in listed
    )
    tokens = c.get("/api/v1/tokens").json()["items"]
    assert all(t["user"].startswith("u") for t in tokens)


@pytest.fixture
def case_world(world, admin_actor):
    """Cases: taken in at the home station (Nanshan), at no station in Bao'an (another Shenzhen
    county), and in Beijing; employers in Nanshan, Bao'an and Beijing."""
    from gongyou.cases.tests.factories import make_case
    from gongyou.employers.tests.factories import make_employer

    e_home = make_employer(actor=admin_actor, region="440305")
    e_sibling = make_employer(actor=admin_actor, region="440306")
    e_away = make_employer(actor=admin_actor, region="110105")
    c_home = make_case(
        actor=admin_actor,
        workers=[world["mine"]],
        employers=[e_home],
        intake_station_id=world["home"].pk,
    )
    c_sibling = make_case(
        actor=admin_actor, workers=[world["mine"]], employers=[e_sibling], region="440306"
    )
    c_away = make_case(
        actor=admin_actor, workers=[world["theirs"]], employers=[e_away], region="110105"
    )
    return {
        "e_home": e_home,
        "e_sibling": e_sibling,
        "e_away": e_away,
        "c_home": c_home,
        "c_sibling": c_sibling,
        "c_away": c_away,
    }


CASE_READERS = {
    Role.STATION_STAFF,
    Role.CASE_HANDLER,
    Role.ANALYST,
    Role.ORG_ADMIN,
    Role.SYSTEM_ADMIN,
}


@pytest.mark.parametrize("role", ROLES)
def test_case_routes(role, make_user, world, case_world):
    """Station staff see their station's cases; programme and employment officers see none."""
    c = client_for(role, make_user, world)
    listed = ids(c.get("/api/v1/cases"))
    reads = role in CASE_READERS
    home, sibling, away = (case_world[k].pk for k in ("c_home", "c_sibling", "c_away"))
    sibling_visible = reads and role != Role.STATION_STAFF
    expected = {home} if reads else set()
    assert listed == (expected | {sibling} if sibling_visible else expected)
    assert c.get(f"/api/v1/cases/{home}").status_code == (200 if reads else 404)
    assert c.get(f"/api/v1/cases/{sibling}").status_code == (200 if sibling_visible else 404)
    assert c.get(f"/api/v1/cases/{away}").status_code == 404
    history = c.get(f"/api/v1/employers/{case_world['e_home'].pk}/cases")
    assert ids(history) == ({home} if reads else set())
    assert c.get(f"/api/v1/employers/{case_world['e_away'].pk}/cases").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_employer_routes(role, make_user, world, case_world):
    """Every role sees employers of its region subtree (station staff: the station's county)."""
    c = client_for(role, make_user, world)
    listed = ids(c.get("/api/v1/employers"))
    home, sibling, away = (case_world[k].pk for k in ("e_home", "e_sibling", "e_away"))
    sibling_visible = role != Role.STATION_STAFF
    assert home in listed and away not in listed
    assert (sibling in listed) is sibling_visible
    assert c.get(f"/api/v1/employers/{home}").status_code == 200
    assert c.get(f"/api/v1/employers/{away}").status_code == 404
    assert c.get(f"/api/v1/employers/{sibling}").status_code == (200 if sibling_visible else 404)


def test_national_scope_sees_everything(api, world):
    listed = ids(api.get("/api/v1/workers"))
    assert {world["mine"].pk, world["theirs"].pk} <= listed
    assert api.get(f"/api/v1/stations/{world['away'].pk}").status_code == 200


def page_client(role, make_user, world):
    from django.test import Client

    station = world["home"] if role == Role.STATION_STAFF else None
    c = Client()
    c.force_login(make_user(role, org="sz", station=station))
    return c


@pytest.mark.parametrize("role", ROLES)
def test_pages_in_and_out_of_scope(role, make_user, world):
    """Pages answer like the API: in scope 200 (or 403 when the role lacks the capability), out of scope 404."""
    c = page_client(role, make_user, world)
    mine, theirs = world["mine"].pk, world["theirs"].pk
    home, away = world["home"].pk, world["away"].pk
    for url in (
        f"/workers/{mine}/",
        f"/stations/{home}/",
        f"/stations/{home}/today/",
        f"/stations/worker/{mine}/visits/",
    ):
        assert c.get(url).status_code == 200, url
    for url in (
        f"/workers/{theirs}/",
        f"/workers/{theirs}/edit/",
        f"/stations/{away}/",
        f"/stations/{away}/today/",
        f"/stations/{away}/edit/",
        f"/stations/worker/{theirs}/visits/",
    ):
        assert c.get(url).status_code == 404, url
    assert (
        c.post(f"/workers/{theirs}/reveal/", {"field": "phone", "purpose": "x"}).status_code == 404
    )
    edit = c.get(f"/workers/{mine}/edit/").status_code
    assert edit == (403 if role == Role.ANALYST else 200)
    station_edit = c.get(f"/stations/{home}/edit/").status_code
    assert station_edit == (200 if role in (Role.ORG_ADMIN, Role.SYSTEM_ADMIN) else 403)


@pytest.mark.parametrize("role", ROLES)
def test_page_lists_show_only_scope(role, make_user, world):
    c = page_client(role, make_user, world)
    workers = c.get("/workers/", {"name": "张伟"}).content.decode()
    assert (
        f"/workers/{world['mine'].pk}/" in workers
        and f"/workers/{world['theirs'].pk}/" not in workers
    )
    stations = c.get("/stations/").content.decode()
    assert (
        f"/stations/{world['home'].pk}/" in stations
        and f"/stations/{world['away'].pk}/" not in stations
    )


def test_national_scope_sees_every_organisation(api, orgs):
    listed = ids(api.get("/api/v1/organisations"))
    assert {o.pk for o in orgs.values()} <= listed


INTAKE = {Role.STATION_STAFF, Role.CASE_HANDLER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}


@pytest.mark.parametrize("role", ROLES)
def test_case_and_employer_pages_in_and_out_of_scope(role, make_user, world, case_world):
    """The case and employer pages answer like their API routes."""
    c = page_client(role, make_user, world)
    reads = role in CASE_READERS
    home, sibling, away = (case_world[k].pk for k in ("c_home", "c_sibling", "c_away"))
    e_home, e_sibling, e_away = (case_world[k].pk for k in ("e_home", "e_sibling", "e_away"))
    for url in (
        "/cases/",
        "/cases/notifications/",
        "/employers/",
        f"/employers/{e_home}/",
        f"/cases/employer/{e_home}/",
    ):
        assert c.get(url).status_code == 200, url
    assert c.get(f"/cases/{home}/").status_code == (200 if reads else 404)
    sibling_visible = reads and role != Role.STATION_STAFF
    assert c.get(f"/cases/{sibling}/").status_code == (200 if sibling_visible else 404)
    for url in (f"/cases/{away}/", f"/employers/{e_away}/", f"/cases/employer/{e_away}/"):
        assert c.get(url).status_code == 404, url
    note = c.post(f"/cases/{away}/notes/", {"nt-text": "x"})
    assert note.status_code == 404
    sibling_employer = c.get(f"/employers/{e_sibling}/").status_code
    assert sibling_employer == (404 if role == Role.STATION_STAFF else 200)
    assert c.get("/cases/new/").status_code == (200 if role in INTAKE else 403)
    assert c.get("/employers/new/").status_code == (403 if role == Role.ANALYST else 200)
    queue = c.get("/cases/").content.decode()
    assert case_world["c_away"].reference not in queue
    assert (case_world["c_home"].reference in queue) is reads
