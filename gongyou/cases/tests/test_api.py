import datetime as dt

import pytest
from django.utils import timezone

from gongyou.cases.models import Case
from gongyou.cases.tests.factories import make_case
from gongyou.testing import api_client_for, make_national_id

pytestmark = pytest.mark.django_db


def post(c, path, body):
    return c.post(path, body, content_type="application/json")


def test_intake_returns_the_full_case(api, worker, employer, home):
    res = post(
        api,
        "/api/v1/cases",
        {
            "type": "platform_work",
            "platform_issue": "account_deactivation",
            "summary": "骑手账号被无故封禁",
            "intake_station_id": home.pk,
            "infringement_known_on": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
            "claimants": [{"worker_id": worker.pk, "amount_claimed": 3000}],
            "respondents": [{"employer_id": employer.pk, "role": "employer"}],
        },
    )
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["status"] == "received" and body["version"] == 1
    assert body["region"] == "440305" and body["reference"].startswith("RP-440305-")
    assert body["claimants"][0]["worker_name"] == worker.name
    assert body["respondents"][0]["credit_code"] == employer.credit_code
    limitation = body["deadlines"][0]
    assert limitation["kind"] == "arbitration_limitation" and limitation["days_left"] > 300
    assert limitation["near"] is False and limitation["overdue"] is False
    assert body["timeline"][0]["kind"] == "intake"


def test_intake_422_names_every_bad_field(api):
    res = post(api, "/api/v1/cases", {"type": "x", "claimants": [{"worker_id": "abc"}]})
    assert res.status_code == 422
    assert res.json()["code"] == "validation_failed"
    assert set(res.json()["fields"]) == {"type", "summary", "region", "claimants.0.worker_id"}


def test_transition_and_stale_version_409(api, case_factory):
    case = case_factory()
    url = f"/api/v1/cases/{case.pk}/transition"
    ok = post(api, url, {"to_status": "accepted", "reason": "受理", "version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = post(api, url, {"to_status": "rejected", "reason": "不予受理", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "case_changed" and stale.json()["current_version"] == 2
    assert Case.objects.get(pk=case.pk).status == "accepted"
    wrong = post(api, url, {"to_status": "closed", "reason": "x", "version": 2})
    assert wrong.status_code == 409 and wrong.json()["code"] == "case_transition_not_allowed"
    assert "mediation" in wrong.json()["allowed"]
    missing = post(api, url, {})
    assert set(missing.json()["fields"]) == {"to_status", "reason", "version"}


def test_role_not_on_the_edge_is_403(make_user, case_factory):
    analyst = api_client_for(make_user("analyst", org="sz"))
    case = case_factory()
    res = post(
        analyst,
        f"/api/v1/cases/{case.pk}/transition",
        {"to_status": "accepted", "reason": "x", "version": 1},
    )
    assert res.status_code == 403


def test_out_of_scope_is_404_everywhere(make_user, admin_actor, worker_factory, employer):
    beijing = worker_factory(
        current_region="110105",
        hukou_region="110105",
        national_id=make_national_id(region="110105"),
    )
    from gongyou.employers.tests.factories import make_employer

    bj_employer = make_employer(actor=admin_actor, region="110105")
    case = make_case(actor=admin_actor, workers=[beijing], employers=[bj_employer], region="110105")
    c = api_client_for(make_user("case_handler", org="sz"))
    base = f"/api/v1/cases/{case.pk}"
    assert c.get(base).status_code == 404
    for suffix, body in [
        ("/transition", {"to_status": "accepted", "reason": "x", "version": 1}),
        ("/assign", {"user_id": 1, "version": 1}),
        ("/notes", {"text": "x"}),
        ("/claimants", {"worker_id": beijing.pk, "version": 1}),
    ]:
        assert post(c, base + suffix, body).status_code == 404, suffix
    assert c.get(f"/api/v1/employers/{bj_employer.pk}/cases").status_code == 404


def test_queue_is_sorted_by_nearest_deadline_and_filters(api, case_factory, admin_actor, make_user):
    from gongyou.cases import services

    later = case_factory(infringement_known_on=timezone.localdate().isoformat())
    none = case_factory(type="labour_contract")
    sooner = case_factory()
    sooner = services.case_transition(
        actor=admin_actor, case=sooner, to_status="accepted", reason="x", version=1
    )
    services.case_transition(
        actor=admin_actor,
        case=sooner,
        to_status="mediation",
        reason="x",
        version=2,
        today=timezone.localdate() - dt.timedelta(days=13),
    )
    items = api.get("/api/v1/cases").json()["items"]
    assert [i["id"] for i in items] == [sooner.pk, later.pk, none.pk]
    assert items[0]["near"] is True and items[0]["days_left"] in (0, 1, 2, 3)

    def ids(**params):
        return [i["id"] for i in api.get("/api/v1/cases", params).json()["items"]]

    assert ids(near="true") == [sooner.pk]
    assert ids(overdue="true") == []
    assert ids(status="mediation") == [sooner.pk]
    assert ids(type="labour_contract") == [none.pk]
    assert ids(reference=later.reference.lower()) == [later.pk]
    handler = make_user("case_handler", org="sz")
    services.case_assign(
        actor=admin_actor, case=Case.objects.get(pk=none.pk), user_id=handler.pk, version=1
    )
    assert [
        i["id"]
        for i in api_client_for(handler).get("/api/v1/cases", {"assigned_to": "me"}).json()["items"]
    ] == [none.pk]


def test_outcome_notes_deadline_extend_and_notifications(api, case_factory, admin, admin_actor):
    from gongyou.cases import services

    case = case_factory()
    base = f"/api/v1/cases/{case.pk}"
    claimant_id = api.get(base).json()["claimants"][0]["id"]
    res = api.patch(
        f"{base}/claimants/{claimant_id}",
        {
            "outcome": "recovered_part",
            "amount_recovered": "6000.50",
            "satisfaction": 4,
            "version": 1,
        },
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["satisfaction"] == 4
    assert post(api, f"{base}/notes", {"text": "已电话联系"}).status_code == 201
    services.case_transition(
        actor=admin_actor, case=case, to_status="accepted", reason="x", version=2
    )
    body = post(
        api, f"{base}/transition", {"to_status": "mediation", "reason": "x", "version": 3}
    ).json()
    mediation = body["deadlines"][0]
    res = post(
        api, f"{base}/deadlines/{mediation['id']}/extend", {"days": 5, "reason": "x", "version": 4}
    )
    assert (
        res.status_code == 422 and res.json()["fields"]["deadline_id"]["code"] == "not_extendable"
    )
    services.notify(recipients=[admin], case=case, kind="deadline_near", text="t", key="k")
    listed = api.get("/api/v1/notifications", {"unread": "true"}).json()
    assert listed["count"] == 1 and listed["items"][0]["case_reference"] == case.reference
    read = post(api, f"/api/v1/notifications/{listed['items'][0]['id']}/read", {})
    assert read.json()["read_at"] is not None


def test_calendar_days_are_for_system_admins(api, make_user):
    res = post(
        api,
        "/api/v1/calendar-days",
        {"date": "2027-01-01", "is_working_day": False, "name": "元旦"},
    )
    assert res.status_code == 200
    assert api.get("/api/v1/calendar-days", {"year": 2027}).json()["count"] == 1
    org_admin = api_client_for(make_user("org_admin", org="sz"))
    res = post(org_admin, "/api/v1/calendar-days", {"date": "2027-01-02", "is_working_day": False})
    assert res.status_code == 403


def test_employer_history_and_flagged_list(api, case_factory, employer):
    first, second = case_factory(), case_factory()
    history = api.get(f"/api/v1/employers/{employer.pk}/cases").json()
    assert [c["id"] for c in history["items"]] == [second.pk, first.pk]
    flagged = api.get("/api/v1/employers", {"flagged": "true"}).json()["items"]
    assert [e["id"] for e in flagged] == [employer.pk]


def test_intake_channels_api_by_default_hotline_when_said(api, worker, employer):
    body = {"type": "wage_arrears", "summary": "欠薪", "region": "440305"}
    body["claimants"] = [{"worker_id": worker.pk, "amount_claimed": 1}]
    assert post(api, "/api/v1/cases", body).json()["channel"] == "api"
    body["channel"] = "hotline"
    assert post(api, "/api/v1/cases", body).json()["channel"] == "hotline"


def test_partner_department_queue_and_what_it_may_do(
    api, case_factory, admin_actor, inspection, partner_user
):
    from gongyou.cases import services

    case = case_factory()
    other = case_factory()
    partner = api_client_for(partner_user())
    assert partner.get("/api/v1/cases").json()["count"] == 0  # same city, not referred
    assert partner.get(f"/api/v1/cases/{case.pk}").status_code == 404
    res = post(
        api,
        f"/api/v1/cases/{case.pk}/refer",
        {"organisation_id": inspection.pk, "reason": "移送监察", "version": 1},
    )
    assert res.status_code == 200 and res.json()["referred_to_id"] == inspection.pk
    queue = partner.get("/api/v1/cases", {"referred": "me"}).json()
    assert [c["id"] for c in queue["items"]] == [case.pk] and queue["count"] == 1
    assert other.pk not in [c["id"] for c in partner.get("/api/v1/cases").json()["items"]]
    # It reads and notes the case, and records its procedure's dates ...
    assert post(partner, f"/api/v1/cases/{case.pk}/notes", {"text": "已受理"}).status_code == 201
    services.case_transition(
        actor=admin_actor, case=case, to_status="accepted", reason="ok", version=2
    )
    services.case_transition(
        actor=admin_actor,
        case=case,
        to_status="referred_labour_inspection",
        reason="移送",
        version=3,
    )
    detail = partner.get(f"/api/v1/cases/{case.pk}").json()
    acceptance = next(d for d in detail["deadlines"] if d["kind"] == "inspection_acceptance")
    met = post(
        partner,
        f"/api/v1/cases/{case.pk}/deadlines/{acceptance['id']}/met",
        {"met_on": timezone.localdate().isoformat(), "version": detail["version"]},
    )
    assert met.status_code == 200
    kinds = {d["kind"]: d["status"] for d in met.json()["deadlines"]}
    assert kinds["inspection_acceptance"] == "met" and kinds["inspection_investigation"] == "open"
    # ... but the handling union organisation keeps the case.
    version = met.json()["version"]
    for path, payload in (
        ("transition", {"to_status": "resolved", "reason": "x", "resolution": "other"}),
        ("assign", {"user_id": 1}),
        ("refer", {"organisation_id": inspection.pk, "reason": "x"}),
    ):
        res = post(partner, f"/api/v1/cases/{case.pk}/{path}", {**payload, "version": version})
        assert res.status_code == 403, (path, res.content)
        assert Case.objects.get(pk=case.pk).version == version, path
    res = post(
        partner,
        f"/api/v1/cases/{case.pk}/transition",
        {"to_status": "resolved", "reason": "x", "resolution": "other", "version": version},
    )
    assert res.status_code == 403
    wrong = post(
        partner,
        f"/api/v1/cases/{case.pk}/transition",
        {"to_status": "closed", "reason": "x", "version": version},
    )
    assert wrong.status_code == 409 and wrong.json()["allowed"] == []


def test_projects_list_detail_history_and_flag(api, admin_actor, worker, make_user):
    from gongyou.employers.tests.factories import make_employer

    general = make_employer(actor=admin_actor, name="某建工集团")
    sub = make_employer(actor=admin_actor, name="某劳务公司")
    respondents = [
        {"employer_id": general.pk, "role": "general_contractor"},
        {"employer_id": sub.pk, "role": "subcontractor"},
    ]
    first = make_case(
        actor=admin_actor,
        workers=[worker],
        respondents=respondents,
        project={"name": "科技园二期", "address": "南山区", "region": "440305"},
    )
    project_id = first.respondents.first().project_id
    listed = api.get("/api/v1/projects").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["general_contractor"]["name"] == "某建工集团"
    assert [s["name"] for s in item["subcontractors"]] == ["某劳务公司"]
    assert item["arrears_flagged"] is False
    # A second wage case on the same project (picked by id) makes it a repeated one.
    res = post(
        api,
        "/api/v1/cases",
        {
            "type": "wage_arrears",
            "summary": "又欠薪",
            "region": "440305",
            "claimants": [{"worker_id": worker.pk, "amount_claimed": 100}],
            "respondents": [{"employer_id": sub.pk, "role": "subcontractor"}],
            "project_id": project_id,
        },
    )
    assert res.status_code == 201, res.content
    assert res.json()["respondents"][0]["project_id"] == project_id
    flagged = api.get("/api/v1/projects", {"flagged": "true"}).json()
    assert [p["id"] for p in flagged["items"]] == [project_id]
    history = api.get(f"/api/v1/projects/{project_id}/cases").json()
    assert history["count"] == 2
    assert api.get("/api/v1/cases", {"project_id": project_id}).json()["count"] == 2
    url = f"/api/v1/projects/{project_id}/arrears-flag"
    assert post(api, url, {"flagged": False, "reason": ""}).json()["fields"]["reason"]["code"] == (
        "required"
    )
    cleared = post(api, url, {"flagged": False, "reason": "已结清"})
    assert cleared.status_code == 200 and cleared.json()["arrears_flagged"] is False
    analyst = api_client_for(make_user("analyst"))
    assert analyst.get(f"/api/v1/projects/{project_id}").status_code == 200
    assert post(analyst, url, {"flagged": True, "reason": "x"}).status_code == 403
    outsider = api_client_for(make_user("case_handler", org="bj"))
    assert outsider.get(f"/api/v1/projects/{project_id}").status_code == 404
    assert outsider.get("/api/v1/projects").json()["count"] == 0
    both = post(
        api,
        "/api/v1/cases",
        {
            "type": "wage_arrears",
            "summary": "x",
            "region": "440305",
            "claimants": [{"worker_id": worker.pk}],
            "project_id": project_id,
            "project": {"name": "新项目", "region": "440305"},
        },
    )
    assert both.status_code == 422 and "project_id" in both.json()["fields"]
    unknown = post(
        api,
        "/api/v1/cases",
        {
            "type": "wage_arrears",
            "summary": "x",
            "region": "440305",
            "claimants": [{"worker_id": worker.pk}],
            "project_id": 999999,
        },
    )
    assert unknown.json()["fields"]["project_id"]["code"] == "unknown_project"
    alone = post(
        api,
        "/api/v1/cases",
        {
            "type": "wage_arrears",
            "summary": "x",
            "region": "440305",
            "claimants": [{"worker_id": worker.pk}],
            "project_id": project_id,
        },
    )
    # A case names a project through its respondents (the contractor or a subcontractor).
    assert alone.json()["fields"]["respondents"]["code"] == "required"
