"""The API: catalogue, versions, family, the worker's answer with its text, referrals."""

from __future__ import annotations

import pytest

from gongyou.accounts.services import user_create
from gongyou.publicservices.models import ServiceVersion
from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db


def test_catalogue_list_and_detail(api):
    res = api.get("/api/v1/public-services?city=310100&kind=entrance_exams")
    body = res.json()
    assert res.status_code == 200 and body["count"] == 1
    item = body["items"][0]
    assert item["in_force"]["needs_points"] is True and item["in_force"]["trust"] == "V"
    assert api.get(f"/api/v1/public-services/{item['id']}").json()["name"] == item["name"]
    assert api.get("/api/v1/public-services/999999").status_code == 404


def test_create_service_version_and_publish(api, department):
    res = api.post(
        "/api/v1/public-services",
        {"city": "440300", "kind": "legal_aid", "name": "法律援助"},
        content_type="application/json",
    )
    assert res.status_code == 201
    sid = res.json()["id"]
    bad = api.post(
        f"/api/v1/public-services/{sid}/versions",
        {"conditions": [{"type": "age", "min_age": 9, "max_age": 3}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"conditions", "effective_from", "source", "trust"}
    res = api.post(
        f"/api/v1/public-services/{sid}/versions",
        {
            "effective_from": "2024-01-01",
            "source": "s",
            "trust": "S",
            "department": department.pk,
            "documents": ["身份证"],
        },
        content_type="application/json",
    )
    assert res.status_code == 201
    vid = res.json()["id"]
    res = api.patch(
        f"/api/v1/public-service-versions/{vid}",
        {"how_to_apply": "窗口办理", "version": 1},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["how_to_apply"] == "窗口办理"
    res = api.post(
        f"/api/v1/public-service-versions/{vid}/transition",
        {"to_status": "published", "version": 1},
        content_type="application/json",
    )
    assert res.status_code == 409 and res.json()["code"] == "version_changed"
    res = api.post(
        f"/api/v1/public-service-versions/{vid}/transition",
        {"to_status": "published", "version": 2},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["status"] == "published"


def test_family_answer_and_referral_flow(api, worker_factory, department, published):
    version = published(department=department.pk, open_to_all=True, documents=["居住证"])
    w = worker_factory()
    res = api.post(
        f"/api/v1/workers/{w.pk}/family",
        {"relation": "child", "name": "小红", "birth_date": "2016-02-01"},
        content_type="application/json",
    )
    assert res.status_code == 201
    mid = res.json()["id"]
    res = api.patch(
        f"/api/v1/workers/{w.pk}/family/{mid}",
        {"school_stage": "primary", "version": 1},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["school_stage"] == "primary"
    assert len(api.get(f"/api/v1/workers/{w.pk}/family").json()) == 1
    answer = api.get(f"/api/v1/workers/{w.pk}/public-services").json()
    assert answer["city"] == "440300" and "居住证" in answer["documents"]
    assert any(a["member_name"] == "小红" for a in answer["unknown"])
    assert "Documents to bring:" in answer["text"]
    res = api.post(
        "/api/v1/service-referrals",
        {"worker_id": w.pk, "service_id": version.service_id},
        content_type="application/json",
    )
    assert res.status_code == 201
    ref = res.json()
    assert ref["status"] == "referred" and ref["department"] == "深圳市教育局"
    dept = api_client_for(
        user_create(
            actor=None,
            username="edu3",
            password=None,
            organisation=department,
            roles=["programme_officer"],
            station=None,
        )
    )
    queue = dept.get("/api/v1/service-referrals?queue=true").json()
    assert queue["count"] == 1 and set(queue["items"][0]["allowed"]) == {
        "pending",
        "granted",
        "refused",
    }
    res = dept.post(
        f"/api/v1/service-referrals/{ref['id']}/transition",
        {"to_status": "granted", "version": 1},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["status"] == "granted"
    res = dept.post(
        f"/api/v1/service-referrals/{ref['id']}/transition",
        {"to_status": "pending", "version": 2},
        content_type="application/json",
    )
    assert res.status_code == 409 and res.json()["code"] == "transition_not_allowed"
    assert api.get(f"/api/v1/service-referrals/{ref['id']}").json()["status"] == "granted"
    res = api.delete(f"/api/v1/workers/{w.pk}/family/{mid}")
    assert res.status_code == 204


def test_referral_errors(api, worker_factory):
    w = worker_factory()
    res = api.post(
        "/api/v1/service-referrals", {"worker_id": w.pk}, content_type="application/json"
    )
    assert res.status_code == 422 and res.json()["fields"]["service_id"]["code"] == "required"
    res = api.post(
        "/api/v1/service-referrals",
        {"worker_id": 999999, "service_id": 1},
        content_type="application/json",
    )
    assert res.status_code == 404
    sh = ServiceVersion.objects.get(needs_points=True).service_id
    res = api.post(
        "/api/v1/service-referrals",
        {"worker_id": w.pk, "service_id": sh},
        content_type="application/json",
    )
    assert res.status_code == 422 and res.json()["fields"]["service_id"]["code"] == "other_city"


def test_edits_without_a_version_are_refused(api, worker_factory):
    w = worker_factory()
    mid = api.post(
        f"/api/v1/workers/{w.pk}/family",
        {"relation": "spouse", "name": "李娜"},
        content_type="application/json",
    ).json()["id"]
    res = api.patch(
        f"/api/v1/workers/{w.pk}/family/{mid}", {"name": "李娜娜"}, content_type="application/json"
    )
    assert res.status_code == 422 and res.json()["fields"]["version"]["code"] == "required"


def test_analyst_cannot_refer_but_reads_the_catalogue(make_user, worker_factory):
    analyst = api_client_for(make_user("analyst", org="sz"))
    assert analyst.get("/api/v1/public-services").status_code == 200
    w = worker_factory()
    sid = ServiceVersion.objects.get(
        service__city_id="440300", service__kind="medical_insurance"
    ).service_id
    res = analyst.post(
        "/api/v1/service-referrals",
        {"worker_id": w.pk, "service_id": sid},
        content_type="application/json",
    )
    assert res.status_code == 403
