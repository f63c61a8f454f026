import pytest

from gongyou.core.models import AuditEvent
from gongyou.employers.tests.factories import make_credit_code, make_employer

pytestmark = pytest.mark.django_db


def post(c, path, body):
    return c.post(path, body, content_type="application/json")


def test_create_employer_normalises_the_code_and_audits(api):
    res = post(
        api,
        "/api/v1/employers",
        {"name": "华为技术有限公司", "credit_code": "9144 0300 1922 0382 16", "region": "440307"},
    )
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["credit_code"] == "914403001922038216" and body["arrears_flagged"] is False
    assert AuditEvent.objects.filter(action="employer.register", entity_id=str(body["id"])).exists()


def test_every_bad_field_is_named(api):
    res = post(
        api,
        "/api/v1/employers",
        {
            "credit_code": "914403001922038217",
            "region": "999999",
            "industry": "x",
            "size_class": "y",
        },
    )
    assert res.status_code == 422
    fields = res.json()["fields"]
    assert set(fields) == {"name", "credit_code", "region", "industry", "size_class"}
    assert fields["credit_code"]["code"] == "invalid_check_character"


def test_duplicate_code_is_409_naming_the_holder(api, admin_actor):
    existing = make_employer(actor=admin_actor)
    res = post(
        api,
        "/api/v1/employers",
        {"name": "另一家", "credit_code": existing.credit_code.lower(), "region": "440305"},
    )
    assert res.status_code == 409
    assert res.json()["existing_employer"]["id"] == existing.pk


def test_region_outside_scope_is_refused(make_user):
    from gongyou.testing import api_client_for

    c = api_client_for(make_user("case_handler", org="sz"))
    res = post(c, "/api/v1/employers", {"name": "北京某公司", "region": "110105"})
    assert res.status_code == 422 and res.json()["fields"]["region"]["code"] == "out_of_scope"


def test_filters(api, admin_actor):
    a = make_employer(actor=admin_actor, name="甲建筑公司", region="440305")
    b = make_employer(actor=admin_actor, name="乙物流公司", region="110105", industry="transport")
    from gongyou.employers.services import employer_set_arrears_flag

    employer_set_arrears_flag(actor=admin_actor, employer=b, flagged=True, reason="测试")

    def ids(**params):
        return {e["id"] for e in api.get("/api/v1/employers", params).json()["items"]}

    assert ids(name="建筑") == {a.pk}
    assert ids(credit_code=a.credit_code.lower()) == {a.pk}
    assert ids(region="110000") == {b.pk}
    assert ids(flagged="true") == {b.pk}
    assert ids(flagged="false") == {a.pk}
    assert ids(industry="transport") == {b.pk}


def test_flag_and_clear_need_a_reason_and_a_role(api, admin_actor, make_user):
    from gongyou.testing import api_client_for

    e = make_employer(actor=admin_actor)
    url = f"/api/v1/employers/{e.pk}/arrears-flag"
    assert post(api, url, {"flagged": True}).json()["fields"]["reason"]["code"] == "required"
    officer = api_client_for(make_user("employment_officer", org="sz"))
    assert post(officer, url, {"flagged": True, "reason": "x"}).status_code == 403
    assert post(api, url, {"flagged": True, "reason": "两起欠薪"}).json()["arrears_flagged"]
    cleared = post(api, url, {"flagged": False, "reason": "已结清"}).json()
    assert cleared["arrears_flagged"] is False and cleared["arrears_flag_reason"] == "已结清"
    assert AuditEvent.objects.filter(action="employer.unflag", entity_id=str(e.pk)).exists()


def test_made_up_codes_from_the_factory_are_valid():
    from gongyou.employers.uscc import parse_credit_code

    for n in range(50):
        code = make_credit_code(n=n)
        assert parse_credit_code(code) == code
