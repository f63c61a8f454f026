"""Employer pages: scope, search with the early-warning filter, register, the arrears flag."""

import pytest
from django.test import Client
from django.urls import reverse

from gongyou.employers.models import Employer
from gongyou.employers.tests.factories import make_credit_code, make_employer

pytestmark = pytest.mark.django_db


def client_as(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def handler(make_user):
    return make_user("case_handler")


@pytest.fixture
def home(admin_actor):
    return make_employer(actor=admin_actor, name="深圳市南山建筑劳务有限公司")


@pytest.fixture
def away(admin_actor):
    return make_employer(actor=admin_actor, name="北京朝阳建设有限公司", region="110105")


def test_pages_render_in_scope_and_404_out_of_scope(handler, home, away):
    c = client_as(handler)
    assert c.get(reverse("employers:list")).status_code == 200
    assert c.get(reverse("employers:new")).status_code == 200
    assert c.get(reverse("employers:detail", args=[home.pk])).status_code == 200
    assert c.get(reverse("employers:detail", args=[away.pk])).status_code == 404
    flag = {"flagged": "1", "reason": "x"}
    assert c.post(reverse("employers:flag", args=[away.pk]), flag).status_code == 404
    listed = c.get(reverse("employers:list")).content.decode()
    assert home.name in listed and away.name not in listed


def test_search_by_name_code_and_flag(handler, home, admin_actor):
    other = make_employer(actor=admin_actor, name="深圳市福田物业管理有限公司")
    c = client_as(handler)
    by_name = c.get(reverse("employers:list"), {"name": "南山"}).content.decode()
    assert home.name in by_name and other.name not in by_name
    spaced = " ".join(home.credit_code[i : i + 6] for i in range(0, 18, 6))
    by_code = c.get(reverse("employers:list"), {"credit_code": spaced}).content.decode()
    assert home.name in by_code and other.name not in by_code
    c.post(reverse("employers:flag", args=[other.pk]), {"flagged": "1", "reason": "连续欠薪"})
    flagged = c.get(
        reverse("employers:list"), {"flagged": "on"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert other.name in flagged and home.name not in flagged and "<html" not in flagged


def test_register_with_a_bad_check_character_shows_the_problem(handler):
    good = make_credit_code()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    res = client_as(handler).post(
        reverse("employers:new"), {"name": "某公司", "credit_code": bad, "region": "440305"}
    )
    html = res.content.decode()
    assert res.status_code == 200
    assert "does not match the check character" in html
    assert not Employer.objects.exists()
    res = client_as(handler).post(
        reverse("employers:new"), {"name": "", "credit_code": "91440300ABC", "region": ""}
    )
    html = res.content.decode()
    assert "18 characters; this one has 11" in html and "Enter the employer" in html


def test_register_ok_and_duplicate(handler):
    code = make_credit_code()
    c = client_as(handler)
    res = c.post(
        reverse("employers:new"),
        {"name": "深圳某劳务公司", "credit_code": code.lower(), "region": "440305"},
    )
    employer = Employer.objects.get()
    assert res.status_code == 302 and res.url == reverse("employers:detail", args=[employer.pk])
    assert employer.credit_code == code
    again = c.post(
        reverse("employers:new"), {"name": "重复", "credit_code": code, "region": "440305"}
    ).content.decode()
    assert reverse("employers:detail", args=[employer.pk]) in again
    assert Employer.objects.count() == 1


def test_flag_and_clear_by_handler_forbidden_to_station_staff(
    handler, home, make_user, station_factory
):
    c = client_as(handler)
    assert c.post(reverse("employers:flag", args=[home.pk]), {"flagged": "1"}).status_code == 200
    home.refresh_from_db()
    assert not home.arrears_flagged  # a reason is required
    res = c.post(reverse("employers:flag", args=[home.pk]), {"flagged": "1", "reason": "集体欠薪"})
    assert res.status_code == 302
    home.refresh_from_db()
    assert home.arrears_flagged and home.arrears_flag_reason == "集体欠薪"
    html = c.get(reverse("employers:detail", args=[home.pk])).content.decode()
    assert "集体欠薪" in html and "Clear the flag" in html
    c.post(reverse("employers:flag", args=[home.pk]), {"flagged": "0", "reason": "已结清"})
    home.refresh_from_db()
    assert not home.arrears_flagged
    desk = client_as(make_user("station_staff", station=station_factory()))
    res = desk.post(reverse("employers:flag", args=[home.pk]), {"flagged": "1", "reason": "x"})
    assert res.status_code == 403


def test_analysts_cannot_register(make_user):
    assert client_as(make_user("analyst")).get(reverse("employers:new")).status_code == 403
