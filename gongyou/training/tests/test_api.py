"""The training API: the same services and selectors behind typed routes and one error shape."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.testing import api_client_for
from gongyou.training.tests.factories import WELDER, make_course, make_provider

pytestmark = pytest.mark.django_db
P = "/api/v1/training"


@pytest.fixture
def papi(provider_user):
    return api_client_for(provider_user)


@pytest.fixture
def oapi(officer):
    return api_client_for(officer)


def post(client, url, body, status):
    res = client.post(url, body, content_type="application/json")
    assert res.status_code == status, res.json()
    return res.json()


def test_course_create_names_every_bad_field(papi):
    body = post(papi, f"{P}/courses", {"title": "", "target_level": "x"}, 422)
    assert body["code"] == "validation_failed"
    assert {"title", "occupation", "target_level", "hours", "seats", "region"} <= set(
        body["fields"]
    )


def test_a_trainee_from_application_to_certificate_and_claim(papi, oapi, worker):
    today = timezone.localdate()
    course = post(
        papi,
        f"{P}/courses",
        {
            "title": "焊工培训",
            "occupation": WELDER,
            "target_level": 5,
            "hours": 8,
            "seats": 1,
            "starts_on": str(today - dt.timedelta(days=2)),
            "ends_on": str(today + dt.timedelta(days=2)),
            "region": "440305",
            "subsidy_per_trainee": "800",
            "enrol_opens_on": str(today - dt.timedelta(days=5)),
            "enrol_closes_on": str(today),
        },
        201,
    )
    assert course["seats_free"] == 1 and course["occupation_name"] == "焊工"
    enrolment = post(papi, f"{P}/courses/{course['id']}/enrolments", {"worker_id": worker.pk}, 201)
    url = f"{P}/enrolments/{enrolment['id']}"
    wrong = post(papi, f"{url}/transition", {"to_status": "completed", "version": 1}, 409)
    assert wrong["code"] == "transition_not_allowed" and wrong["allowed"] == [
        "enrolled",
        "withdrawn",
    ]
    post(papi, f"{url}/transition", {"to_status": "enrolled", "version": 1}, 200)
    post(papi, f"{url}/transition", {"to_status": "in_training", "version": 2}, 200)
    post(papi, f"{url}/attendance", {"date": str(today - dt.timedelta(days=1)), "hours": 8}, 200)
    post(papi, f"{url}/transition", {"to_status": "completed", "version": 3}, 200)
    post(papi, f"{url}/transition", {"to_status": "assessed_pass", "version": 4, "score": 88}, 200)
    stale = post(papi, f"{url}/transition", {"to_status": "certified", "version": 4}, 409)
    assert stale["code"] == "record_changed" and stale["current_version"] == 5
    done = post(
        papi,
        f"{url}/transition",
        {"to_status": "certified", "version": 5, "certificate_no": "Y0001"},
        200,
    )
    assert done["status"] == "certified" and done["certificate_id"]
    pathway = papi.get(f"{P}/workers/{worker.pk}/pathway").json()
    assert pathway["levels"] == [
        {
            "occupation": WELDER,
            "occupation_name": "焊工",
            "level": 5,
            "label": pathway["levels"][0]["label"],
        }
    ]
    [claim] = post(papi, f"{P}/courses/{course['id']}/claims", {}, 201)
    again = post(papi, f"{P}/claims", {"enrolment_id": enrolment["id"]}, 409)
    assert again["code"] == "claim_already_made"
    post(papi, f"{P}/claims/{claim['id']}/transition", {"to_status": "approved", "version": 1}, 403)
    post(oapi, f"{P}/claims/{claim['id']}/transition", {"to_status": "approved", "version": 1}, 200)
    [total] = oapi.get(f"{P}/claim-totals?by=provider").json()
    assert total["amounts"] == {"approved": "800.00"} and total["outstanding"] == "800.00"
    assert papi.get(f"{P}/claims").json()["count"] == 1


def test_out_of_scope_is_404(papi, orgs, make_user, worker):
    orgs["bjp"] = make_provider(name="北京培训中心", region="110105", parent=orgs["bj"])
    other = api_client_for(make_user("programme_officer", org="bjp"))
    from gongyou.accounts.policies import actor_for

    course = make_course(
        actor=actor_for(make_user("programme_officer", org="bjp")), region="110105"
    )
    assert papi.get(f"{P}/courses/{course.pk}").status_code == 404
    assert other.get(f"{P}/courses/{course.pk}").status_code == 200
    assert other.get(f"{P}/workers/{worker.pk}/pathway").status_code == 404
    assert papi.get(f"{P}/enrolments/999999").status_code == 404


def test_campaign_targets_and_progress(oapi, orgs):
    today = timezone.localdate()
    campaign = post(
        oapi,
        f"{P}/campaigns",
        {
            "name": "深圳春风行动",
            "kind": "vocational_training",
            "lead_organisation": orgs["sz"].pk,
            "starts_on": str(today),
            "ends_on": str(today + dt.timedelta(days=90)),
        },
        201,
    )
    res = oapi.put(
        f"{P}/campaigns/{campaign['id']}/targets",
        {"version": 1, "targets": [{"region": "440305", "trained": 100, "certified": 40}]},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()[0]["region_name"].endswith("南山区")
    rows = oapi.get(f"{P}/campaigns/{campaign['id']}/progress").json()
    assert rows[1]["cells"][0] == {"measure": "trained", "target": 100, "actual": 0, "percent": 0}
    assert oapi.get(f"{P}/campaigns").json()["count"] == 1


def test_eligibility_check_and_rules(oapi, rules, worker, make_user):
    answer = post(
        oapi,
        f"{P}/eligibility-check",
        {"worker_id": worker.pk, "occupation": WELDER, "level": 4, "years_in_occupation": 7},
        200,
    )
    assert answer["eligible"] and answer["standard"] == "general"
    no = post(
        oapi,
        f"{P}/eligibility-check",
        {"worker_id": worker.pk, "occupation": WELDER, "level": 3},
        200,
    )
    assert not no["eligible"] and len(no["missing"]) == 5
    assert oapi.get(f"{P}/eligibility-rules?level=3").json()["count"] == 5
    post(oapi, f"{P}/eligibility-rules", {"level": 5}, 403)
    national = api_client_for(make_user("programme_officer", org="national"))
    bad = post(
        national,
        f"{P}/eligibility-rules",
        {"level": 5, "route": "x", "conditions": [{"type": "age"}], "trust": "U", "source": "s"},
        422,
    )
    assert bad["fields"]["conditions"]["code"] == "invalid_conditions"


def test_education_upgrade(oapi, worker):
    inst = post(
        oapi,
        f"{P}/institutions",
        {"name": "广东开放大学", "kind": "open_university", "region": "440100"},
        201,
    )
    prog = post(
        oapi,
        f"{P}/programmes",
        {
            "institution": inst["id"],
            "name": "工程造价",
            "level": "junior_college",
            "credits_required": 2,
            "tuition": "4000",
            "union_subsidy": "2000",
            "starts_on": "2026-09-01",
        },
        201,
    )
    study = post(oapi, f"{P}/programmes/{prog['id']}/studies", {"worker_id": worker.pk}, 201)
    assert study["subsidy"] == "2000.00"
    post(
        oapi, f"{P}/studies/{study['id']}/transition", {"to_status": "studying", "version": 1}, 200
    )
    post(
        oapi,
        f"{P}/studies/{study['id']}/credits",
        {"module": "工程制图", "credits": 2, "earned_on": str(timezone.localdate())},
        201,
    )
    done = post(
        oapi, f"{P}/studies/{study['id']}/transition", {"to_status": "graduated", "version": 2}, 200
    )
    assert done["status"] == "graduated" and done["credits_earned"] == 2
    worker.refresh_from_db()
    assert worker.education == "junior_college"
