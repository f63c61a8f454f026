"""My trainings and open courses, and applying for an open course from the portal
(training.services.enrolment_apply_by_worker)."""

import pytest
from django.urls import reverse

from gongyou.accounts.policies import actor_for
from gongyou.training.services import enrolment_apply
from gongyou.training.tests.factories import make_course, make_provider

pytestmark = pytest.mark.django_db


def test_my_trainings_and_open_courses(signed_in, worker_factory, make_user, orgs):
    worker = worker_factory(name="李娜", current_region="440305")
    other = worker_factory(name="王芳", current_region="440305")
    officer = actor_for(make_user("programme_officer", org="sz"))
    provider = make_provider(parent=orgs["sz"])
    course = make_course(actor=officer, provider=provider, title="焊工培训班")
    beijing = actor_for(make_user("programme_officer", org="bj"))
    bj_provider = make_provider(name="北京朝阳技工培训中心", region="110105", parent=orgs["bj"])
    make_course(actor=beijing, provider=bj_provider, title="北京电工班", region="110105")
    enrolment_apply(actor=officer, course=course, worker_id=other.pk)
    client, _account = signed_in(worker)
    page = client.get(reverse("portal:training")).content.decode()
    assert "焊工培训班" in page and "北京电工班" not in page
    assert "You are not on any course." in page  # the other worker's application is not mine
    enrolment_apply(actor=officer, course=course, worker_id=worker.pk)
    page = client.get(reverse("portal:training")).content.decode()
    assert "Applied" in page
    data = client.get(reverse("portal:data_json")).json()
    assert [t["course"] for t in data["trainings"]] == ["焊工培训班"]


def test_apply_for_an_open_course_from_the_portal(signed_in, worker_factory, make_user, orgs):
    from django.test import Client

    from gongyou.core.models import AuditEvent
    from gongyou.training.models import Enrolment

    worker = worker_factory(name="李娜", current_region="440305")
    other = worker_factory(name="王芳", current_region="440305")
    officer = actor_for(make_user("programme_officer", org="sz"))
    provider = make_provider(parent=orgs["sz"])
    course = make_course(actor=officer, provider=provider, title="焊工培训班", seats=1)
    client, _account = signed_in(worker)
    page = client.get(reverse("portal:training")).content.decode()
    url = reverse("portal:training_apply", args=[course.pk])
    assert f'action="{url}"' in page and "csrfmiddlewaretoken" in page
    assert 'aria-label="Apply for 焊工培训班"' in page and "1 seat free." in page
    assert client.get(url).status_code == 405  # POST only
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(url).status_code == 403  # no CSRF token
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "You applied for “焊工培训班”" in page
    enrolment = Enrolment.objects.get(course=course)
    assert enrolment.worker_id == worker.pk and enrolment.status == "applied"
    assert AuditEvent.objects.filter(
        action="training.enrolment.apply", worker_id=worker.pk, actor__isnull=True
    ).exists()
    assert f'action="{url}"' not in page  # shows "Applied" instead of the button
    page = client.post(url, follow=True).content.decode()
    assert "You have already applied for this course" in page
    assert Enrolment.objects.filter(course=course).count() == 1
    # The other worker sees the course without my application, and a full course is refused.
    other_client, _ = signed_in(other)
    page = other_client.get(reverse("portal:training")).content.decode()
    assert f'action="{url}"' in page and "You are not on any course." in page
    enrolment_apply(actor=officer, course=course, worker_id=worker_factory().pk, enrol=True)
    page = other_client.get(reverse("portal:training")).content.decode()
    assert "The course is full." in page
    page = other_client.post(url, follow=True).content.decode()
    assert "This course has no free seat left." in page
    assert not Enrolment.objects.filter(worker=other).exists()


def test_apply_for_a_closed_or_unknown_course(signed_in, worker_factory, make_user, orgs):
    import datetime as dt

    from django.utils import timezone

    worker = worker_factory(current_region="440305")
    officer = actor_for(make_user("programme_officer", org="sz"))
    today = timezone.localdate()
    later = make_course(
        actor=officer,
        provider=make_provider(parent=orgs["sz"]),
        enrol_opens_on=today + dt.timedelta(days=2),
        enrol_closes_on=today + dt.timedelta(days=4),
    )
    client, _ = signed_in(worker)
    page = client.post(reverse("portal:training_apply", args=[later.pk]), follow=True)
    assert f"Enrolment opens on {later.enrol_opens_on}" in page.content.decode()
    assert client.post(reverse("portal:training_apply", args=[999999])).status_code == 404
