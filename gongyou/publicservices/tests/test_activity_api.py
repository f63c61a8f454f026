"""The activities API: create with field errors, the lifecycle, registration (place, waiting
list), attendance and feedback, paginated lists, 404 outside the caller's area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.publicservices.models import Activity
from gongyou.testing import api_client_for

from .conftest import activity_data

pytestmark = pytest.mark.django_db


def _json(data):
    out = dict(data)
    for key in ("starts_at", "ends_at"):
        out[key] = timezone.localtime(out[key]).strftime("%Y-%m-%d %H:%M")
    for key in ("registration_opens_on", "registration_closes_on"):
        out[key] = out[key].isoformat()
    return out


def test_activity_api_walkthrough(api, worker_factory):
    bad = api.post(
        "/api/v1/public-activities", {"kind": "x", "places": -1}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert {"kind", "title", "region", "venue", "places", "starts_at"} <= set(bad.json()["fields"])
    res = api.post(
        "/api/v1/public-activities",
        _json(activity_data(places=1)),
        content_type="application/json",
    )
    assert res.status_code == 201, res.json()
    body = res.json()
    aid = body["id"]
    assert body["status"] == "draft" and body["places_free"] == 1
    assert body["allowed"] == ["cancelled", "open"]
    res = api.post(
        f"/api/v1/public-activities/{aid}/transition",
        {"to_status": "open", "version": body["version"]},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["status"] == "open"
    stale = api.patch(
        f"/api/v1/public-activities/{aid}",
        {"venue": "新场地", "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "version_changed"
    a, b = worker_factory(), worker_factory()
    first = api.post(
        f"/api/v1/public-activities/{aid}/registrations",
        {"worker_id": a.pk},
        content_type="application/json",
    ).json()
    second = api.post(
        f"/api/v1/public-activities/{aid}/registrations",
        {"worker_id": b.pk},
        content_type="application/json",
    ).json()
    assert (first["status"], second["status"]) == ("registered", "waitlisted")
    again = api.post(
        f"/api/v1/public-activities/{aid}/registrations",
        {"worker_id": a.pk},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    listed = api.get(f"/api/v1/public-activities/{aid}/registrations?limit=1").json()
    assert listed["count"] == 2 and len(listed["items"]) == 1
    res = api.post(
        f"/api/v1/activity-registrations/{first['id']}/transition",
        {"to_status": "cancelled", "version": first["version"]},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["status"] == "cancelled"
    detail = api.get(f"/api/v1/public-activities/{aid}").json()
    assert (detail["places_taken"], detail["waiting"]) == (1, 0)
    # Attendance is refused before the start (409), feedback before attendance (409).
    res = api.post(
        f"/api/v1/activity-registrations/{second['id']}/transition",
        {"to_status": "attended", "version": 2},
        content_type="application/json",
    )
    assert res.status_code == 409
    res = api.post(
        f"/api/v1/activity-registrations/{second['id']}/feedback",
        {"rating": 5},
        content_type="application/json",
    )
    assert res.status_code == 409 and res.json()["code"] == "not_an_attendee"
    Activity.objects.filter(pk=aid).update(
        status="closed", starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    res = api.post(
        f"/api/v1/activity-registrations/{second['id']}/transition",
        {"to_status": "attended", "version": 2},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["status"] == "attended"
    res = api.post(
        f"/api/v1/activity-registrations/{second['id']}/feedback",
        {"rating": 4, "comment": "好"},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["rating"] == 4
    res = api.get("/api/v1/public-activities?status=closed&region=440305").json()
    assert res["count"] == 1 and res["items"][0]["rating_average"] == 4.0


def test_activity_api_scope(make_user, admin_actor):
    from gongyou.publicservices import services

    bj = services.activity_create(actor=admin_actor, data=activity_data(region="110105"))
    client = api_client_for(make_user("programme_officer", org="sz"))
    assert client.get(f"/api/v1/public-activities/{bj.pk}").status_code == 404
    assert client.get("/api/v1/public-activities").json()["count"] == 0
    res = client.post(
        f"/api/v1/public-activities/{bj.pk}/registrations",
        {"worker_id": 1},
        content_type="application/json",
    )
    assert res.status_code == 404


def test_activity_list_costs_the_same_for_one_or_many(
    api, admin_actor, worker_factory, open_activity
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def listed():
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/v1/public-activities").json()
        return body, len(queries)

    first = open_activity()
    from gongyou.publicservices import services

    services.registration_create(actor=admin_actor, activity=first, worker_id=worker_factory().pk)
    api.get("/api/v1/public-activities")  # warm the token cache
    one, cost_one = listed()
    for _ in range(4):
        open_activity(places=1, waiting_list=True)
    many, cost_many = listed()
    assert (one["count"], many["count"]) == (1, 5)
    assert cost_many == cost_one


def test_allowed_statuses_are_what_the_dates_permit_now(api, open_activity, admin_actor):
    from gongyou.publicservices import services
    from gongyou.publicservices.policies import activity_transitions_now

    activity = open_activity()
    activity = services.activity_transition(
        actor=admin_actor, activity=activity, to_status="closed", expected_version=activity.version
    )
    start = activity.starts_at
    assert activity_transitions_now(activity) == ["cancelled", "open"]
    # Past the registration window, reopening needs new dates; from the start, held is offered.
    after_window = start - dt.timedelta(hours=1)  # registration closed tomorrow, the start is later
    assert activity_transitions_now(activity, now=after_window) == ["cancelled"]
    assert activity_transitions_now(activity, now=start) == ["cancelled", "held"]
    # The API says the same as the service will do: the window has passed.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Activity.objects.filter(pk=activity.pk).update(
        registration_opens_on=yesterday - dt.timedelta(days=1), registration_closes_on=yesterday
    )
    body = api.get(f"/api/v1/public-activities/{activity.pk}").json()
    assert body["allowed"] == ["cancelled"]
    refused = api.post(
        f"/api/v1/public-activities/{activity.pk}/transition",
        {"to_status": "open", "version": body["version"]},
        content_type="application/json",
    )
    assert refused.status_code == 409
