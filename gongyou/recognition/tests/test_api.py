"""The recognition API: rounds, quotas, nominations, decisions, evidence, objections."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongyou.accounts.policies import actor_for
from gongyou.recognition.tests.factories import NOTICE_END, NOTICE_START, make_nomination
from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db


def test_round_quota_and_nomination_flow(organiser, nominator, orgs, worker):
    org_api = api_client_for(organiser)
    res = org_api.post(
        "/api/v1/award-rounds",
        {
            "award_type": "provincial_model_worker",
            "year": 2026,
            "title": "广东省劳动模范",
            "nominations_close_on": "2099-12-31",
        },
        content_type="application/json",
    )
    assert res.status_code == 201, res.content
    round_id = res.json()["id"]
    res = org_api.post(
        f"/api/v1/award-rounds/{round_id}/quotas",
        {"organisation_id": orgs["sz"].pk, "quota": 3},
        content_type="application/json",
    )
    assert res.json()["quotas"][0]["quota"] == 3
    nom_api = api_client_for(nominator)
    res = nom_api.post(
        f"/api/v1/award-rounds/{round_id}/nominations",
        {"worker_id": worker.pk, "nominee_unit": "比亚迪", "justification": "技术革新"},
        content_type="application/json",
    )
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["is_migrant_worker"] is True and body["nominee_name"] == "王强"
    res = org_api.post(
        f"/api/v1/nominations/{body['id']}/transition",
        {"to_status": "under_review", "reason": "初审通过", "version": body["version"]},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["status"] == "under_review"
    res = nom_api.get(f"/api/v1/nominations?round_id={round_id}&migrant=true")
    assert res.json()["count"] == 1
    res = nom_api.post(
        f"/api/v1/nominations/{body['id']}/transition",
        {"to_status": "recommended", "reason": "x", "version": 2},
        content_type="application/json",
    )
    assert res.status_code == 403


def test_errors_have_the_one_shape(organiser, nominator, award_round, make_user):
    api = api_client_for(nominator)
    res = api.post(
        f"/api/v1/award-rounds/{award_round.pk}/nominations", {}, content_type="application/json"
    )
    assert res.status_code in (409, 422)
    body = res.json()
    assert set(body) >= {"code", "message", "fields"}
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    bj = api_client_for(make_user("org_admin", org="bj"))
    assert bj.get(f"/api/v1/nominations/{nomination.pk}").status_code == 404
    assert bj.get(f"/api/v1/award-rounds/{award_round.pk}").status_code == 404
    res = api.post(
        f"/api/v1/nominations/{nomination.pk}/transition",
        {"to_status": "awarded", "reason": "x", "version": 1},
        content_type="application/json",
    )
    assert res.status_code == 409 and res.json()["code"] == "nomination_transition_not_allowed"


def test_evidence_upload_list_and_download(nominator, award_round):
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    api = api_client_for(nominator)
    res = api.post(
        f"/api/v1/nominations/{nomination.pk}/evidence",
        {"file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nrest"), "kind": "photo"},
    )
    assert res.status_code == 201, res.content
    evidence_id = res.json()["id"]
    assert api.get(f"/api/v1/nominations/{nomination.pk}/evidence").json()["count"] == 1
    res = api.get(f"/api/v1/nominations/{nomination.pk}/evidence/{evidence_id}")
    assert res.status_code == 200 and b"".join(res.streaming_content).startswith(b"\x89PNG")
    assert res["Content-Disposition"].startswith("attachment")


def test_objection_routes(organiser, nominator, award_round):
    from gongyou.recognition.tests.factories import force_status

    nomination = force_status(
        make_nomination(actor=actor_for(nominator), award_round=award_round), "in_notice"
    )
    api = api_client_for(organiser)
    res = api.post(
        f"/api/v1/nominations/{nomination.pk}/objections",
        {"content": "有异议", "received_on": str(NOTICE_START)},
        content_type="application/json",
    )
    assert res.status_code == 201, res.content
    objection_id = res.json()["id"]
    res = api.post(
        f"/api/v1/nominations/{nomination.pk}/objections/{objection_id}/handle",
        {"decision": "dismissed", "note": "不属实"},
        content_type="application/json",
    )
    assert res.json()["status"] == "dismissed"
    assert api.get(f"/api/v1/nominations/{nomination.pk}/objections").status_code == 200
    assert (
        api.post(
            f"/api/v1/nominations/{nomination.pk}/objections",
            {"content": "x", "received_on": str(NOTICE_END.replace(month=5))},
            content_type="application/json",
        ).json()["fields"]["received_on"]["code"]
        == "outside_notice"
    )
