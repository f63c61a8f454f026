from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from gongyou.cases.models import Attachment, CaseEvent
from gongyou.core.models import AuditEvent
from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"x" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def upload(client, case, name, content, kind="pay_record", **extra):
    return client.post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"file": SimpleUploadedFile(name, content), "kind": kind, **extra},
    )


def test_upload_list_and_download_are_gated_and_audited(case_factory, admin, make_user, worker):
    case = case_factory()
    api = api_client_for(admin)
    res = upload(api, case, "工资条.pdf", PDF, description="三月工资条")
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["content_type"] == "application/pdf" and body["size"] == len(PDF)
    stored = Attachment.objects.get(pk=body["id"])
    path = Path(settings.CASE_ATTACHMENTS_DIR) / stored.storage_name
    assert (
        path.read_bytes() == PDF and stored.storage_name.split("/")[-1] not in stored.original_name
    )
    assert not str(path).startswith(str(settings.BASE_DIR / "static"))
    assert CaseEvent.objects.filter(case=case, kind="attachment").exists()
    # the claimant's timeline shows the evidence was added
    assert AuditEvent.objects.filter(action="case.attachment_add", worker_id=worker.pk).exists()
    assert api.get(f"/api/v1/cases/{case.pk}/attachments").json()["count"] == 1

    download = api.get(f"/api/v1/cases/{case.pk}/attachments/{stored.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and "no-cache" in download["Cache-Control"]
    )
    assert (
        AuditEvent.objects.filter(action="case.attachment_view", entity_id=str(stored.pk)).count()
        == 1
    )

    outsider = api_client_for(make_user("case_handler", org="bj"))
    assert outsider.get(f"/api/v1/cases/{case.pk}/attachments/{stored.pk}").status_code == 404
    assert upload(outsider, case, "x.pdf", PDF).status_code == 404
    assert AuditEvent.objects.filter(action="case.attachment_view").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("evil.exe", b"MZ" + b"\x00" * 50, "type_not_allowed"),
        ("fake.pdf", b"MZ" + b"\x00" * 50, "content_mismatch"),
        ("photo.png", PDF, "content_mismatch"),
        ("empty.pdf", b"", "empty"),
        ("huge.pdf", b"%PDF-" + b"x" * (64 * 1024), "too_large"),
    ],
    ids=["exe", "renamed-exe", "pdf-as-png", "empty", "too-large"],
)
def test_bad_files_are_refused_and_nothing_is_kept(case_factory, admin, name, content, code):
    case = case_factory()
    res = upload(api_client_for(admin), case, name, content)
    assert res.status_code == 422 and res.json()["fields"]["file"]["code"] == code
    assert not Attachment.objects.exists()
    assert not any((Path(settings.CASE_ATTACHMENTS_DIR) / str(case.pk)).glob("*"))


def test_kind_is_required_and_png_accepted(case_factory, admin):
    case = case_factory()
    api = api_client_for(admin)
    bad = upload(api, case, "a.png", PNG, kind="selfie")
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"kind"}
    assert upload(api, case, "a.png", PNG, kind="photo").status_code == 201


def test_analyst_may_read_but_not_upload(case_factory, admin, make_user):
    case = case_factory()
    upload(api_client_for(admin), case, "a.pdf", PDF)
    analyst = api_client_for(make_user("analyst"))
    assert analyst.get(f"/api/v1/cases/{case.pk}/attachments").json()["count"] == 1
    assert upload(analyst, case, "b.pdf", PDF).status_code == 403


def test_pages_upload_list_and_download(case_factory, make_user, client):
    from django.core.files.uploadedfile import SimpleUploadedFile as F

    case = case_factory()
    client.force_login(make_user("case_handler", org="sz"))
    bad = client.post(
        f"/cases/{case.pk}/evidence/", {"ev-file": F("x.exe", b"MZ00"), "ev-kind": "other"}
    )
    assert (
        bad.status_code == 200
        and "error" in bad.content.decode()
        and not Attachment.objects.exists()
    )
    ok = client.post(
        f"/cases/{case.pk}/evidence/", {"ev-file": F("欠条.pdf", PDF), "ev-kind": "iou"}
    )
    assert ok.status_code == 302
    attachment = Attachment.objects.get()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "欠条.pdf" in page and f"/cases/{case.pk}/evidence/{attachment.pk}/" in page
    download = client.get(f"/cases/{case.pk}/evidence/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="case.attachment_view").count() == 1
    client.force_login(make_user("case_handler", org="bj"))
    assert client.get(f"/cases/{case.pk}/evidence/{attachment.pk}/").status_code == 404
