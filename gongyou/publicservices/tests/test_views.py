"""Every page renders for the people who use it, forms show specific errors, writes go through."""

from __future__ import annotations

import pytest
from django.test import Client

from gongyou.accounts.services import user_create
from gongyou.publicservices import services
from gongyou.publicservices.models import FamilyMember, Referral, ServiceVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


def test_catalogue_and_service_pages(client_for, admin):
    c = client_for(admin)
    html = c.get("/public-services/?city=310100").content.decode()
    assert "上海市随迁子女参加中高考" in html and "conditions not recorded" in html
    v = ServiceVersion.objects.get(needs_points=True)
    html = c.get(f"/public-services/services/{v.service_id}/").content.decode()
    assert "Residence-permit points reach" in html and "in force" in html
    partial = c.get("/public-services/?kind=legal_aid", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_new_service_and_draft_flow(client_for, admin):
    c = client_for(admin)
    res = c.post("/public-services/services/new/", {"city": "440305", "kind": "", "name": ""})
    assert res.status_code == 422
    body = res.content.decode()
    assert "prefecture-level city" in body and "Choose the service." in body
    res = c.post(
        "/public-services/services/new/",
        {"city": "440300", "kind": "legal_aid", "name": "法律援助"},
    )
    assert res.status_code == 302
    service_id = int(res["Location"].rstrip("/").split("/")[-3])
    res = c.post(
        f"/public-services/services/{service_id}/versions/new/",
        {"effective_from": "2024-01-01", "source": "s", "trust": "V", "conditions": "[{bad"},
    )
    assert res.status_code == 422 and "Not valid JSON" in res.content.decode()
    res = c.post(
        f"/public-services/services/{service_id}/versions/new/",
        {
            "beneficiary": "worker",
            "effective_from": "2024-01-01",
            "source": "某区司法局公告",
            "trust": "S",
            "conditions": '[{"type": "residence_permit"}]',
            "documents": "身份证\n居住证",
        },
    )
    assert res.status_code == 302
    v = ServiceVersion.objects.get(service_id=service_id)
    assert v.documents == ["身份证", "居住证"] and v.status == "draft"
    res = c.post(
        f"/public-services/versions/{v.pk}/edit/",
        {"effective_from": "2024-02-01", "source": "s", "trust": "S", "version": 1},
    )
    assert res.status_code == 302
    c.post(
        f"/public-services/versions/{v.pk}/transition/", {"to_status": "published", "version": 2}
    )
    v.refresh_from_db()
    assert v.status == "published"


def test_worker_page_print_text_family_and_referral(client_for, admin, worker_factory):
    w = worker_factory()
    c = client_for(admin)
    html = c.get(f"/public-services/workers/{w.pk}/").content.decode()
    assert "深圳市基本医疗保险" in html and w.national_id_masked in html
    res = c.post(f"/public-services/workers/{w.pk}/family/", {"relation": "child", "name": "小明"})
    assert res.status_code == 422 and "birth date" in res.content.decode()
    res = c.post(
        f"/public-services/workers/{w.pk}/family/",
        {
            "relation": "child",
            "name": "小明",
            "birth_date": "2017-05-01",
            "lives_with_worker": "on",
        },
    )
    assert res.status_code == 302
    member = FamilyMember.objects.get(worker=w)
    html = c.get(f"/public-services/workers/{w.pk}/").content.decode()
    assert "深圳市随迁子女义务教育入学" in html and "for 小明" in html
    res = c.get(f"/public-services/workers/{w.pk}/family/{member.pk}/")
    assert res.status_code == 200
    res = c.post(
        f"/public-services/workers/{w.pk}/family/{member.pk}/",
        {
            "relation": "child",
            "name": "小明",
            "birth_date": "2017-05-01",
            "school_stage": "primary",
            "version": 1,
        },
    )
    assert res.status_code == 302
    printable = c.get(f"/public-services/workers/{w.pk}/print/").content.decode()
    assert "Documents to bring" in printable and "publicservices.css" in printable
    text = c.get(f"/public-services/workers/{w.pk}/text/")
    assert (
        text["Content-Type"].startswith("text/plain")
        and "You can use now:" in text.content.decode()
    )
    service_id = ServiceVersion.objects.get(
        service__city_id="440300", service__kind="medical_insurance"
    ).service_id
    res = c.post(
        f"/public-services/workers/{w.pk}/refer/", {"service_id": service_id, "note": "请办理"}
    )
    assert res.status_code == 302
    r = Referral.objects.get()
    assert "referrals" in res["Location"]
    res = c.post(f"/public-services/workers/{w.pk}/refer/", {"service_id": service_id})
    assert res.status_code == 409 and "open referral" in res.content.decode()  # as the API
    res = c.post(f"/public-services/workers/{w.pk}/refer/", {"service_id": "x"})
    assert res.status_code == 422
    assert c.get(f"/public-services/referrals/{r.pk}/").status_code == 200
    assert "深圳市基本医疗保险" in c.get("/public-services/referrals/").content.decode()


def test_department_queue_and_outcome(
    client_for, worker_factory, published, department, admin_actor
):
    version = published(department=department.pk, open_to_all=True)
    w = worker_factory()
    r = services.referral_create(actor=admin_actor, worker=w, service_id=version.service_id)
    dept_user = user_create(
        actor=None,
        username="edu2",
        password=None,
        organisation=department,
        roles=["programme_officer"],
        station=None,
    )
    c = client_for(dept_user)
    html = c.get("/public-services/referrals/?queue=on").content.decode()
    assert "1 open referral to my organisation" in html and w.name in html
    page = c.get(f"/public-services/referrals/{r.pk}/").content.decode()
    assert "Mark pending" in page and "Withdraw" not in page
    c.post(f"/public-services/referrals/{r.pk}/transition/", {"to_status": "refused", "version": 1})
    r.refresh_from_db()
    assert r.status == "referred"  # no reason: refused with a message
    c.post(
        f"/public-services/referrals/{r.pk}/transition/",
        {"to_status": "refused", "version": 1, "reason": "户籍材料不全"},
    )
    r.refresh_from_db()
    assert r.status == "refused" and r.reason == "户籍材料不全"
    assert (
        "This referral is closed." in c.get(f"/public-services/referrals/{r.pk}/").content.decode()
    )


def test_out_of_scope_worker_is_404(client_for, make_user, worker_factory):
    w = worker_factory()
    c = client_for(make_user("case_handler", org="bj"))
    assert c.get(f"/public-services/workers/{w.pk}/").status_code == 404
