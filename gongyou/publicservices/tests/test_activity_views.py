"""Activity pages: list with filters (and its HTMX partial), the form with specific errors, the
activity page with registration, attendance (HTMX) and feedback, and the scope (404 outside)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gongyou.publicservices import services
from gongyou.publicservices.models import Activity, ActivityRegistration

from .conftest import activity_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


def test_list_filters_and_partial(client_for, admin, admin_actor, open_activity):
    open_activity(title="城市融入讲座", kind="city_orientation")
    services.activity_create(
        actor=admin_actor,
        data=activity_data(title="北京家庭日", region="110105", kind="family_day"),
    )
    c = client_for(admin)
    html = c.get("/public-services/activities/").content.decode()
    assert "城市融入讲座" in html and "北京家庭日" in html
    html = c.get("/public-services/activities/?region=440000").content.decode()
    assert "城市融入讲座" in html and "北京家庭日" not in html
    partial = c.get("/public-services/activities/?kind=family_day", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body and "北京家庭日" in body
    assert "城市融入讲座" not in body


def test_create_form_errors_then_saves(client_for, sz_admin):
    c = client_for(sz_admin)
    assert c.get("/public-services/activities/new/").status_code == 200
    res = c.post("/public-services/activities/new/", {"kind": "", "title": "", "places": "x"})
    assert res.status_code == 422
    body = res.content.decode()
    assert "Choose the kind." in body and "Enter a whole number." in body
    start = timezone.localtime() + dt.timedelta(days=5)
    res = c.post(
        "/public-services/activities/new/",
        {
            "kind": "childcare_class",
            "title": "暑期爱心托管班",
            "region": "440305",
            "venue": "南山区职工服务中心",
            "starts_at": start.strftime("%Y-%m-%dT09:00"),
            "ends_at": (start + dt.timedelta(days=20)).strftime("%Y-%m-%dT17:00"),
            "places": "30",
            "waiting_list": "on",
            "registration_opens_on": timezone.localdate().isoformat(),
            "registration_closes_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "audience": "children",
            "child_age_min": "6",
            "child_age_max": "12",
        },
    )
    assert res.status_code == 302, res.content.decode()[:2000]
    activity = Activity.objects.get(title="暑期爱心托管班")
    assert (activity.places, activity.child_age_min, activity.status) == (30, 6, "draft")
    page = c.get(f"/public-services/activities/{activity.pk}/").content.decode()
    assert "Open registration" in page and "ages 6 to 12" in page
    res = c.post(
        f"/public-services/activities/{activity.pk}/edit/",
        {**_form_of(activity), "places": "40", "version": activity.version},
    )
    assert res.status_code == 302
    activity.refresh_from_db()
    assert activity.places == 40


def _form_of(activity):
    local = timezone.localtime
    return {
        "kind": activity.kind,
        "title": activity.title,
        "region": activity.region_id,
        "venue": activity.venue,
        "starts_at": local(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "places": activity.places,
        "waiting_list": "on",
        "registration_opens_on": activity.registration_opens_on.isoformat(),
        "registration_closes_on": activity.registration_closes_on.isoformat(),
        "audience": activity.audience,
        "child_age_min": activity.child_age_min or "",
        "child_age_max": activity.child_age_max or "",
    }


def test_register_attend_and_feedback_on_the_page(
    client_for, admin, admin_actor, worker_factory, open_activity
):
    activity = open_activity(places=1)
    c = client_for(admin)
    first, second = worker_factory(), worker_factory(name="李娜")
    res = c.post(f"/public-services/activities/{activity.pk}/register/", {"worker_id": "abc"})
    assert res.status_code == 422 and "Enter a whole number." in res.content.decode()
    res = c.post(f"/public-services/activities/{activity.pk}/register/", {"worker_id": first.pk})
    assert res.status_code == 302
    res = c.post(
        f"/public-services/activities/{activity.pk}/register/",
        {"worker_id": second.pk},
        follow=True,
    )
    assert "added to the waiting list" in res.content.decode()
    reg = ActivityRegistration.objects.get(worker=first)
    # Cancelling through HTMX returns the table: the waiting worker now has the place.
    res = c.post(
        f"/public-services/activity-registrations/{reg.pk}/transition/",
        {"to_status": "cancelled", "version": reg.version},
        HTTP_HX_REQUEST="true",
    )
    body = res.content.decode()
    assert res.status_code == 200 and "<html" not in body
    assert ActivityRegistration.objects.get(worker=second).status == "registered"
    # Attendance once it has started: move the activity into the past and close it.
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), status="closed"
    )
    other = ActivityRegistration.objects.get(worker=second)
    page = c.get(f"/public-services/activities/{activity.pk}/").content.decode()
    assert "Attended" in page
    res = c.post(
        f"/public-services/activity-registrations/{other.pk}/transition/",
        {"to_status": "attended", "version": other.version},
    )
    assert res.status_code == 302
    res = c.post(
        f"/public-services/activity-registrations/{other.pk}/feedback/",
        {"rating": "5", "comment": "很有收获"},
        follow=True,
    )
    assert "Feedback recorded." in res.content.decode()
    other.refresh_from_db()
    assert (other.status, other.rating, other.comment) == ("attended", 5, "很有收获")
    res = c.post(
        f"/public-services/activity-registrations/{reg.pk}/feedback/", {"rating": "5"}, follow=True
    )
    assert "Only people who attended" in res.content.decode()
    # The worker's public-services page lists their activities.
    page = c.get(f"/public-services/workers/{second.pk}/").content.decode()
    assert activity.title in page and "5 / 5" in page


def test_outside_scope_is_404(client_for, make_user, admin_actor):
    bj = services.activity_create(actor=admin_actor, data=activity_data(region="110105"))
    c = client_for(make_user("programme_officer", org="sz"))
    assert c.get(f"/public-services/activities/{bj.pk}/").status_code == 404
    assert c.get(f"/public-services/activities/{bj.pk}/edit/").status_code == 404
    analyst = client_for(make_user("analyst", org="sz"))
    assert analyst.get("/public-services/activities/new/").status_code == 403


def test_refusals_by_role_are_403_not_form_errors(
    client_for, make_user, open_activity, worker_factory
):
    activity = open_activity()
    analyst = client_for(make_user("analyst", org="sz"))
    worker = worker_factory()
    res = analyst.post(
        f"/public-services/activities/{activity.pk}/register/", {"worker_id": worker.pk}
    )
    assert res.status_code == 403
    handler = client_for(make_user("case_handler", org="sz"))
    res = handler.post(
        f"/public-services/activities/{activity.pk}/transition/",
        {"to_status": "closed", "version": activity.version},
    )
    assert res.status_code == 403
