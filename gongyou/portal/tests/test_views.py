"""Portal pages: sign-in flow, a worker sees only their own records, complaint with evidence,
my data (download, consent, corrections), stations near me, Chinese by default; staff queues."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongyou.cases.enums import Channel
from gongyou.cases.models import Attachment, Case
from gongyou.core import crypto
from gongyou.core.models import AuditEvent
from gongyou.portal.auth import SESSION_ACCOUNT
from gongyou.portal.enums import CorrectionStatus, RegistrationStatus
from gongyou.portal.models import CorrectionRequest, PortalAccount, SelfRegistration
from gongyou.testing import make_national_id, make_phone
from gongyou.workers.models import Consent

from .conftest import last_code

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_pages_need_a_signed_in_account():
    client = Client()
    for name in (
        "portal:home",
        "portal:profile",
        "portal:cases",
        "portal:my_data",
        "portal:complaint_new",
        "portal:training",
        "portal:settlement",
        "portal:jobs",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("portal:sign_in")
        )


def test_sign_in_flow_links_and_reaches_home(memory_sms, sz_worker):
    client = Client()
    client.cookies["django_language"] = "en"
    phone = crypto.decrypt(sz_worker.phone_enc, context="phone")
    response = client.post(reverse("portal:sign_in"), {"phone": phone})
    assert response.status_code == 302
    page = client.get(reverse("portal:sign_in_code"))
    assert phone[-4:] in page.content.decode() and phone not in page.content.decode()
    wrong = client.post(
        reverse("portal:sign_in_code"),
        {"code": "000000" if last_code(memory_sms, phone) != "000000" else "111111"},
    )
    assert wrong.status_code == 200 and "wrong" in wrong.content.decode()
    response = client.post(reverse("portal:sign_in_code"), {"code": last_code(memory_sms, phone)})
    assert response["Location"] == reverse("portal:link")
    national_id = crypto.decrypt(sz_worker.national_id_enc, context="national_id")
    response = client.post(reverse("portal:link"), {"name": "李娜", "national_id": national_id})
    assert response["Location"] == reverse("portal:home")
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and "李娜" in home.content.decode()


def test_sign_in_errors_are_shown_next_to_the_input(memory_sms):
    client = Client()
    response = client.post(reverse("portal:sign_in"), {"phone": "12"})
    assert response.status_code == 200 and 'id="id_phone_error"' in response.content.decode()


def test_unlinked_account_goes_to_the_link_page_and_sees_its_pending_request(memory_sms):
    client = Client()
    client.cookies["django_language"] = "en"
    phone = make_phone()
    client.post(reverse("portal:sign_in"), {"phone": phone})
    client.post(reverse("portal:sign_in_code"), {"code": last_code(memory_sms, phone)})
    assert client.get(reverse("portal:home"))["Location"] == reverse("portal:link")
    typed = {"name": "赵强", "national_id": make_national_id(), "district_q": "宝安", "find": "1"}
    found = client.post(reverse("portal:link"), typed).content.decode()
    assert '<option value="440306"' in found and "赵强" in found  # the typed fields stay
    assert not SelfRegistration.objects.exists()
    entered = client.post(reverse("portal:link"), {k: v for k, v in typed.items() if k != "find"})
    assert '<option value="440306"' in entered.content.decode()  # Enter in the district box finds
    assert not SelfRegistration.objects.exists()
    response = client.post(
        reverse("portal:link"),
        {"name": "赵强", "national_id": make_national_id(), "current_region": "440306"},
    )
    assert response["Location"] == reverse("portal:link")
    page = client.get(reverse("portal:link")).content.decode()
    assert "Waiting for a station" in page
    client.post(reverse("portal:link_cancel"))
    assert SelfRegistration.objects.get().status == RegistrationStatus.CANCELLED


def test_sign_out_ends_the_session_everywhere(signed_in, sz_worker):
    client, account = signed_in(sz_worker)
    other = Client()
    other.cookies = client.cookies  # the same session id
    assert client.get(reverse("portal:home")).status_code == 200
    client.post(reverse("portal:sign_out"))
    account.refresh_from_db()
    assert account.session_version == 3  # created 1, linked 2, signed out 3
    assert client.get(reverse("portal:home")).status_code == 302


def test_a_session_of_an_older_link_is_refused(signed_in, sz_worker):
    client, account = signed_in(sz_worker)
    PortalAccount.objects.filter(pk=account.pk).update(session_version=account.session_version + 1)
    assert client.get(reverse("portal:profile")).status_code == 302
    assert SESSION_ACCOUNT not in client.session


def test_staff_session_is_not_a_portal_session(admin):
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("portal:home")).status_code == 302


def test_profile_shows_masked_identity_and_certificates(signed_in, sz_worker, admin_actor):
    from gongyou.workers.services import certificate_add

    certificate_add(
        actor=admin_actor,
        worker=sz_worker,
        occupation="6-29-01-01",
        level=4,
        certificate_no="S2024-001",
        issuing_organisation="深圳市职业技能鉴定中心",
        issued_on="2024-03-01",
    )
    client, _account = signed_in(sz_worker)
    page = client.get(reverse("portal:profile")).content.decode()
    national_id = crypto.decrypt(sz_worker.national_id_enc, context="national_id")
    assert sz_worker.national_id_masked in page and national_id not in page
    assert "S2024-001" in page


def _file_case(client: Client, **extra: object) -> object:
    data = {
        "type": "wage_arrears",
        "summary": "工地拖欠三个月工资",
        "employer": "某建筑公司",
        "description": "2026年8月至10月",
        "amount_claimed": "15000",
        "region": "440306",
        "attachment_0": SimpleUploadedFile("工资条.pdf", PDF, content_type="application/pdf"),
        "attachment_0_kind": "pay_record",
    }
    data.update(extra)
    return client.post(reverse("portal:complaint_new"), data)


def test_filing_a_complaint_with_evidence(signed_in, sz_worker, orgs):
    client, _account = signed_in(sz_worker)
    response = _file_case(client)
    case = Case.objects.get()
    assert response["Location"] == reverse("portal:case_detail", args=[case.pk])
    assert case.channel == Channel.SELF_SERVICE and case.organisation == orgs["sz"]
    assert case.status == "received" and case.created_by is None
    assert "某建筑公司" in case.description
    assert list(case.claimants.values_list("worker_id", "amount_claimed")) == [
        (sz_worker.pk, 15000)
    ]
    assert Attachment.objects.get(case=case).uploaded_by is None
    audit = AuditEvent.objects.filter(action="case.intake", worker_id=sz_worker.pk).get()
    assert audit.actor_label == f"portal: worker {sz_worker.pk}"
    detail = client.get(response["Location"]).content.decode()
    assert case.reference in detail and "Evidence added" in detail
    listing = client.get(reverse("portal:cases")).content.decode()
    assert case.reference in listing and "case handler will check" in listing


def test_complaint_errors_name_the_fields_and_the_bad_file(signed_in, sz_worker, orgs):
    client, _account = signed_in(sz_worker)
    response = _file_case(
        client,
        type="",
        summary="",
        attachment_0=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf"),
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "not a real .pdf file" in page and 'id="id_summary_error"' in page


def test_work_injury_needs_its_date(signed_in, sz_worker, orgs):
    client, _account = signed_in(sz_worker)
    response = _file_case(client, type="work_injury")
    assert response.status_code == 200 and 'id="id_incident_on_error"' in response.content.decode()


def test_a_worker_sees_only_their_own_cases_and_requests(
    signed_in, sz_worker, worker_factory, orgs
):
    other_worker = worker_factory(name="王芳")
    mine, _ = signed_in(sz_worker)
    theirs, _their_account = signed_in(other_worker)
    _file_case(theirs)
    case = Case.objects.get()
    assert mine.get(reverse("portal:case_detail", args=[case.pk])).status_code == 404
    assert case.reference not in mine.get(reverse("portal:cases")).content.decode()
    theirs.post(reverse("portal:correction_new"), {"field": "name", "requested_value": "王芳芳"})
    correction = CorrectionRequest.objects.get()
    assert mine.post(reverse("portal:correction_withdraw", args=[correction.pk])).status_code == 404
    data = json.loads(mine.get(reverse("portal:data_json")).content)
    assert data["cases"] == [] and data["correction_requests"] == []
    assert data["worker"]["name"] == "李娜"


def test_my_data_download_consent_and_correction(signed_in, sz_worker, orgs):
    client, _account = signed_in(sz_worker)
    _file_case(client)
    page = client.get(reverse("portal:my_data")).content.decode()
    assert "Download (JSON)" in page
    client.post(reverse("portal:consent"), {"purpose": "contact", "granted": "1"})
    client.post(reverse("portal:consent"), {"purpose": "contact", "granted": "0"})
    latest = Consent.objects.filter(worker=sz_worker, purpose="contact").first()
    assert latest is not None and latest.granted is False and latest.method == "online"
    response = client.post(
        reverse("portal:correction_new"), {"field": "education", "requested_value": "高中"}
    )
    assert response.status_code == 302
    again = client.post(
        reverse("portal:correction_new"), {"field": "education", "requested_value": "高中"}
    )
    assert "already asked" in again.content.decode()
    blank = client.post(reverse("portal:correction_new"), {"field": "", "requested_value": ""})
    assert 'id="id_field_error"' in blank.content.decode()
    data = json.loads(client.get(reverse("portal:data_json")).content)
    assert data["worker"]["national_id"] == sz_worker.national_id_masked
    assert len(data["cases"]) == 1 and data["cases"][0]["timeline"]
    assert [c["granted"] for c in data["consents"] if c["purpose"] == "contact"] == [True, False]
    assert data["correction_requests"][0]["field"] == "education"
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("portal:data_zip")).content))
    assert {"my-data.json", "cases.json", "README.txt"} <= set(archive.namelist())
    assert (
        AuditEvent.objects.filter(action="portal.data_export", worker_id=sz_worker.pk).count() == 2
    )
    correction = CorrectionRequest.objects.get()
    client.post(reverse("portal:correction_withdraw", args=[correction.pk]))
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.WITHDRAWN


def test_stations_near_me_by_location_and_by_district(station_factory):
    station_factory(
        name="科技园驿站", latitude=22.54, longitude=113.95, region="440305", phone="0755-1234"
    )
    station_factory(name="北京站", latitude=39.9, longitude=116.4, region="110105")
    client = Client()
    near = client.get(
        reverse("portal:stations"), {"lat": "22.55", "lng": "113.96"}
    ).content.decode()
    assert "科技园驿站" in near and "北京站" not in near and " km" in near
    by_district = client.get(reverse("portal:stations"), {"district": "110105"}).content.decode()
    assert "北京站" in by_district and "科技园驿站" not in by_district
    search = client.get(reverse("portal:stations"), {"q": "南山"}).content.decode()
    assert "?district=440305" in search


def test_portal_is_chinese_by_default_and_follows_a_chosen_language(signed_in, sz_worker):
    client = Client(headers={"Accept-Language": "en-US,en"})
    page = client.get(reverse("portal:sign_in"))
    assert '<html lang="zh-hans">' in page.content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get(reverse("portal:sign_in")).content.decode()


def test_pages_are_small(signed_in, sz_worker, orgs):
    client, _account = signed_in(sz_worker)
    for name in (
        "portal:home",
        "portal:profile",
        "portal:cases",
        "portal:my_data",
        "portal:complaint_new",
        "portal:training",
        "portal:settlement",
        "portal:jobs",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert len(response.content) < 20_000, name
        assert "<script" not in response.content.decode() or name == "portal:stations"


def test_staff_confirm_page(memory_sms, make_user, station_factory):
    from gongyou.portal import services

    phone = make_phone()
    services.sign_in_code_send(phone=phone)
    account = services.sign_in_code_verify(phone=phone, code=last_code(memory_sms, phone))
    reg = services.account_link(
        account=account,
        name="赵强",
        national_id=make_national_id(region="510104"),
        current_region="440306",
    )
    staff = make_user("station_staff", station=station_factory(region="440306"))
    client = Client()
    client.force_login(staff)
    listing = client.get(reverse("portal:staff_registrations")).content.decode()
    assert "赵强" in listing
    url = reverse("portal:staff_registration", args=[reg.pk])
    refused = client.post(
        url, {"decision": "confirm", "hukou_region": "510104", "current_region": "440306"}
    )
    assert "ID card" in refused.content.decode()
    done = client.post(
        url,
        {
            "decision": "confirm",
            "hukou_region": "510104",
            "current_region": "440306",
            "id_card_seen": "on",
        },
    )
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.worker_id is not None
    beijing = Client()
    beijing.force_login(make_user("org_admin", org="bj"))
    assert beijing.get(url).status_code == 404
    analyst = Client()
    analyst.force_login(make_user("analyst"))
    assert analyst.get(reverse("portal:staff_registrations")).status_code == 403


def test_staff_answer_a_correction(signed_in, sz_worker, sz_admin, make_user):
    client, _account = signed_in(sz_worker)
    client.post(reverse("portal:correction_new"), {"field": "name", "requested_value": "李娜娜"})
    correction = CorrectionRequest.objects.get()
    staff = Client()
    staff.force_login(sz_admin)
    assert "李娜娜" in staff.get(reverse("portal:staff_corrections")).content.decode()
    url = reverse("portal:staff_correction", args=[correction.pk])
    refused = staff.post(url, {"decision": "refuse", "reply": ""})
    assert refused.status_code == 200 and "why" in refused.content.decode()
    staff.post(url, {"decision": "refuse", "reply": "请带户口本到站点核对"})
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.REFUSED
    assert "请带户口本到站点核对" in client.get(reverse("portal:my_data")).content.decode()
    beijing = Client()
    beijing.force_login(make_user("org_admin", org="bj"))
    assert beijing.get(url).status_code == 404
