"""Every jobs page renders for an officer, and the main forms write through the services."""

import pytest
from django.test import Client

from gongyou.jobs import services
from gongyou.jobs.models import FollowUp, Referral, SeekerProfile
from gongyou.jobs.tests.factories import make_seeker, vacancy_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("employment_officer", org="sz")


@pytest.fixture
def browser(officer):
    client = Client()
    client.force_login(officer)
    return client


def test_pages_render(browser, admin_actor, vacancy, worker, employer, worker_factory):
    make_seeker(actor=admin_actor, worker=worker, wage_expectation=8000)
    referral = services.referral_create(actor=admin_actor, vacancy=vacancy, worker=worker)
    fair = services.fair_create(
        actor=admin_actor,
        data={"name": "春风行动", "region": "440305", "venue": "体育馆", "starts_on": "2026-12-01"},
    )
    placement = services.placement_record(
        actor=admin_actor,
        worker=worker_factory(name="李娜"),
        data={"employer_id": employer.pk, "start_date": "2025-01-01", "monthly_wage": 7000},
    )
    services.followups_create_due()
    followup = FollowUp.objects.filter(placement=placement).first()
    for url in [
        "/jobs/",
        "/jobs/?open_only=on&q=钢筋",
        "/jobs/vacancies/new/",
        f"/jobs/vacancies/{vacancy.pk}/",
        f"/jobs/vacancies/{vacancy.pk}/edit/",
        f"/jobs/vacancies/{vacancy.pk}/candidates/",
        f"/jobs/workers/{worker.pk}/",
        "/jobs/referrals/",
        f"/jobs/referrals/{referral.pk}/",
        "/jobs/follow-ups/",
        f"/jobs/follow-ups/{followup.pk}/",
        "/jobs/fairs/",
        f"/jobs/fairs/{fair.pk}/",
    ]:
        res = browser.get(url)
        assert res.status_code == 200, url
    page = browser.get(f"/jobs/vacancies/{vacancy.pk}/candidates/").content.decode()
    assert worker.name in page and "Same occupation." in page
    assert "钢筋工" in browser.get(f"/jobs/workers/{worker.pk}/").content.decode()


def test_post_a_vacancy_and_show_field_errors(browser, employer):
    res = browser.post("/jobs/vacancies/new/", {"employer_id": employer.pk, "title": ""})
    assert res.status_code == 200
    assert "This field is required." in res.content.decode()
    data = vacancy_data(employer_id=employer.pk, publish="on")
    data["skill_level"] = ""
    res = browser.post("/jobs/vacancies/new/", data)
    assert res.status_code == 302


def test_profile_refer_and_hire_from_the_pages(browser, vacancy, worker):
    res = browser.post(
        f"/jobs/workers/{worker.pk}/profile/",
        {"status": "seeking", "desired_occupations": "6-29-01-04", "wage_expectation": "8000"},
    )
    assert res.status_code == 302
    assert SeekerProfile.objects.get(worker=worker).wage_expectation == 8000
    res = browser.post(f"/jobs/vacancies/{vacancy.pk}/refer/", {"worker_id": worker.pk})
    assert res.status_code == 302
    referral = Referral.objects.get(worker=worker)
    res = browser.post(
        f"/jobs/referrals/{referral.pk}/transition/",
        {"to_status": "declined", "version": referral.version, "reason": ""},
    )
    assert "This field is required." in res.content.decode()
    for step in ("interviewed", "offered"):
        referral.refresh_from_db()
        browser.post(
            f"/jobs/referrals/{referral.pk}/transition/",
            {"to_status": step, "version": referral.version},
        )
    referral.refresh_from_db()
    res = browser.post(
        f"/jobs/referrals/{referral.pk}/transition/",
        {
            "to_status": "hired",
            "version": referral.version,
            "start_date": "2026-01-10",
            "monthly_wage": "8500",
        },
    )
    assert res.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "hired" and referral.placement.monthly_wage == 8500


def test_analyst_reads_but_cannot_post(make_user, vacancy):
    client = Client()
    client.force_login(make_user("analyst", org="sz"))
    assert client.get("/jobs/").status_code == 200
    assert client.get("/jobs/vacancies/new/").status_code == 403


def test_case_handlers_do_not_see_jobs(make_user):
    client = Client()
    client.force_login(make_user("case_handler", org="sz"))
    assert client.get("/jobs/").status_code == 404
