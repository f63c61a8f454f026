"""Registry pages: search, register, detail, edit, reveal, certificates, consent (and the token page)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongyou.core.models import AuditEvent
from gongyou.testing import make_national_id
from gongyou.workers.models import Consent, SkillCertificate, Worker

pytestmark = pytest.mark.django_db


# 440524188001010014 (often quoted as valid) is refused by parse_national_id: born before 1900.
SZ_ID = make_national_id(birth=dt.date(1985, 3, 15), seq=6)  # 440305 19850315 013: male (odd)
BJ_ID = "11010519491231002X"  # female, born 1949-12-31


@pytest.fixture
def register(worker_factory):
    """A worker registered by the system administrator (root conftest), living in `region`."""

    def make(*, nid: str, name: str, region: str, phone: str = "13812345678", **extra):
        return worker_factory(
            national_id=nid,
            name=name,
            phone=phone,
            hukou_region=region,
            current_region=region,
            **extra,
        )

    return make


@pytest.fixture
def sz_worker(register):
    return register(nid=SZ_ID, name="张伟", region="440305")


@pytest.fixture
def bj_worker(register):
    return register(nid=BJ_ID, name="李娜", region="110105", phone="13912345678")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- list -----------------------------------------------------------------------------------


def test_list_shows_workers_in_scope_only(make_user, sz_worker, bj_worker):
    response = client_for(make_user("case_handler")).get(reverse("workers:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "张伟" in body and sz_worker.national_id_masked in body
    assert "李娜" not in body
    # the current region label (not only the header's "深圳市总工会", the user's organisation)
    assert "深圳" in body and "广东省 深圳市 南山区" in body
    assert SZ_ID not in body


def test_list_exact_id_search_offers_a_direct_link(make_user, sz_worker):
    response = client_for(make_user("case_handler")).post(
        reverse("workers:list"), {"national_id": SZ_ID}
    )
    assert response.status_code == 200
    assert reverse("workers:detail", args=[sz_worker.pk]) in response.content.decode()
    assert response.context["exact"] == sz_worker


def test_list_htmx_search_returns_only_the_results(make_user, sz_worker):
    response = client_for(make_user("case_handler")).post(
        reverse("workers:list"), {"name": "张"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "张伟" in body


def test_list_filters_by_sex_and_region(make_user, register, sz_worker):
    register(
        nid=make_national_id(birth=dt.date(1990, 1, 1), sex="F", seq=62),  # order 124: female
        name="王芳",
        region="440305",
    )
    client = client_for(make_user("case_handler"))
    body = client.get(reverse("workers:list"), {"sex": "F", "region": "440305"}).content.decode()
    assert "王芳" in body and "张伟" not in body


# --- register -------------------------------------------------------------------------------


def test_register_page_renders(make_user):
    response = client_for(make_user("case_handler")).get(reverse("workers:register"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="national_id"' in body and 'for="id_name"' in body


def test_register_is_forbidden_for_analysts(make_user):
    assert client_for(make_user("analyst")).get(reverse("workers:register")).status_code == 403


def test_register_shows_every_field_error_and_keeps_the_input(make_user):
    data = {
        "national_id": "440524188001010015",
        "name": "",
        "phone": "12345",
        "hukou_region": "999999",
        "current_region": "440305",
        "current_address": "南山区科技园",
    }
    response = client_for(make_user("case_handler")).post(reverse("workers:register"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"national_id", "name", "phone", "hukou_region"} <= set(form.errors)
    body = response.content.decode()
    assert (
        'id="id_name_error"' in body
        and 'id="id_phone_error"' in body
        and 'id="id_hukou_region_error"' in body
    )
    assert 'value="南山区科技园"' in body and 'value="12345"' in body
    assert form.service_error.message in body
    assert not Worker.objects.exists()


def test_register_creates_the_worker_and_redirects(make_user):
    data = {
        "national_id": SZ_ID,
        "name": "张伟",
        "phone": "138 1234 5678",
        "hukou_region": "440305",
        "current_region": "440305",
        "education": "junior_secondary",
        "union_member": "on",
        "union_joined_on": "2020-05-01",
        "consent": "on",
        "consent_method": "paper",
    }
    response = client_for(make_user("case_handler")).post(reverse("workers:register"), data)
    worker = Worker.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workers:detail", args=[worker.pk])
    assert worker.sex == "M" and worker.union_member and worker.education == "junior_secondary"
    assert Consent.objects.filter(worker=worker, purpose="registry", granted=True).exists()


def test_register_duplicate_links_to_the_existing_worker(make_user, sz_worker):
    data = {
        "national_id": SZ_ID,
        "name": "张伟",
        "phone": "13812345678",
        "hukou_region": "440305",
        "current_region": "440305",
    }
    response = client_for(make_user("case_handler")).post(reverse("workers:register"), data)
    assert response.status_code == 200
    assert reverse("workers:detail", args=[sz_worker.pk]) in response.content.decode()
    assert Worker.objects.count() == 1


def test_id_check_shows_sex_and_birth_date_or_the_problem(make_user):
    client = client_for(make_user("case_handler"))
    ok = client.post(
        reverse("workers:id_check"), {"national_id": BJ_ID}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "1949-12-31" in ok and "<html" not in ok
    bad = client.post(
        reverse("workers:id_check"), {"national_id": "11010519491231002"}
    ).content.decode()
    assert 'class="error"' in bad


def test_region_lookup_suggests_codes(make_user):
    client = client_for(make_user("case_handler"))
    body = client.get(
        reverse("regions:options"), {"field": "hukou_region", "hukou_region": "440305"}
    ).content.decode()
    assert '<option value="440305">' in body and 'id="hukou_region-options-label"' in body


def test_occupation_lookup_suggests_codes_and_names_a_complete_one(make_user):
    from gongyou.classifications.selectors import occupation_names

    code, name = sorted(occupation_names().items())[-1]
    body = (
        client_for(make_user("case_handler"))
        .get(reverse("classifications:occupation_options"), {"occupation": code})
        .content.decode()
    )
    assert f'<option value="{code}">' in body and 'id="occupation-options-label"' in body
    assert name in body


def test_lookups_need_a_signed_in_user():
    client = Client()
    assert client.get(reverse("regions:options"), {"region": "4403"}).status_code == 302
    assert client.get(reverse("classifications:occupation_options")).status_code == 302


# --- detail, access -------------------------------------------------------------------------


def test_detail_renders_masked_data_and_timeline(make_user, sz_worker):
    response = client_for(make_user("case_handler")).get(
        reverse("workers:detail", args=[sz_worker.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert sz_worker.national_id_masked in body and SZ_ID not in body and "13812345678" not in body
    assert reverse("stations:worker_visits", args=[sz_worker.pk]) in body
    assert response.context["timeline"]  # the registration event


@pytest.mark.parametrize("name", ["workers:detail", "workers:edit"])
def test_worker_outside_the_region_is_not_found(make_user, bj_worker, name):
    client = client_for(make_user("case_handler"))
    assert client.get(reverse(name, args=[bj_worker.pk])).status_code == 404


def test_reveal_outside_the_region_is_not_found(make_user, bj_worker):
    client = client_for(make_user("case_handler"))
    response = client.post(
        reverse("workers:reveal", args=[bj_worker.pk]), {"field": "national_id", "purpose": "case"}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="worker.reveal").exists()


# --- reveal ---------------------------------------------------------------------------------


def test_reveal_shows_the_full_number_to_a_case_handler_and_audits_it(make_user, sz_worker):
    user = make_user("case_handler")
    client = client_for(user)
    assert (
        reverse("workers:reveal", args=[sz_worker.pk])
        in client.get(reverse("workers:detail", args=[sz_worker.pk])).content.decode()
    )
    response = client.post(
        reverse("workers:reveal", args=[sz_worker.pk]),
        {"field": "national_id", "purpose": "case", "detail": "wage claim"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert SZ_ID in body and "<html" not in body
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="worker.reveal")
    assert event.actor == user and event.worker_id == sz_worker.pk and "wage claim" in event.purpose


def test_reveal_phone(make_user, sz_worker):
    response = client_for(make_user("case_handler")).post(
        reverse("workers:reveal", args=[sz_worker.pk]), {"field": "phone", "purpose": "contact"}
    )
    assert response.status_code == 200 and "13812345678" in response.content.decode()


def test_reveal_is_refused_to_an_analyst(make_user, sz_worker):
    client = client_for(make_user("analyst"))
    detail = client.get(reverse("workers:detail", args=[sz_worker.pk])).content.decode()
    assert reverse("workers:reveal", args=[sz_worker.pk]) not in detail
    response = client.post(
        reverse("workers:reveal", args=[sz_worker.pk]), {"field": "national_id", "purpose": "case"}
    )
    assert response.status_code in (403, 404)
    assert SZ_ID not in response.content.decode()
    assert not AuditEvent.objects.filter(action="worker.reveal").exists()


# --- edit -----------------------------------------------------------------------------------


def test_edit_saves_only_the_changed_fields(make_user, sz_worker):
    client = client_for(make_user("case_handler"))
    page = client.get(reverse("workers:edit", args=[sz_worker.pk]))
    assert page.status_code == 200 and 'name="national_id"' not in page.content.decode()
    data = dict(page.context["form"].initial) | {"name": "张伟强", "union_member": ""}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    response = client.post(reverse("workers:edit", args=[sz_worker.pk]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="worker.update")
    assert event.after == {"name": "张伟强"}
    sz_worker.refresh_from_db()
    assert sz_worker.phone_masked == "138****5678"


def test_edit_shows_errors_beside_fields(make_user, sz_worker):
    client = client_for(make_user("case_handler"))
    response = client.post(
        reverse("workers:edit", args=[sz_worker.pk]),
        {"name": "张3", "hukou_region": "440305", "current_region": "12"},
    )
    assert response.status_code == 200
    assert {"name", "current_region"} <= set(response.context["form"].errors)


def test_edit_offers_id_correction_to_admins_only(make_user, sz_worker):
    body = (
        client_for(make_user("org_admin"))
        .get(reverse("workers:edit", args=[sz_worker.pk]))
        .content.decode()
    )
    assert 'name="national_id"' in body


def test_edit_is_forbidden_for_analysts(make_user, sz_worker):
    assert (
        client_for(make_user("analyst"))
        .get(reverse("workers:edit", args=[sz_worker.pk]))
        .status_code
        == 403
    )


# --- certificates and consent -----------------------------------------------------------------


def test_certificate_add_with_htmx(make_user, sz_worker):
    from gongyou.classifications.selectors import occupation_names

    occupation = sorted(occupation_names())[-1]
    client = client_for(make_user("case_handler"))
    url = reverse("workers:certificate_add", args=[sz_worker.pk])
    bad = client.post(
        url,
        {"cert-kind": "skill_level", "cert-occupation": "", "cert-certificate_no": ""},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 200
    assert {"occupation", "certificate_no", "issuing_organisation", "issued_on", "level"} <= set(
        bad.context["cert_form"].errors
    )
    good = client.post(
        url,
        {
            "cert-kind": "skill_level",
            "cert-occupation": occupation,
            "cert-level": "4",
            "cert-certificate_no": "S-2024-001",
            "cert-issuing_organisation": "深圳市职业技能鉴定中心",
            "cert-issued_on": "2024-03-01",
        },
        HTTP_HX_REQUEST="true",
    )
    assert good.status_code == 200 and "S-2024-001" in good.content.decode()
    assert SkillCertificate.objects.filter(worker=sz_worker, level=4).exists()


def test_consent_record(make_user, sz_worker):
    client = client_for(make_user("case_handler"))
    response = client.post(
        reverse("workers:consent", args=[sz_worker.pk]),
        {"consent-purpose": "contact", "consent-granted": "no", "consent-method": "verbal"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get(worker=sz_worker)
    assert consent.purpose == "contact" and consent.granted is False


# --- API tokens page (accounts/tokens.html is rendered by accounts.views) ---------------------


def test_token_page_shows_a_new_key_once(make_user):
    client = client_for(make_user("case_handler"))
    assert client.get(reverse("accounts:tokens")).status_code == 200
    created = client.post(reverse("accounts:tokens"), {"name": "HR system"})
    key = created.context["new_key"]
    assert key in created.content.decode()
    again = client.get(reverse("accounts:tokens")).content.decode()
    from gongyou.accounts.models import ApiToken

    token = ApiToken.objects.get(name="HR system")
    assert (
        key not in again
        and "HR system" in again
        and reverse("accounts:token_revoke", args=[token.pk]) in again
    )


def test_reveal_without_a_reason_is_refused_with_the_reason(make_user, sz_worker):
    client = client_for(make_user("case_handler"))
    url = reverse("workers:reveal", args=[sz_worker.pk])
    body = client.post(url, {"field": "phone", "purpose": ""}).content.decode()
    assert "13812345678" not in body and "every reveal has a purpose" in body
    body = client.post(url, {"field": "phone", "purpose": "other"}).content.decode()
    assert "13812345678" not in body and "Say why you need to see it." in body
    assert not AuditEvent.objects.filter(action="worker.reveal").exists()
    assert (
        "13812345678"
        in client.post(
            url, {"field": "phone", "purpose": "other", "detail": "court summons"}
        ).content.decode()
    )
    assert AuditEvent.objects.get(action="worker.reveal").purpose == "other: court summons"


def test_an_anonymised_worker_shows_no_reveal(make_user, sz_worker):
    from gongyou.accounts.policies import actor_for
    from gongyou.workers.services import worker_anonymise

    admin = make_user("system_admin", org="national")
    worker_anonymise(actor=actor_for(admin), worker_id=sz_worker.pk, reason="deletion request")
    client = client_for(make_user("case_handler"))
    body = client.get(reverse("workers:detail", args=[sz_worker.pk])).content.decode()
    assert "Personal data anonymised on" in body
    assert reverse("workers:reveal", args=[sz_worker.pk]) not in body
    response = client.post(
        reverse("workers:reveal", args=[sz_worker.pk]), {"field": "phone", "purpose": "contact"}
    )
    assert "was anonymised" in response.content.decode() and SZ_ID not in response.content.decode()
