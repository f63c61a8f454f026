"""The exports API: 202 + job, polling, download rights, reveal 403, error shape."""

import pytest

from gongyou.core.models import AuditEvent
from gongyou.exports.models import ExportJob
from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def send(client, body):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/v1/exports", body, content_type="application/json")

    return send


def test_create_poll_and_download(post, analyst, sz_worker, bj_worker):
    client = api_client_for(analyst)
    res = post(client, {"kind": "workers", "format": "csv", "filters": {"sex": "M"}})
    assert res.status_code == 202, res.content
    body = res.json()
    assert body["status"] == "pending" and body["filters"]["sex"] == "M"
    job = client.get(f"/api/v1/exports/{body['id']}").json()
    assert job["status"] == "completed" and job["row_count"] == 1
    assert job["download_url"] == f"/api/v1/exports/{body['id']}/download"
    res = client.get(job["download_url"])
    assert res.status_code == 200
    assert res["Content-Disposition"].startswith("attachment;")
    assert "no-store" in res["Cache-Control"] or "no-cache" in res["Cache-Control"]
    data = b"".join(res.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf") and "李深圳".encode() in data
    assert "王北京".encode() not in data
    assert (
        AuditEvent.objects.filter(action="export.download", entity_id=str(body["id"])).count() == 1
    )
    listed = client.get("/api/v1/exports").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]


def test_reveal_without_the_capability_is_403(post, analyst):
    res = post(
        api_client_for(analyst),
        {"kind": "workers", "format": "csv", "reveal": True, "purpose": "x"},
    )
    assert res.status_code == 403 and res.json()["code"] == "permission_denied"
    assert not ExportJob.objects.exists()


def test_bad_input_names_every_field(post, analyst):
    res = post(api_client_for(analyst), {"kind": "pets", "format": "pdf"})
    assert res.status_code == 422
    assert {"kind", "format"} <= set(res.json()["fields"])
    res = post(api_client_for(analyst), {"kind": "workers", "format": "csv", "filters": {"x": 1}})
    assert res.status_code == 422 and "filters.x" in res.json()["fields"]


def test_download_is_for_the_creator_and_their_organisation_admins(
    post, analyst, make_user, sz_worker
):
    job_id = post(api_client_for(analyst), {"kind": "workers", "format": "csv"}).json()["id"]
    url = f"/api/v1/exports/{job_id}/download"
    assert api_client_for(make_user("org_admin", org="sz")).get(url).status_code == 200
    for stranger in (
        make_user("case_handler", org="sz"),  # same organisation, not an admin
        make_user("org_admin", org="bj"),  # admin elsewhere
        make_user("system_admin", org="gd"),  # admin of the parent organisation
    ):
        client = api_client_for(stranger)
        assert client.get(url).status_code == 404
        assert client.get(f"/api/v1/exports/{job_id}").status_code == 404


def test_not_ready_and_retry_contract(
    post, analyst, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EXPORTS_DIR = tmp_path / "file-not-dir"
    (tmp_path / "file-not-dir").write_text("a file where the folder should be")
    client = api_client_for(analyst)
    job = post(client, {"kind": "stations", "format": "xlsx"}).json()
    job = client.get(f"/api/v1/exports/{job['id']}").json()
    assert job["status"] == "failed" and job["error"] and job["download_url"] is None
    res = client.get(f"/api/v1/exports/{job['id']}/download")
    assert res.status_code == 409 and res.json()["code"] == "export_not_ready"
    settings.EXPORTS_DIR = tmp_path / "exports"
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(f"/api/v1/exports/{job['id']}/retry")
    assert res.status_code == 202 and res.json()["status"] == "pending"
    job = client.get(f"/api/v1/exports/{job['id']}").json()
    assert job["status"] == "completed" and job["error"] == "" and job["attempts"] == 2
