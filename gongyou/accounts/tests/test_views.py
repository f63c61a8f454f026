import pytest
from django.test import Client

from gongyou.accounts.models import Organisation, User
from gongyou.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def logged_in(user):
    c = Client()
    c.force_login(user)
    return c


def test_org_admin_creates_and_edits_users_in_their_area(make_user, orgs, station_factory):
    admin = make_user("org_admin", org="sz")
    station = station_factory()
    c = logged_in(admin)
    assert c.get("/accounts/users/").status_code == 200
    bad = c.post(
        "/accounts/users/new/",
        {"username": "", "roles": [], "organisation": orgs["sz"].pk, "password": "123"},
    )
    assert bad.status_code == 200 and User.objects.filter(username="").count() == 0
    html = bad.content.decode()
    assert 'class="error"' in html
    res = c.post(
        "/accounts/users/new/",
        {
            "username": "desk2",
            "roles": ["station_staff"],
            "organisation": orgs["sz"].pk,
            "station": station.pk,
            "password": "a-good-long-password",
            "is_active": "on",
        },
    )
    assert res.status_code == 302, res.content.decode()[:2000]
    desk = User.objects.get(username="desk2")
    assert desk.station == station and desk.check_password("a-good-long-password")
    res = c.post(
        f"/accounts/users/{desk.pk}/",
        {
            "roles": ["station_staff", "case_handler"],
            "organisation": orgs["sz"].pk,
            "station": station.pk,
            "is_active": "on",
        },
    )
    assert res.status_code == 302
    desk.refresh_from_db()
    assert desk.roles == ["case_handler", "station_staff"]
    assert AuditEvent.objects.filter(action="user.update", entity_id=str(desk.pk)).exists()
    outsider = make_user("case_handler", org="bj")
    assert c.get(f"/accounts/users/{outsider.pk}/").status_code == 404


def test_org_admin_cannot_grant_system_admin_or_use_outside_org(make_user, orgs):
    c = logged_in(make_user("org_admin", org="sz"))
    res = c.post(
        "/accounts/users/new/",
        {"username": "boss", "roles": ["system_admin"], "organisation": orgs["sz"].pk},
    )
    assert res.status_code == 200 and not User.objects.filter(username="boss").exists()
    res = c.post(
        "/accounts/users/new/",
        {"username": "spy", "roles": ["analyst"], "organisation": orgs["bj"].pk},
    )
    assert not User.objects.filter(username="spy").exists()


def test_non_admins_cannot_manage_users(make_user):
    c = logged_in(make_user("case_handler"))
    assert c.get("/accounts/users/").status_code == 403
    assert c.get("/accounts/users/new/").status_code == 403


def test_organisations_page_creates_child_orgs(make_user, orgs):
    c = logged_in(make_user("org_admin", org="sz"))
    res = c.post(
        "/accounts/organisations/",
        {
            "name": "南山区总工会",
            "kind": "district_federation",
            "parent": orgs["sz"].pk,
            "region": "440305",
        },
    )
    assert res.status_code == 302
    assert Organisation.objects.get(name="南山区总工会").region_id == "440305"
    res = c.post(
        "/accounts/organisations/",
        {"name": "朝阳区总工会", "kind": "district_federation", "region": "110105"},
    )
    assert res.status_code == 200 and not Organisation.objects.filter(name="朝阳区总工会").exists()
    assert "南山区总工会" in c.get("/accounts/organisations/").content.decode()


def test_tokens_page(make_user):
    c = logged_in(make_user("analyst"))
    res = c.post("/accounts/tokens/", {"name": "my script"})
    assert res.status_code == 200 and "gy_" in res.content.decode()
