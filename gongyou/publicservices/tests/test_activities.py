"""Integration activities: validation, places (never over-booked, waiting list, a freed place
goes to the first in line), both lifecycles on every edge, attendance, feedback only from
attendees, children's activities with an age range, scope and roles, audit on the timeline."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.publicservices import selectors, services
from gongyou.publicservices.enums import (
    ACTIVITY_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    ActivityStatus,
    RegistrationStatus,
)
from gongyou.publicservices.models import Activity, ActivityRegistration
from gongyou.publicservices.services import (
    ActivityFull,
    AlreadyRegistered,
    NotAnAttendee,
    TransitionNotAllowed,
    VersionChanged,
)

from .conftest import activity_data

pytestmark = pytest.mark.django_db


def _after_start(activity):
    return activity.starts_at + dt.timedelta(hours=1)


def test_activity_create_validates_every_field(admin_actor):
    with pytest.raises(ValidationFailed) as exc:
        services.activity_create(
            actor=admin_actor,
            data={
                "kind": "party",
                "title": "",
                "region": "999999",
                "venue": "",
                "starts_at": "2026-13-01 10:00",
                "ends_at": "tomorrow",
                "places": 0,
                "registration_opens_on": "2026-02-30",
                "registration_closes_on": "",
            },
        )
    assert set(exc.value.fields) == {
        "kind",
        "title",
        "region",
        "venue",
        "starts_at",
        "ends_at",
        "places",
        "registration_opens_on",
        "registration_closes_on",
    }
    assert exc.value.fields["region"]["code"] == "unknown_region"
    assert exc.value.fields["places"]["code"] == "out_of_range"
    start = timezone.localtime() + dt.timedelta(days=3)
    with pytest.raises(ValidationFailed) as exc:
        services.activity_create(
            actor=admin_actor,
            data=activity_data(
                kind="childcare_class",
                ends_at=start - dt.timedelta(days=1),
                starts_at=start,
                registration_closes_on=timezone.localdate() + dt.timedelta(days=5),
            ),
        )
    fields = exc.value.fields
    assert set(fields) == {"ends_at", "registration_closes_on", "audience"}
    assert fields["registration_closes_on"]["code"] == "after_start"
    assert fields["audience"]["code"] == "childcare_for_children"
    with pytest.raises(ValidationFailed) as exc:
        services.activity_create(
            actor=admin_actor,
            data=activity_data(audience="children", child_age_min=12, child_age_max=6),
        )
    assert exc.value.fields["child_age_max"]["code"] == "below_min"


def test_activity_region_and_station_follow_scope(make_user, station_factory, orgs):
    officer = actor_for(make_user("programme_officer", org="sz"))
    with pytest.raises(ValidationFailed) as exc:
        services.activity_create(actor=officer, data=activity_data(region="110105"))
    assert exc.value.fields["region"]["code"] == "out_of_scope"
    station = station_factory()
    desk = actor_for(make_user("station_staff", org="sz", station=station))
    # Station staff: the activity is at their station, in its region, by default.
    activity = services.activity_create(actor=desk, data=activity_data(region=""))
    assert activity.station_id == station.pk and activity.region_id == station.region_id
    assert activity.organiser_id == orgs["sz"].pk and activity.status == "draft"
    analyst = actor_for(make_user("analyst", org="sz"))
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=analyst, data=activity_data())
    assert AuditEvent.objects.filter(action="publicservices.activity.create").count() == 1


def test_places_waiting_list_and_promotion(admin_actor, worker_factory, open_activity):
    """2 places: A and B take them, C and D wait; A cancels → C gets the place; the counter
    stays 2 = registrations holding a place."""
    activity = open_activity(places=2)
    a, b, c, d = (worker_factory() for _ in range(4))
    regs = [
        services.registration_create(actor=admin_actor, activity=activity, worker_id=w.pk)
        for w in (a, b, c, d)
    ]
    assert [r.status for r in regs] == ["registered", "registered", "waitlisted", "waitlisted"]
    activity.refresh_from_db()
    assert (activity.places_taken, activity.places_free) == (2, 0)
    services.registration_transition(
        actor=admin_actor,
        registration=regs[0],
        to_status="cancelled",
        reason="家中有事",
        expected_version=1,
    )
    statuses = dict(ActivityRegistration.objects.values_list("worker_id", "status"))
    assert statuses == {
        a.pk: "cancelled",
        b.pk: "registered",
        c.pk: "registered",
        d.pk: "waitlisted",
    }
    activity.refresh_from_db()
    assert activity.places_taken == 2
    assert ActivityRegistration.objects.filter(holds_place=True).count() == 2
    assert AuditEvent.objects.filter(
        action="publicservices.registration.promote", worker_id=c.pk
    ).exists()
    # More places: the next in line moves up at once.
    activity = services.activity_update(
        actor=admin_actor, activity=activity, data={"places": 3}, expected_version=activity.version
    )
    assert activity.places_taken == 3
    assert ActivityRegistration.objects.get(worker=d).status == "registered"
    with pytest.raises(ValidationFailed) as exc:
        services.activity_update(
            actor=admin_actor,
            activity=activity,
            data={"places": 2},
            expected_version=activity.version,
        )
    assert exc.value.fields["places"]["code"] == "below_taken"
    with pytest.raises(VersionChanged):
        services.activity_update(actor=admin_actor, activity=activity, data={}, expected_version=1)


def test_full_without_waiting_list_and_the_constraint(admin_actor, worker_factory, open_activity):
    activity = open_activity(places=1, waiting_list=False)
    services.registration_create(
        actor=admin_actor, activity=activity, worker_id=worker_factory().pk
    )
    with pytest.raises(ActivityFull):
        services.registration_create(
            actor=admin_actor, activity=activity, worker_id=worker_factory().pk
        )
    assert ActivityRegistration.objects.count() == 1
    # The database refuses over-booking even for a writer that bypasses the services.
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(places_taken=2)


def test_registration_rules(admin_actor, worker_factory, open_activity, make_user):
    activity = open_activity()
    worker = worker_factory()
    services.registration_create(actor=admin_actor, activity=activity, worker_id=worker.pk)
    with pytest.raises(AlreadyRegistered):
        services.registration_create(actor=admin_actor, activity=activity, worker_id=worker.pk)
    with pytest.raises(ValidationFailed) as exc:
        services.registration_create(
            actor=admin_actor, activity=activity, worker_id=987654, family_member_id=1
        )
    assert exc.value.fields["worker_id"]["code"] == "unknown_worker"
    assert exc.value.fields["family_member_id"]["code"] == "not_for_family"
    # A worker outside the caller's area is unknown to it.
    bj_worker = worker_factory(current_region="110105", hukou_region="110105", id_region="110105")
    officer = actor_for(make_user("programme_officer", org="sz"))
    with pytest.raises(ValidationFailed) as exc:
        services.registration_create(actor=officer, activity=activity, worker_id=bj_worker.pk)
    assert exc.value.fields["worker_id"]["code"] == "unknown_worker"
    # The window: before it opens and after it closes.
    later = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationFailed) as exc:
        services.registration_create(
            actor=admin_actor, activity=activity, worker_id=worker_factory().pk, now=later
        )
    assert exc.value.fields["activity"]["code"] == "registration_closed"
    draft = services.activity_create(actor=admin_actor, data=activity_data())
    with pytest.raises(ValidationFailed) as exc:
        services.registration_create(
            actor=admin_actor, activity=draft, worker_id=worker_factory().pk
        )
    assert exc.value.fields["activity"]["code"] == "registration_not_open"


def test_children_activity_checks_the_child_and_age(
    admin_actor, worker_factory, open_activity, child
):
    """Ages 6–12 on the first day: a child born 2018-03-01 is 8 in a 2026 class (or later); a
    child born in the year before the class starts is too young."""
    activity = open_activity(
        kind="childcare_class", audience="children", child_age_min=6, child_age_max=12
    )
    worker = worker_factory()
    with pytest.raises(ValidationFailed) as exc:
        services.registration_create(actor=admin_actor, activity=activity, worker_id=worker.pk)
    assert exc.value.fields["family_member_id"]["code"] == "required"
    start_day = timezone.localdate(activity.starts_at)
    older = child(worker, birth=start_day.replace(year=start_day.year - 8).isoformat())
    baby = child(worker, birth=start_day.replace(year=start_day.year - 1).isoformat(), name="小小")
    with pytest.raises(ValidationFailed) as exc:
        services.registration_create(
            actor=admin_actor, activity=activity, worker_id=worker.pk, family_member_id=baby.pk
        )
    assert exc.value.fields["family_member_id"]["code"] == "age_out_of_range"
    other = worker_factory()
    with pytest.raises(ValidationFailed) as exc:
        services.registration_create(
            actor=admin_actor, activity=activity, worker_id=other.pk, family_member_id=older.pk
        )
    assert exc.value.fields["family_member_id"]["code"] == "not_a_child"
    reg = services.registration_create(
        actor=admin_actor, activity=activity, worker_id=worker.pk, family_member_id=older.pk
    )
    assert reg.family_member_id == older.pk and reg.status == "registered"
    with pytest.raises(AlreadyRegistered):
        services.registration_create(
            actor=admin_actor, activity=activity, worker_id=worker.pk, family_member_id=older.pk
        )
    event = AuditEvent.objects.get(action="publicservices.registration.create")
    assert event.worker_id == worker.pk and older.name in event.summary


# -- the activity lifecycle: every edge ------------------------------------------------------

ACTIVITY_PATHS = {
    "draft": [],
    "open": ["open"],
    "closed": ["open", "closed"],
    "held": ["open", "closed", "held"],
    "cancelled": ["cancelled"],
}
ACTIVITY_ALLOWED = sorted((a, b) for a, targets in ACTIVITY_TRANSITIONS.items() for b in targets)
ACTIVITY_REFUSED = [
    (a, b)
    for a, b in itertools.product(ActivityStatus.values, ActivityStatus.values)
    if b not in ACTIVITY_TRANSITIONS[a]
]


def _activity_in(admin_actor, status):
    activity = services.activity_create(actor=admin_actor, data=activity_data())
    for step in ACTIVITY_PATHS[status]:
        activity = services.activity_transition(
            actor=admin_actor,
            activity=activity,
            to_status=step,
            reason="r",
            expected_version=activity.version,
            now=_after_start(activity) if step == "held" else None,
        )
    assert activity.status == status
    return activity


@pytest.mark.parametrize(("source", "target"), ACTIVITY_ALLOWED)
def test_every_allowed_activity_edge(admin_actor, source, target):
    activity = _activity_in(admin_actor, source)
    moved = services.activity_transition(
        actor=admin_actor,
        activity=activity,
        to_status=target,
        reason="台风预警",
        expected_version=activity.version,
        now=_after_start(activity) if target == "held" else None,
    )
    assert moved.status == target
    event = (
        AuditEvent.objects.filter(action="publicservices.activity.transition").order_by("id").last()
    )
    assert event is not None and event.after["status"] == target


@pytest.mark.parametrize(("source", "target"), ACTIVITY_REFUSED)
def test_every_refused_activity_edge(admin_actor, source, target):
    activity = _activity_in(admin_actor, source)
    with pytest.raises(TransitionNotAllowed):
        services.activity_transition(
            actor=admin_actor,
            activity=activity,
            to_status=target,
            reason="r",
            expected_version=activity.version,
            now=_after_start(activity),
        )


def test_activity_transition_conditions(admin_actor, worker_factory, open_activity):
    activity = open_activity()
    reg = services.registration_create(
        actor=admin_actor, activity=activity, worker_id=worker_factory().pk
    )
    activity = services.activity_transition(
        actor=admin_actor, activity=activity, to_status="closed", expected_version=activity.version
    )
    with pytest.raises(Conflict) as exc:  # not started yet
        services.activity_transition(
            actor=admin_actor,
            activity=activity,
            to_status="held",
            expected_version=activity.version,
        )
    assert exc.value.fields["to_status"]["code"] == "not_started"
    with pytest.raises(Conflict):  # the window is over: cannot reopen
        services.activity_transition(
            actor=admin_actor,
            activity=activity,
            to_status="open",
            expected_version=activity.version,
            now=timezone.now() + dt.timedelta(days=2),
        )
    with pytest.raises(ValidationFailed) as exc:
        services.activity_transition(
            actor=admin_actor,
            activity=activity,
            to_status="cancelled",
            expected_version=activity.version,
        )
    assert "reason" in exc.value.fields
    activity = services.activity_transition(
        actor=admin_actor,
        activity=activity,
        to_status="cancelled",
        reason="台风预警",
        expected_version=activity.version,
    )
    reg.refresh_from_db()
    assert (reg.status, reg.holds_place, activity.places_taken) == ("cancelled", False, 0)
    assert AuditEvent.objects.filter(
        action="publicservices.registration.cancel_all", worker_id=reg.worker_id
    ).exists()


# -- the registration lifecycle: every edge --------------------------------------------------

REG_ALLOWED = sorted((a, b) for a, targets in REGISTRATION_TRANSITIONS.items() for b in targets)
REG_REFUSED = [
    (a, b)
    for a, b in itertools.product(RegistrationStatus.values, RegistrationStatus.values)
    if b not in REGISTRATION_TRANSITIONS[a]
]


def _registration_in(admin_actor, worker_factory, status):
    """A registration in `status`, in an activity that is closed and has started (so attendance
    may be recorded), or open for the statuses reached before it (cancel needs it not held)."""
    activity = services.activity_create(actor=admin_actor, data=activity_data(places=1))
    activity = services.activity_transition(
        actor=admin_actor, activity=activity, to_status="open", expected_version=1
    )
    services.registration_create(
        actor=admin_actor, activity=activity, worker_id=worker_factory().pk
    )
    reg = services.registration_create(
        actor=admin_actor, activity=activity, worker_id=worker_factory().pk
    )
    if status != "waitlisted":
        reg = ActivityRegistration.objects.filter(activity=activity).order_by("id").first()
    activity = services.activity_transition(
        actor=admin_actor, activity=activity, to_status="closed", expected_version=2
    )
    later = _after_start(activity)
    if status in ("attended", "absent", "cancelled"):
        reg = services.registration_transition(
            actor=admin_actor,
            registration=reg,
            to_status=status,
            expected_version=reg.version,
            now=later,
        )
    assert reg.status == status
    return reg, later


@pytest.mark.parametrize(("source", "target"), REG_ALLOWED)
def test_every_allowed_registration_edge(admin_actor, worker_factory, source, target):
    reg, later = _registration_in(admin_actor, worker_factory, source)
    now = later if target in ("attended", "absent") else None
    moved = services.registration_transition(
        actor=admin_actor, registration=reg, to_status=target, expected_version=reg.version, now=now
    )
    assert moved.status == target
    event = (
        AuditEvent.objects.filter(action="publicservices.registration.transition")
        .order_by("id")
        .last()
    )
    assert event is not None and event.worker_id == reg.worker_id


@pytest.mark.parametrize(("source", "target"), REG_REFUSED)
def test_every_refused_registration_edge(admin_actor, worker_factory, source, target):
    reg, later = _registration_in(admin_actor, worker_factory, source)
    with pytest.raises(TransitionNotAllowed):
        services.registration_transition(
            actor=admin_actor,
            registration=reg,
            to_status=target,
            expected_version=reg.version,
            now=later,
        )


def test_attendance_needs_the_start_and_the_organiser(
    admin_actor, worker_factory, open_activity, make_user
):
    activity = open_activity()
    reg = services.registration_create(
        actor=admin_actor, activity=activity, worker_id=worker_factory().pk
    )
    with pytest.raises(Conflict):  # still open, not started
        services.registration_transition(
            actor=admin_actor, registration=reg, to_status="attended", expected_version=1
        )
    activity = services.activity_transition(
        actor=admin_actor, activity=activity, to_status="closed", expected_version=activity.version
    )
    handler = actor_for(make_user("case_handler", org="sz"))
    with pytest.raises(PermissionDenied):  # may register and cancel, not mark attendance
        services.registration_transition(
            actor=handler,
            registration=reg,
            to_status="attended",
            expected_version=1,
            now=_after_start(activity),
        )
    with pytest.raises(VersionChanged):
        services.registration_transition(
            actor=admin_actor,
            registration=reg,
            to_status="attended",
            expected_version=7,
            now=_after_start(activity),
        )


def test_feedback_only_from_attendees(admin_actor, worker_factory, open_activity):
    activity = open_activity(places=3)
    came, stayed_away, waiting = (
        services.registration_create(
            actor=admin_actor, activity=activity, worker_id=worker_factory().pk
        )
        for _ in range(3)
    )
    activity = services.activity_transition(
        actor=admin_actor, activity=activity, to_status="closed", expected_version=activity.version
    )
    later = _after_start(activity)
    came = services.registration_transition(
        actor=admin_actor, registration=came, to_status="attended", expected_version=1, now=later
    )
    stayed_away = services.registration_transition(
        actor=admin_actor,
        registration=stayed_away,
        to_status="absent",
        expected_version=1,
        now=later,
    )
    for reg in (stayed_away, waiting):
        with pytest.raises(NotAnAttendee):
            services.registration_feedback(actor=admin_actor, registration=reg, rating=5)
    with pytest.raises(ValidationFailed) as exc:
        services.registration_feedback(actor=admin_actor, registration=came, rating=6)
    assert exc.value.fields["rating"]["code"] == "out_of_range"
    came = services.registration_feedback(
        actor=admin_actor, registration=came, rating=4, comment="孩子很喜欢"
    )
    assert (came.rating, came.comment) == (4, "孩子很喜欢")
    # Once feedback is given, the attendance cannot be turned into an absence.
    with pytest.raises(Conflict):
        services.registration_transition(
            actor=admin_actor,
            registration=came,
            to_status="absent",
            expected_version=came.version,
            now=later,
        )
    # Ratings 4 and 2 → average 3.0 over 2 answers.
    other = ActivityRegistration.objects.get(pk=stayed_away.pk)
    other = services.registration_transition(
        actor=admin_actor,
        registration=other,
        to_status="attended",
        expected_version=other.version,
        now=later,
    )
    services.registration_feedback(actor=admin_actor, registration=other, rating=2)
    summary = selectors.activity_summary(activity=activity)
    assert summary["feedback_count"] == 2 and summary["rating_average"] == 3.0
    assert summary["attended"] == 2 and summary["by_status"]["registered"] == 1
    assert AuditEvent.objects.filter(
        action="publicservices.registration.feedback", worker_id=came.worker_id
    ).exists()
    # The database refuses a rating on a registration that did not attend.
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityRegistration.objects.filter(pk=waiting.pk).update(rating=3)


def test_scope_of_activities(admin_actor, make_user, station_factory, orgs):
    sz_activity = services.activity_create(actor=admin_actor, data=activity_data())
    bj_activity = services.activity_create(
        actor=admin_actor, data=activity_data(region="110105", title="北京城市融入讲座")
    )
    sz_officer = actor_for(make_user("programme_officer", org="sz"))
    bj_admin = actor_for(make_user("org_admin", org="bj"))
    assert list(selectors.activity_list(actor=sz_officer)) == [sz_activity]
    assert list(selectors.activity_list(actor=bj_admin)) == [bj_activity]
    with pytest.raises(NotFound):
        selectors.activity_get(actor=sz_officer, activity_id=bj_activity.pk)
    with pytest.raises(PermissionDenied):
        services.activity_transition(
            actor=bj_admin, activity=sz_activity, to_status="open", expected_version=1
        )
    # Station-bound staff see their station's activities and the station-less ones around.
    station = station_factory()
    desk = actor_for(make_user("station_staff", org="sz", station=station))
    own = services.activity_create(actor=desk, data=activity_data(region=""))
    other_station = station_factory(name="宝安驿站", region="440306", address="宝安区1号")
    at_other = services.activity_create(
        actor=admin_actor, data=activity_data(region="440306", station=other_station.pk)
    )
    seen = set(selectors.activity_list(actor=desk))
    assert own in seen and sz_activity in seen and at_other not in seen
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=desk, activity=sz_activity, data={}, expected_version=1)
    filtered = selectors.activity_list(
        actor=admin_actor, filters=selectors.ActivityFilter(region="110000")
    )
    assert list(filtered) == [bj_activity]
