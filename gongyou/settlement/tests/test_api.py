"""The settlement API: histories one by one and in bulk, answers, policies, groups, batch runs;
errors in the one shape."""

from __future__ import annotations

import json

import pytest

from gongyou.settlement.models import ContributionSpell, PolicyVersion
from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db


def post(api, url, body):
    return api.post(url, data=json.dumps(body), content_type="application/json")


def patch(api, url, body):
    return api.patch(url, data=json.dumps(body), content_type="application/json")


def test_history_routes(api, worker_factory):
    w = worker_factory()
    base = f"/api/v1/settlement/workers/{w.pk}"
    res = post(
        api, f"{base}/contributions", {"city": "440300", "kind": "pension", "start": "2020-01-01"}
    )
    assert res.status_code == 201, res.content
    spell = res.json()
    assert spell["city"] == "440300" and spell["end"] is None and spell["version"] == 1
    res = post(api, f"{base}/contributions", {"city": "440305", "kind": "x"})
    assert res.status_code == 422
    body = res.json()
    assert body["code"] == "validation_failed"
    assert set(body["fields"]) == {"city", "kind", "start"}
    res = patch(api, f"{base}/contributions/{spell['id']}", {"end": "2020-12-31", "version": 1})
    assert res.status_code == 200 and res.json()["end"] == "2020-12-31"
    assert (
        patch(api, f"{base}/contributions/{spell['id']}", {"end": "", "version": 1}).status_code
        == 409
    )
    listed = api.get(f"{base}/contributions").json()
    assert listed["count"] == 1
    assert api.delete(f"{base}/contributions/{spell['id']}").status_code == 204
    assert api.delete(f"{base}/contributions/{spell['id']}").status_code == 404

    res = post(
        api,
        f"{base}/residences",
        {"city": "440300", "start": "2020-01-01", "tenure": "rented", "permit_held": True},
    )
    assert res.status_code == 201 and res.json()["permit_held"] is True
    rid = res.json()["id"]
    assert (
        patch(api, f"{base}/residences/{rid}", {"tenure": "owned", "version": 1}).json()["tenure"]
        == "owned"
    )
    assert api.get(f"{base}/residences").json()["count"] == 1
    assert api.delete(f"{base}/residences/{rid}").status_code == 204


def test_bulk_history_route(api, worker_factory):
    w = worker_factory()
    url = f"/api/v1/settlement/workers/{w.pk}/history"
    res = post(
        api,
        url,
        {
            "contributions": [
                {"city": "440300", "kind": "pension", "start": "2020-01-01"},
                {"city": "44", "kind": "pension", "start": "2020-01-01"},
            ]
        },
    )
    assert res.status_code == 422 and set(res.json()["fields"]) == {"contributions.2.city"}
    res = post(
        api,
        url,
        {
            "contributions": [{"city": "440300", "kind": "pension", "start": "2020-01-01"}],
            "residences": [{"city": "440300", "start": "2020-01-01", "tenure": "dormitory"}],
        },
    )
    assert res.status_code == 200 and res.json() == {
        "contributions": 1,
        "residences": 1,
        "skipped": 0,
        "deleted": 0,
    }
    assert ContributionSpell.objects.filter(worker=w).count() == 1


def test_facts_and_answers(api, worker_factory):
    w = worker_factory(current_region="440106")
    base = f"/api/v1/settlement/workers/{w.pk}"
    res = api.put(
        f"{base}/facts/no_criminal_record",
        data=json.dumps({"value": 1, "evidence": "无犯罪记录证明"}),
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()[0]["key"] == "no_criminal_record"
    assert (
        api.put(f"{base}/facts/bogus", data="{}", content_type="application/json").status_code
        == 422
    )
    post(
        api,
        f"{base}/history",
        {"contributions": [{"city": "440100", "kind": "pension", "start": "2023-01-01"}]},
    )
    res = api.get(f"{base}/eligibility/440106?as_of=2025-01-15")
    assert res.status_code == 200, res.content
    a = res.json()
    assert a["city"] == "440100" and a["policy"]["trust"] == "S" and a["policy"]["source"]
    assert a["conditions"][3]["have"] == 25 and a["conditions"][3]["trust"] == "S"
    assert a["points"]["pass_mark"] == "150"
    assert api.get(f"{base}/eligibility/440000").status_code == 422
    ranking = api.get(f"{base}/eligibility?as_of=2025-01-15").json()
    assert ranking["answers"][0]["city"] == "440100"
    assert all("outcome" in x for x in ranking["answers"])


def test_worker_scope_is_404(worker_factory, make_user):
    w = worker_factory(current_region="440305", hukou_region="440305")
    bj = api_client_for(make_user("case_handler", org="bj"))
    assert bj.get(f"/api/v1/settlement/workers/{w.pk}/eligibility").status_code == 404
    assert bj.get(f"/api/v1/settlement/workers/{w.pk}/contributions").status_code == 404


def test_policy_routes(api):
    listed = api.get("/api/v1/settlement/policies?purpose=services").json()
    assert listed["count"] == 1 and listed["items"][0]["city"] == "310100"
    assert api.get("/api/v1/settlement/policies?route=points").json()["count"] == 21
    res = post(
        api, "/api/v1/settlement/policies", {"city": "440400", "purpose": "hukou", "name": "珠海"}
    )
    assert res.status_code == 201 and res.json()["versions"] == []
    pid = res.json()["id"]
    res = post(
        api,
        f"/api/v1/settlement/policies/{pid}/versions",
        {
            "route": "no_restriction",
            "effective_from": "2024-08-01",
            "source": "珠海市公安局",
            "trust": "S",
        },
    )
    assert res.status_code == 201, res.content
    vid = res.json()["id"]
    res = patch(
        api,
        f"/api/v1/settlement/policy-versions/{vid}",
        {"conditions": [{"type": "residence_permit"}], "version": 1},
    )
    assert res.status_code == 200 and res.json()["conditions"][0]["type"] == "residence_permit"
    res = patch(
        api,
        f"/api/v1/settlement/policy-versions/{vid}",
        {"conditions": [{"type": "nope"}], "version": 2},
    )
    assert res.status_code == 422 and "conditions" in res.json()["fields"]
    impact = api.get(f"/api/v1/settlement/policy-versions/{vid}/impact?as_of=2025-01-01").json()
    assert impact["workers"] == 0 and impact["compared_with"] is None
    res = post(
        api,
        f"/api/v1/settlement/policy-versions/{vid}/transition",
        {"to_status": "published", "version": 2},
    )
    assert res.status_code == 200 and res.json()["status"] == "published"
    res = post(
        api,
        f"/api/v1/settlement/policy-versions/{vid}/transition",
        {"to_status": "draft", "version": 3},
    )
    assert res.status_code == 409 and res.json()["code"] == "transition_not_allowed"
    detail = api.get(f"/api/v1/settlement/policies/{pid}").json()
    assert detail["in_force"] == vid
    assert api.get(f"/api/v1/settlement/policy-versions/{vid}").json()["number"] == 1
    assert api.get("/api/v1/settlement/policies/999999").status_code == 404


def test_policy_edit_is_refused_to_staff(make_user):
    staff = api_client_for(make_user("case_handler", org="sz"))
    v = PolicyVersion.objects.get(policy__city_id="440300")
    res = patch(staff, f"/api/v1/settlement/policy-versions/{v.pk}", {"summary": "x", "version": 1})
    assert res.status_code == 403 and res.json()["code"] == "permission_denied"
    assert staff.get(f"/api/v1/settlement/policy-versions/{v.pk}").status_code == 200


def test_group_routes(api):
    res = post(
        api,
        "/api/v1/settlement/city-groups",
        {
            "name": "大湾区",
            "cities": ["440100", "440300"],
            "source": "Yicai 2025-09-16",
            "trust": "S",
        },
    )
    assert res.status_code == 201 and res.json()["cities"] == ["440100", "440300"]
    gid = res.json()["id"]
    res = patch(
        api,
        f"/api/v1/settlement/city-groups/{gid}",
        {"cities": ["440100", "440300", "440600"], "version": 1},
    )
    assert res.status_code == 200 and len(res.json()["cities"]) == 3
    assert api.get("/api/v1/settlement/city-groups").json()[0]["name"] == "大湾区"


def test_batch_run_and_results(api, worker_factory, make_user):
    worker_factory(current_region="440106")
    res = post(api, "/api/v1/settlement/batch-runs", {"as_of": "2025-01-15"})
    assert res.status_code == 202, res.content
    rows = api.get("/api/v1/settlement/results/by-city").json()
    assert rows[0]["city"] == "440100" and rows[0]["total"] == 1
    staff = api_client_for(make_user("case_handler"))
    assert post(staff, "/api/v1/settlement/batch-runs", {}).status_code == 403
    assert staff.get("/api/v1/settlement/results/by-city").status_code == 403
