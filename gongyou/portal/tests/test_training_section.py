"""My trainings and open courses (read-only: applying goes through a station or the provider
until the training app offers a worker-facing apply service)."""

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
