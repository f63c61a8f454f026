"""Activity places are never over-booked when many register and cancel at once (parallel
threads, each with its own connection). Needs a server database: on in-memory SQLite every
connection is a separate database, so this runs on PostgreSQL (CI runs both)."""

import threading

import pytest
from django.db import connection, connections

from gongyou.publicservices.models import Activity, ActivityRegistration
from gongyou.publicservices.services import (
    ActivityFull,
    registration_create,
    registration_transition,
)
from gongyou.testing import transactional_apps

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


def test_parallel_registration_never_overbooks(admin_actor, worker_factory, open_activity):
    """8 workers race for 3 places without a waiting list: 3 get one, 5 get ActivityFull."""
    activity = open_activity(places=3, waiting_list=False)
    workers = [worker_factory() for _ in range(8)]
    fns = [
        (lambda w=w: registration_create(actor=admin_actor, activity=activity, worker_id=w.pk))
        for w in workers
    ]
    results, errors = run_together(fns)
    assert len(results) == 3
    assert len(errors) == 5 and all(isinstance(e, ActivityFull) for e in errors), errors
    activity.refresh_from_db()
    assert activity.places_taken == 3 == activity.places
    assert ActivityRegistration.objects.filter(activity=activity, holds_place=True).count() == 3


def test_parallel_cancellations_promote_each_waiting_entry_once(
    admin_actor, worker_factory, open_activity
):
    """3 places, 3 registered and 3 waiting; the 3 registered cancel at once while 2 more
    register: every freed place goes to the waiting list in order, none is lost or doubled."""
    activity = open_activity(places=3)
    first = [
        registration_create(actor=admin_actor, activity=activity, worker_id=worker_factory().pk)
        for _ in range(6)
    ]
    assert [r.status for r in first] == ["registered"] * 3 + ["waitlisted"] * 3
    late = [worker_factory() for _ in range(2)]
    fns = [
        (
            lambda r=r: registration_transition(
                actor=admin_actor, registration=r, to_status="cancelled", expected_version=1
            )
        )
        for r in first[:3]
    ] + [
        (lambda w=w: registration_create(actor=admin_actor, activity=activity, worker_id=w.pk))
        for w in late
    ]
    results, errors = run_together(fns)
    assert errors == [] and len(results) == 5
    activity = Activity.objects.get(pk=activity.pk)
    holding = ActivityRegistration.objects.filter(activity=activity, holds_place=True)
    assert activity.places_taken == holding.count() == 3
    # The three who waited first hold the places; the late two wait behind them.
    assert set(holding.values_list("pk", flat=True)) == {r.pk for r in first[3:]}
    assert ActivityRegistration.objects.filter(activity=activity, status="waitlisted").count() == 2
