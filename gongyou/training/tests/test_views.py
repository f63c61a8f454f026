"""Every training page renders for the people who use it, and its forms reach the services."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gongyou.training.models import Enrolment, SubsidyClaim
from gongyou.training.tests.factories import WELDER, make_campaign, make_programme
from gongyou.training.tests.test_lifecycle import reach

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def pc(provider_user):
    return login(provider_user)


@pytest.fixture
def oc(officer):
    return login(officer)


def test_provider_publishes_a_course_and_enrols_a_worker(pc, worker):
    today = timezone.localdate()
    assert pc.get("/training/courses/new/").status_code == 200
    res = pc.post(
        "/training/courses/new/",
        {
            "title": "焊工培训",
            "occupation": WELDER,
            "target_level": "5",
            "hours": "8",
            "seats": "5",
            "starts_on": str(today),
            "ends_on": str(today + dt.timedelta(days=3)),
            "region": "440305",
            "subsidy_per_trainee": "600",
            "enrol_opens_on": str(today - dt.timedelta(days=1)),
            "enrol_closes_on": str(today),
            "min_attendance_percent": "80",
        },
    )
    assert res.status_code == 302, res.content.decode()[-2000:]
    course_url = res["Location"]
    html = pc.get(course_url).content.decode()
    assert "焊工培训" in html and "0 of 5 taken" in html
    res = pc.post(course_url, {"worker_id": str(worker.pk), "enrol": "on"})
    assert res.status_code == 302
    enrolment = Enrolment.objects.get(worker=worker)
    assert enrolment.status == "enrolled"
    bad = pc.post(course_url, {"worker_id": str(worker.pk)})
    assert bad.status_code == 200 and "already has an application" in bad.content.decode()
    url = f"/training/enrolments/{enrolment.pk}/"
    assert pc.get(url).status_code == 200
    res = pc.post(f"{url}transition/", {"to_status": "in_training", "version": "1"})
    assert res.status_code == 302
    res = pc.post(f"{url}attendance/", {"date": str(today), "hours": "8"})
    assert res.status_code == 302
    pc.post(f"{url}transition/", {"to_status": "completed", "version": "2"})
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert pc.post(f"{url}claim/").status_code == 302
    assert SubsidyClaim.objects.filter(enrolment=enrolment).count() == 1


def test_course_search_page_and_partial(pc, course):
    html = pc.get("/training/courses/", {"occupation": WELDER}).content.decode()
    assert course.title in html
    partial = pc.get("/training/courses/", {"level": "1"}, headers={"HX-Request": "true"})
    assert (
        "<html" not in partial.content.decode() and "No course matches" in partial.content.decode()
    )


def test_transition_errors_show_on_the_page(pc, provider_actor, course, worker):
    enrolment = reach(provider_actor, course, worker, "applied")
    res = pc.post(
        f"/training/enrolments/{enrolment.pk}/transition/",
        {"to_status": "withdrawn", "version": "1"},
    )
    assert res.status_code == 200 and "This field is required" in res.content.decode()


def test_officer_pages(oc, officer_actor, provider_actor, orgs, worker, rules):
    campaign = make_campaign(actor=officer_actor, lead=orgs["sz"])
    for url in (
        "/training/",
        "/training/campaigns/",
        "/training/campaigns/new/",
        f"/training/campaigns/{campaign.pk}/",
        "/training/claims/",
        "/training/eligibility/",
        "/training/eligibility/rules/",
        "/training/education/",
        f"/training/workers/{worker.pk}/pathway/",
    ):
        assert oc.get(url).status_code == 200, url
    res = oc.post(
        f"/training/campaigns/{campaign.pk}/",
        {
            "version": "1",
            "rows": "2",
            "region_0": "440305",
            "trained_0": "50",
            "region_1": "110105",
        },
    )
    assert res.status_code == 200 and "outside your area" in res.content.decode()
    res = oc.post(
        f"/training/campaigns/{campaign.pk}/",
        {"version": "1", "rows": "1", "region_0": "440305", "trained_0": "50", "certified_0": "20"},
    )
    assert res.status_code == 302
    assert "0 / 50" in oc.get(f"/training/campaigns/{campaign.pk}/").content.decode()
    html = oc.get(
        "/training/eligibility/",
        {"worker_id": worker.pk, "occupation": WELDER, "level": "5", "years_in_occupation": "2"},
    ).content.decode()
    assert "the worker may apply" in html
    html = oc.get(
        "/training/eligibility/", {"worker_id": worker.pk, "occupation": WELDER, "level": "4"}
    ).content.decode()
    assert "Not yet" in html and "Needs a Level 5" in html


def test_campaign_create_page(oc, orgs):
    today = timezone.localdate()
    res = oc.post(
        "/training/campaigns/new/",
        {
            "name": "南山春风行动",
            "kind": "vocational_training",
            "lead_organisation": str(orgs["sz"].pk),
            "starts_on": str(today),
            "ends_on": str(today - dt.timedelta(days=1)),
        },
    )
    assert res.status_code == 200 and "cannot end before it starts" in res.content.decode()


def test_education_pages(oc, officer_actor, worker):
    res = oc.post(
        "/training/education/",
        {
            "form": "institution",
            "name": "深圳职业技术大学",
            "kind": "vocational_college",
            "region": "440305",
        },
    )
    assert res.status_code == 302
    programme = make_programme(actor=officer_actor)
    url = f"/training/education/programmes/{programme.pk}/"
    assert oc.get(url).status_code == 200
    res = oc.post(url, {"worker_id": str(worker.pk)})
    assert res.status_code == 302
    study_url = res["Location"]
    assert (
        oc.post(study_url, {"form": "status", "to_status": "studying", "version": "1"}).status_code
        == 302
    )
    res = oc.post(
        study_url,
        {
            "form": "credit",
            "module": "机械基础",
            "credits": "6",
            "earned_on": str(timezone.localdate()),
        },
    )
    assert res.status_code == 302
    assert (
        oc.post(study_url, {"form": "status", "to_status": "graduated", "version": "2"}).status_code
        == 302
    )
    worker.refresh_from_db()
    assert worker.education == "junior_college"
    assert "Junior college" in oc.get(f"/training/workers/{worker.pk}/pathway/").content.decode()


def test_claim_decisions_on_the_list(oc, pc, provider_actor, course, worker_factory):
    today = timezone.localdate()
    from gongyou.training.tests.factories import make_course

    running = make_course(
        actor=provider_actor,
        hours=8,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
        enrol_opens_on=today - dt.timedelta(days=2),
        enrol_closes_on=today,
    )
    reach(provider_actor, running, worker_factory(), "completed")
    assert pc.post(f"/training/courses/{running.pk}/claims/").status_code == 302
    claim = SubsidyClaim.objects.get()
    # The provider sees the claim but has no decision buttons.
    button = 'name="to_status" value="approved"'
    assert button not in pc.get("/training/claims/").content.decode()
    assert button in oc.get("/training/claims/").content.decode()
    res = oc.post(
        f"/training/claims/{claim.pk}/transition/",
        {"to_status": "rejected", "version": "1", "next": "https://evil.example/"},
    )
    assert res["Location"] == "/training/claims/"
    claim.refresh_from_db()
    assert claim.status == "submitted"  # a rejection needs a reason
    oc.post(f"/training/claims/{claim.pk}/transition/", {"to_status": "approved", "version": "1"})
    claim.refresh_from_db()
    assert claim.status == "approved"


def test_out_of_scope_pages_are_404(make_user, course, worker):
    bj = login(make_user("programme_officer", org="bj"))
    assert bj.get(f"/training/courses/{course.pk}/").status_code == 404
    assert bj.get(f"/training/workers/{worker.pk}/pathway/").status_code == 404
    analyst = login(make_user("analyst", org="sz"))
    assert analyst.get("/training/courses/new/").status_code == 403
