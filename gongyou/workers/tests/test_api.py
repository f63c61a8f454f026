import pytest

from gongyou.core.models import AuditEvent
from gongyou.testing import api_client_for, make_national_id

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "刘洋",
    "phone": "13812345678",
    "hukou_region": "510104",
    "current_region": "440305",
}


def post(api, path, body, **headers):
    return api.post(path, body, content_type="application/json", headers=headers)


def test_create_worker_returns_masked_and_derived_fields(api):
    number = make_national_id(region="510104", sex="M", seq=1)
    res = post(api, "/api/v1/workers", {**GOOD, "national_id": number})
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["national_id"] == number[:6] + "********" + number[-4:]
    assert body["phone"] == "138****5678"
    assert body["sex"] == "M" and body["birth_date"] == "1990-05-17"
    assert body["hukou_region"] == "510104" and body["current_region"] == "440305"
    assert isinstance(body["id"], int)


@pytest.mark.parametrize(
    ("national_id", "code"),
    [
        ("", "required"),
        ("12345", "invalid_length"),
        ("99010519491231002X", "invalid_region"),
        ("110105194913310021", "invalid_birth_date"),
        ("110105209912310025", "birth_date_in_future"),
        ("110105189912310023", "birth_date_too_early"),
        ("110105194912310021", "invalid_check_digit"),
        ("11010519491231002Y", "invalid_characters"),
    ],
)
def test_each_bad_id_number_is_a_422_naming_national_id(api, national_id, code):
    res = post(api, "/api/v1/workers", {**GOOD, "national_id": national_id})
    assert res.status_code == 422
    body = res.json()
    assert body["code"] == "validation_failed"
    assert body["fields"]["national_id"]["code"] == code
    assert body["fields"]["national_id"]["message"]


def test_several_bad_fields_are_all_named(api):
    res = post(
        api,
        "/api/v1/workers",
        {
            "national_id": "110105194912310021",
            "name": "  ",
            "phone": "0755-1234",
            "hukou_region": "12",
            "current_region": "000000",
        },
    )
    assert res.status_code == 422
    assert set(res.json()["fields"]) == {
        "national_id",
        "name",
        "phone",
        "hukou_region",
        "current_region",
    }


def test_missing_fields_are_all_named(api):
    res = post(api, "/api/v1/workers", {})
    assert res.status_code == 422
    assert set(res.json()["fields"]) == {
        "national_id",
        "name",
        "phone",
        "hukou_region",
        "current_region",
    }
    assert all(f["code"] == "required" for f in res.json()["fields"].values())


def test_wrong_json_types_get_the_error_shape(api):
    res = post(api, "/api/v1/workers", {**GOOD, "national_id": 110105, "union_member": "maybe"})
    assert res.status_code == 422
    assert {"national_id", "union_member"} <= set(res.json()["fields"])


def test_invalid_json_body(api):
    res = api.post("/api/v1/workers", "{not json", content_type="application/json")
    assert res.status_code in (400, 422)
    assert set(res.json()) == {"code", "message", "fields"}


def test_known_id_in_any_spelling_is_409_with_holder(api):
    first = post(api, "/api/v1/workers", {**GOOD, "national_id": "11010519491231002X"}).json()
    res = post(api, "/api/v1/workers", {**GOOD, "national_id": "110105 19491231 002x"})
    assert res.status_code == 409
    assert res.json()["code"] == "worker_already_registered"
    assert res.json()["existing_worker"]["id"] == first["id"]


@pytest.mark.parametrize(
    "spelling",
    [
        "11010519491231002X",
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105491231002",
        " 110105 19491231 002X ",
    ],
)
def test_lookup_by_id_number_in_any_spelling(api, spelling):
    created = post(api, "/api/v1/workers", {**GOOD, "national_id": "11010519491231002X"}).json()
    res = api.get("/api/v1/workers", {"national_id": spelling})
    assert res.status_code == 200
    assert res.json()["count"] == 1 and res.json()["items"][0]["id"] == created["id"]


def test_get_update_and_search(api):
    created = post(api, "/api/v1/workers", {**GOOD, "national_id": make_national_id()}).json()
    assert api.get(f"/api/v1/workers/{created['id']}").json()["name"] == "刘洋"
    res = api.patch(
        f"/api/v1/workers/{created['id']}",
        {"current_region": "440306", "industry": "manufacturing"},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["current_region"] == "440306"
    bad = api.patch(
        f"/api/v1/workers/{created['id']}",
        {"industry": "mining", "phone": "1"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"industry", "phone"}
    assert api.get("/api/v1/workers/999999").status_code == 404
    found = api.get(
        "/api/v1/workers", {"name": "刘", "region": "440300", "industry": "manufacturing"}
    ).json()
    assert found["count"] == 1
    assert api.get("/api/v1/workers", {"phone": "138 1234 5678"}).json()["count"] == 1


def test_list_is_paginated(api):
    for _ in range(3):
        post(api, "/api/v1/workers", {**GOOD, "national_id": make_national_id()})
    page = api.get("/api/v1/workers", {"limit": 2, "offset": 0}).json()
    assert page["count"] == 3 and len(page["items"]) == 2


def test_anonymous_is_401_with_error_shape(client):
    res = client.get("/api/v1/workers")
    assert res.status_code == 401
    assert res.json()["code"] == "not_authenticated"


def test_reveal_via_api(api, make_user):
    number = make_national_id()
    created = post(api, "/api/v1/workers", {**GOOD, "national_id": number}).json()
    handler = api_client_for(make_user("case_handler"))
    res = post(
        handler,
        f"/api/v1/workers/{created['id']}/reveal",
        {"fields": ["national_id"], "purpose": "referral", "detail": "legal aid"},
    )
    assert res.status_code == 200 and res.json()["national_id"] == number
    assert AuditEvent.objects.get(action="worker.reveal").purpose == "referral: legal aid"
    missing = post(handler, f"/api/v1/workers/{created['id']}/reveal", {"fields": ["phone"]})
    assert missing.status_code == 422
    assert missing.json()["fields"]["purpose"]["code"] == "required"
    unknown = post(
        handler,
        f"/api/v1/workers/{created['id']}/reveal",
        {"fields": ["phone"], "purpose": "curiosity"},
    )
    assert unknown.json()["fields"]["purpose"]["code"] == "invalid_choice"
    analyst = api_client_for(make_user("analyst"))
    assert (
        post(
            analyst, f"/api/v1/workers/{created['id']}/reveal", {"fields": ["national_id"]}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.filter(action="worker.reveal").count() == 1
    assert number not in str(analyst.get(f"/api/v1/workers/{created['id']}").content)


def test_certificates_consent_and_timeline(api):
    created = post(api, "/api/v1/workers", {**GOOD, "national_id": make_national_id()}).json()
    wid = created["id"]
    res = post(
        api,
        f"/api/v1/workers/{wid}/certificates",
        {
            "occupation": "6-18-02-04",
            "level": 3,
            "certificate_no": "Y-1",
            "issuing_organisation": "某职业技能鉴定中心",
            "issued_on": "2023-01-05",
        },
    )
    assert res.status_code == 201, res.content
    assert api.get(f"/api/v1/workers/{wid}/certificates").json()["count"] == 1
    assert (
        post(
            api,
            f"/api/v1/workers/{wid}/consents",
            {"purpose": "contact", "granted": True, "method": "paper"},
        ).status_code
        == 201
    )
    timeline = api.get(f"/api/v1/workers/{wid}/timeline").json()
    assert [e["action"] for e in timeline["items"]] == [
        "consent.record",
        "certificate.add",
        "worker.register",
    ]
