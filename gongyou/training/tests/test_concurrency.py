"""Seats are never over-booked when many enrol at once (parallel threads, each with its own
connection). Needs a server database: on in-memory SQLite every connection is a separate
database, so this runs on PostgreSQL (CI runs both)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from gongyou.accounts.policies import actor_for
from gongyou.testing import transactional_apps
from gongyou.training.models import Course, Enrolment
from gongyou.training.services import CourseFull, enrolment_apply, enrolment_transition
from gongyou.training.tests.factories import make_course, make_provider

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=transactional_apps()),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a shared server database"),
]


def run_together(fns):
    barrier = threading.Barrier(len(fns))
    results, errors = [], []

    def target(fn):
        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(fn,)) for fn in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_parallel_enrolment_never_overbooks(orgs, make_user, worker_factory):
    orgs["prov"] = make_provider(parent=orgs["sz"])
    actor = actor_for(make_user("programme_officer", org="prov"))
    today = timezone.localdate()
    course = make_course(
        actor=actor, seats=3, enrol_opens_on=today - dt.timedelta(days=1), enrol_closes_on=today
    )
    workers = [worker_factory() for _ in range(8)]
    # Half take a seat directly, half confirm an application: both paths race for 3 seats.
    applied = [enrolment_apply(actor=actor, course=course, worker_id=w.pk) for w in workers[4:]]
    fns = [
        (lambda w=w: enrolment_apply(actor=actor, course=course, worker_id=w.pk, enrol=True))
        for w in workers[:4]
    ] + [
        (
            lambda e=e: enrolment_transition(
                actor=actor, enrolment=e, to_status="enrolled", version=1
            )
        )
        for e in applied
    ]
    results, errors = run_together(fns)
    assert len(results) == 3
    assert len(errors) == 5 and all(isinstance(e, CourseFull) for e in errors), errors
    course.refresh_from_db()
    assert course.seats_taken == 3
    assert Enrolment.objects.filter(course=course, holds_seat=True).count() == 3
    assert Course.objects.get(pk=course.pk).seats_free == 0
