"""A worker's own application for a course (the worker portal): enrolment_apply_by_worker."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.core.errors import ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.training.enums import EnrolmentStatus
from gongyou.training.services import (
    AlreadyEnrolled,
    CourseFull,
    enrolment_apply,
    enrolment_apply_by_worker,
    enrolment_transition,
)
from gongyou.training.tests.factories import make_course

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_worker_applies_for_an_open_course(course, worker, provider_actor):
    enrolment = enrolment_apply_by_worker(worker=worker, course=course)
    assert enrolment.status == EnrolmentStatus.APPLIED and not enrolment.holds_seat
    assert enrolment.created_by is None
    course.refresh_from_db()
    assert course.seats_taken == 0  # an application holds no seat until an officer enrols it
    event = AuditEvent.objects.get(action="training.enrolment.apply", entity_id=str(enrolment.pk))
    assert event.actor is None and event.worker_id == worker.pk
    assert event.actor_label == f"portal: worker {worker.pk}"
    assert event.after["channel"] == "portal"
    # Officers enrol it through the same seat counter.
    enrolment_transition(
        actor=provider_actor, enrolment=enrolment, to_status="enrolled", version=enrolment.version
    )
    course.refresh_from_db()
    assert course.seats_taken == 1


def test_duplicate_refused_clearly(course, worker, officer_actor):
    enrolment_apply_by_worker(worker=worker, course=course)
    with pytest.raises(AlreadyEnrolled) as exc:
        enrolment_apply_by_worker(worker=worker, course=course)
    assert "already applied" in exc.value.message
    other = course.__class__.objects.get(pk=course.pk)
    # A staff application for the same worker is refused too (one live application).
    with pytest.raises(AlreadyEnrolled):
        enrolment_apply(actor=officer_actor, course=other, worker_id=worker.pk)


def test_window_and_seats_refused(provider_actor, worker, worker_factory):
    later = make_course(
        actor=provider_actor,
        title="later",
        enrol_opens_on=TODAY + dt.timedelta(days=2),
        enrol_closes_on=TODAY + dt.timedelta(days=4),
    )
    with pytest.raises(ValidationFailed) as exc:
        enrolment_apply_by_worker(worker=worker, course=later)
    assert exc.value.fields["course"]["code"] == "enrolment_not_open"
    with pytest.raises(ValidationFailed) as exc:
        enrolment_apply_by_worker(worker=worker, course=later, today=TODAY + dt.timedelta(days=5))
    assert exc.value.fields["course"]["code"] == "enrolment_closed"
    full = make_course(actor=provider_actor, title="one seat", seats=1)
    enrolment_apply(
        actor=provider_actor,
        course=full,
        worker_id=worker_factory(current_region="440305").pk,
        enrol=True,
    )
    with pytest.raises(CourseFull):
        enrolment_apply_by_worker(worker=worker, course=full)
    assert not full.enrolments.filter(worker=worker).exists()
