"""The jobs API end to end: status codes, error shape, scope, employer users."""

import json

import pytest

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.services import organisation_create, user_create
from gongyou.jobs.tests.factories import vacancy_data
from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def officer_api(make_user):
    return api_client_for(make_user("employment_officer", org="sz"))


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type=J)


def test_vacancy_flow_over_the_api(officer_api, employer, worker):
    res = _post(
        officer_api, "/api/v1/vacancies", {**vacancy_data(employer_id=employer.pk), "publish": True}
    )
    assert res.status_code == 201, res.content
    vacancy = res.json()
    assert vacancy["status"] == "open" and vacancy["latitude"] is not None
    assert officer_api.get("/api/v1/vacancies?open_only=true").json()["count"] == 1
    res = officer_api.put(
        f"/api/v1/job-seekers/{worker.pk}", json.dumps({"wage_expectation": 8000}), content_type=J
    )
    assert res.status_code == 200 and res.json()["version"] == 1
    assert officer_api.get(f"/api/v1/job-seekers/{worker.pk}").json()["wage_expectation"] == 8000
    ranked = officer_api.get(f"/api/v1/vacancies/{vacancy['id']}/candidates").json()
    assert ranked["blocked"] == "" and ranked["items"][0]["worker_id"] == worker.pk
    assert {c["key"] for c in ranked["items"][0]["components"]} == {
        "occupation",
        "skill",
        "distance",
        "wage",
        "availability",
    }
    matches = officer_api.get(f"/api/v1/job-seekers/{worker.pk}/vacancies").json()
    assert (
        matches[0]["vacancy"]["id"] == vacancy["id"]
        and matches[0]["score"] == ranked["items"][0]["score"]
    )
    res = _post(
        officer_api, "/api/v1/referrals", {"vacancy_id": vacancy["id"], "worker_id": worker.pk}
    )
    assert res.status_code == 201
    referral = res.json()
    assert referral["score"] == ranked["items"][0]["score"]
    res = _post(
        officer_api, "/api/v1/referrals", {"vacancy_id": vacancy["id"], "worker_id": worker.pk}
    )
    assert res.status_code == 409 and res.json()["code"] == "referral_exists"
    res = _post(
        officer_api,
        f"/api/v1/referrals/{referral['id']}/transition",
        {
            "to_status": "hired",
            "version": referral["version"],
            "start_date": "2026-01-01",
            "monthly_wage": 8000,
        },
    )
    assert res.status_code == 409 and res.json()["code"] == "transition_not_allowed"
    res = _post(
        officer_api,
        f"/api/v1/referrals/{referral['id']}/transition",
        {"to_status": "offered", "version": referral["version"]},
    )
    assert res.status_code == 200 and res.json()["status"] == "offered"
    res = _post(
        officer_api,
        f"/api/v1/referrals/{referral['id']}/transition",
        {"to_status": "hired", "version": 2, "start_date": "2025-01-01", "monthly_wage": 8000},
    )
    assert res.status_code == 200
    placements = officer_api.get(f"/api/v1/placements?worker_id={worker.pk}").json()
    assert placements["count"] == 1 and placements["items"][0]["monthly_wage"] == 8000


def test_validation_names_every_field(officer_api, employer):
    res = _post(officer_api, "/api/v1/vacancies", {"employer_id": employer.pk, "wage_min": 5})
    assert res.status_code == 422
    fields = res.json()["fields"]
    assert {"title", "occupation", "headcount", "region", "closing_date", "wage_max"} <= set(fields)
    # A wrong type is reported by the schema, in the same shape.
    res = _post(officer_api, "/api/v1/vacancies", {"employer_id": employer.pk, "wage_min": "x"})
    assert res.status_code == 422 and "wage_min" in res.json()["fields"]


def test_out_of_scope_is_404(make_user, admin_actor, worker, employer):
    bj = api_client_for(make_user("employment_officer", org="bj"))
    assert bj.get(f"/api/v1/job-seekers/{worker.pk}/vacancies").status_code == 404
    draft = _post(
        api_client_for(make_user("employment_officer", org="sz")),
        "/api/v1/vacancies",
        vacancy_data(employer_id=employer.pk),
    ).json()
    assert bj.get(f"/api/v1/vacancies/{draft['id']}").status_code == 404
    analyst = api_client_for(make_user("analyst", org="sz"))
    assert (
        _post(analyst, "/api/v1/vacancies", vacancy_data(employer_id=employer.pk)).status_code
        == 403
    )


def test_employer_users_post_their_own_vacancies(orgs, make_user, employer):
    org = organisation_create(
        actor=None,
        name="建安公司",
        kind=OrganisationKind.EMPLOYER,
        region_code="440305",
        parent=orgs["sz"],
    )
    hr = api_client_for(
        user_create(
            actor=None,
            username="hr",
            password=None,
            organisation=org,
            roles=["analyst"],
            station=None,
        )
    )
    admin = api_client_for(make_user("org_admin", org="sz"))
    res = _post(
        admin, "/api/v1/employer-accounts", {"organisation_id": org.pk, "employer_id": employer.pk}
    )
    assert res.status_code == 201
    res = _post(hr, "/api/v1/vacancies", vacancy_data())
    assert res.status_code == 201 and res.json()["employer_id"] == employer.pk
    assert res.json()["posted_by_employer"] is True
    vacancy = res.json()
    assert hr.get(f"/api/v1/vacancies/{vacancy['id']}/candidates").json()["items"] == []
    assert hr.get("/api/v1/vacancies").json()["count"] == 1


def test_followups_and_fairs_over_the_api(officer_api, admin_actor, employer, worker):
    from gongyou.jobs import services

    services.placement_record(
        actor=admin_actor,
        worker=worker,
        data={"employer_id": employer.pk, "start_date": "2024-01-01", "monthly_wage": 6000},
    )
    services.followups_create_due()
    todo = officer_api.get("/api/v1/follow-ups").json()
    assert todo["count"] == 3
    first = todo["items"][0]
    res = _post(officer_api, f"/api/v1/follow-ups/{first['id']}/answer", {"reached": True})
    assert res.status_code == 422 and "still_employed" in res.json()["fields"]
    res = _post(
        officer_api,
        f"/api/v1/follow-ups/{first['id']}/answer",
        {"reached": True, "still_employed": True, "current_wage": 6500},
    )
    assert res.status_code == 200 and res.json()["status"] == "answered"
    res = _post(
        officer_api,
        "/api/v1/job-fairs",
        {"name": "春风行动", "region": "440305", "venue": "体育馆", "starts_on": "2026-12-01"},
    )
    assert res.status_code == 201
    fair = res.json()
    assert (
        _post(
            officer_api, f"/api/v1/job-fairs/{fair['id']}/employers", {"employer_id": employer.pk}
        ).status_code
        == 201
    )
    assert (
        _post(
            officer_api, f"/api/v1/job-fairs/{fair['id']}/registrations", {"worker_id": worker.pk}
        ).status_code
        == 201
    )
    assert (
        _post(
            officer_api, f"/api/v1/job-fairs/{fair['id']}/transition", {"to_status": "held"}
        ).json()["status"]
        == "held"
    )
    assert officer_api.get("/api/v1/job-fairs").json()["count"] == 1


def test_query_budgets(
    officer_api, admin_actor, employer, worker_factory, django_assert_max_num_queries
):
    from gongyou.jobs.tests.factories import make_seeker, make_vacancy

    vacancy = make_vacancy(actor=admin_actor, employer=employer)
    for name in "赵钱孙李周":
        make_seeker(
            actor=admin_actor, worker=worker_factory(name=f"{name}伟", occupation="6-29-01-04")
        )
    for _ in range(3):
        make_vacancy(actor=admin_actor, employer=employer)
    with django_assert_max_num_queries(8):
        assert officer_api.get("/api/v1/vacancies").json()["count"] == 4
    with django_assert_max_num_queries(10):
        assert (
            len(officer_api.get(f"/api/v1/vacancies/{vacancy.pk}/candidates").json()["items"]) == 5
        )


def test_employer_users_never_open_worker_records(orgs, admin_actor, employer, worker):
    from gongyou.jobs import services

    org = organisation_create(
        actor=None,
        name="劳务公司",
        kind=OrganisationKind.EMPLOYER,
        region_code="440305",
        parent=orgs["sz"],
    )
    user = user_create(
        actor=None,
        username="hr2",
        password=None,
        organisation=org,
        roles=["org_admin"],
        station=None,
    )
    services.employer_account_link(
        actor=admin_actor, organisation_id=org.pk, employer_id=employer.pk
    )
    hr = api_client_for(user)
    assert hr.get(f"/api/v1/job-seekers/{worker.pk}/vacancies").status_code == 404
    assert hr.get(f"/api/v1/job-seekers/{worker.pk}").status_code == 404
