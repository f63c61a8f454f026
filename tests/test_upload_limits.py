"""Upload limits (docs/security.md): every limit is set explicitly; an oversize upload gets a
clear error — 413 for a request body over the site's limit, before anything reads it; 422 (API)
or the form shown again (pages) naming the file field for a file over its feature's limit — and
nothing is stored: no row, no file, no audit entry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongyou.accounts.policies import actor_for
from gongyou.cases.models import Attachment, Case
from gongyou.cases.tests.factories import make_case
from gongyou.core.middleware import request_max_bytes
from gongyou.core.models import AuditEvent
from gongyou.imports.models import ImportJob
from gongyou.recognition.models import NominationEvidence
from gongyou.recognition.tests.factories import give_quota, make_nomination, make_round
from gongyou.testing import api_client_for

from .pages import portal_client_for

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024  # CASE_ATTACHMENT_MAX_BYTES in the test settings
PDF = b"%PDF-1.7\n"
OVERSIZE_PDF = PDF + b"x" * LIMIT  # one byte-run over the evidence limit
SETTINGS = Path(settings.BASE_DIR) / "config" / "settings" / "base.py"


def files_under(folder: Path) -> list[Path]:
    return [p for p in Path(folder).rglob("*") if p.is_file()] if Path(folder).exists() else []


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.CASE_ATTACHMENTS_DIR = tmp_path / "attachments"
    settings.RECOGNITION_EVIDENCE_DIR = tmp_path / "recognition"
    settings.IMPORTS_DIR = tmp_path / "imports"
    assert settings.CASE_ATTACHMENT_MAX_BYTES == LIMIT


@pytest.fixture
def case(admin_actor, worker_factory):
    return make_case(actor=admin_actor, workers=[worker_factory(current_region="440305")])


def test_every_limit_is_set_explicitly_in_the_settings():
    tree = ast.parse(SETTINGS.read_text())
    assigned = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for name in (
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "DATA_UPLOAD_MAX_NUMBER_FIELDS",
        "DATA_UPLOAD_MAX_NUMBER_FILES",
        "FILE_UPLOAD_MAX_MEMORY_SIZE",
        "CASE_ATTACHMENT_MAX_BYTES",
        "IMPORT_MAX_BYTES",
        "REQUEST_MAX_BYTES",
        "REQUEST_MAX_BYTES_BY_PATH",
    ):
        assert name in assigned, name
    # The request limit leaves room for the largest legitimate request of each kind.
    assert request_max_bytes("/me/cases/new/") >= 3 * settings.CASE_ATTACHMENT_MAX_BYTES
    assert request_max_bytes("/imports/new/") > settings.IMPORT_MAX_BYTES
    assert request_max_bytes("/api/v1/imports") > settings.IMPORT_MAX_BYTES
    assert request_max_bytes("/cases/1/evidence/") < settings.IMPORT_MAX_BYTES


# --- 413: the request body is over the site's limit -----------------------------------------


def test_an_oversize_request_is_refused_before_it_is_read(settings, case, admin):
    settings.REQUEST_MAX_BYTES = 32 * 1024
    client = Client()
    client.force_login(admin)
    audits = AuditEvent.objects.count()
    response = client.post(
        f"/cases/{case.pk}/evidence/",
        {"ev-file": SimpleUploadedFile("a.pdf", PDF + b"x" * 40 * 1024), "ev-kind": "pay_record"},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "Upload too large" in html and "larger than 32.0\xa0KB" in html
    assert "Nothing was stored" in html
    assert response["Content-Security-Policy"]  # an ordinary page of the site
    assert Attachment.objects.count() == 0 and files_under(settings.CASE_ATTACHMENTS_DIR) == []
    assert AuditEvent.objects.count() == audits


def test_an_oversize_api_request_gets_the_error_shape(settings, case, admin):
    settings.REQUEST_MAX_BYTES = 32 * 1024
    response = api_client_for(admin).post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"file": SimpleUploadedFile("a.pdf", PDF + b"x" * 40 * 1024), "kind": "pay_record"},
    )
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "request_too_large" and body["fields"] == {}
    assert "Nothing was stored" in body["message"]
    assert Attachment.objects.count() == 0 and files_under(settings.CASE_ATTACHMENTS_DIR) == []


def test_the_import_upload_has_its_own_larger_limit(settings, admin):
    settings.REQUEST_MAX_BYTES = 1024
    settings.REQUEST_MAX_BYTES_BY_PATH = {"/api/v1/imports": 64 * 1024}
    data = ("身份证号,姓名\n" + "110105194912310021,张三\n" * 200).encode()
    assert 1024 < len(data) < 64 * 1024
    response = api_client_for(admin).post(
        "/api/v1/imports", {"kind": "workers", "file": SimpleUploadedFile("w.csv", data)}
    )
    assert response.status_code == 202, response.content


# --- 422 / the form again: a file over its feature's limit ------------------------------------


def test_oversize_case_evidence_through_the_api(case, admin):
    response = api_client_for(admin).post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"file": SimpleUploadedFile("big.pdf", OVERSIZE_PDF), "kind": "pay_record"},
    )
    assert response.status_code == 422
    error = response.json()["fields"]["file"]
    assert error["code"] == "too_large" and "larger than" in error["message"]
    assert Attachment.objects.count() == 0 and files_under(settings.CASE_ATTACHMENTS_DIR) == []
    assert not AuditEvent.objects.filter(action="case.attachment_add").exists()


def test_oversize_case_evidence_on_the_page(case, admin):
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/cases/{case.pk}/evidence/",
        {"ev-file": SimpleUploadedFile("big.pdf", OVERSIZE_PDF), "ev-kind": "pay_record"},
    )
    assert response.status_code == 200  # the case page again, the error on the file field
    form = response.context["attachment_form"]
    assert list(form.errors) == ["file"] and "larger than" in form.errors["file"][0]
    assert "larger than" in response.content.decode()
    assert Attachment.objects.count() == 0 and files_under(settings.CASE_ATTACHMENTS_DIR) == []


def test_oversize_evidence_in_a_portal_complaint(worker_factory):
    worker = worker_factory(current_region="440306")
    client = portal_client_for(worker)
    cases = Case.objects.count()
    response = client.post(
        "/me/cases/new/",
        {
            "type": "wage_arrears",
            "summary": "工地拖欠三个月工资",
            "region": "440306",
            "attachment_0": SimpleUploadedFile("工资条.pdf", OVERSIZE_PDF),
            "attachment_0_kind": "pay_record",
        },
    )
    assert response.status_code == 200
    assert response.context["slots"][0]["errors"], response.context["slots"]
    assert "larger than" in response.context["slots"][0]["errors"][0]
    assert Case.objects.count() == cases  # no complaint without its evidence
    assert Attachment.objects.count() == 0 and files_under(settings.CASE_ATTACHMENTS_DIR) == []


def test_oversize_nomination_evidence(make_user, orgs):
    organiser = actor_for(make_user("programme_officer", org="gd"))
    nominator = make_user("programme_officer", org="sz")
    award_round = make_round(actor=organiser)
    give_quota(actor=organiser, award_round=award_round, organisation=orgs["sz"])
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    response = api_client_for(nominator).post(
        f"/api/v1/nominations/{nomination.pk}/evidence",
        {"file": SimpleUploadedFile("big.pdf", OVERSIZE_PDF), "kind": "photo"},
    )
    assert response.status_code == 422
    assert response.json()["fields"]["file"]["code"] == "too_large"
    assert (
        NominationEvidence.objects.count() == 0
        and files_under(settings.RECOGNITION_EVIDENCE_DIR) == []
    )


def test_oversize_import_file(settings, admin):
    settings.IMPORT_MAX_BYTES = 1024
    data = ("身份证号,姓名\n" + "110105194912310021,张三\n" * 200).encode()
    response = api_client_for(admin).post(
        "/api/v1/imports", {"kind": "workers", "file": SimpleUploadedFile("w.csv", data)}
    )
    assert response.status_code == 422
    error = response.json()["fields"]["file"]
    assert error["code"] == "too_large"
    assert ImportJob.objects.count() == 0 and files_under(settings.IMPORTS_DIR) == []


# --- Django's own bounds --------------------------------------------------------------------


def test_too_many_files_or_fields_are_refused(case, admin):
    client = Client()
    client.force_login(admin)
    many_files = {
        f"f{i}": SimpleUploadedFile(f"{i}.pdf", PDF)
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    }
    assert client.post(f"/cases/{case.pk}/evidence/", many_files).status_code == 400
    many_fields = {f"x{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post(f"/cases/{case.pk}/evidence/", many_fields).status_code == 400
    big_field = {"ev-description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    assert client.post(f"/cases/{case.pk}/evidence/", big_field).status_code == 400
    assert Attachment.objects.count() == 0 and files_under(settings.CASE_ATTACHMENTS_DIR) == []
