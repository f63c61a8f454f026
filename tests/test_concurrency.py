"""Races the database must settle: the same Idempotency-Key or ID number sent twice at once.

Needs a server database (each thread has its own connection); on in-memory SQLite every
connection is a separate database, so these run on PostgreSQL (CI runs both).
"""

import threading
import uuid

import pytest
from django.db import connection, connections

from gongyou.accounts.policies import actor_for
from gongyou.stations.models import Visit
from gongyou.stations.services import visit_log
from gongyou.testing import make_national_id, transactional_apps
from gongyou.workers.models import Worker
from gongyou.workers.services import WorkerAlreadyRegistered, worker_register

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=transactional_apps()),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a shared server database"),
]


def run_together(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def target():
        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_same_idempotency_key_at_once_counts_once(admin, station_factory):
    actor = actor_for(admin)
    station = station_factory()
    key = str(uuid.uuid4())
    results, errors = run_together(
        6,
        lambda: visit_log(actor=actor, station_id=station.pk, service="rest", idempotency_key=key),
    )
    assert not errors
    assert len({visit.pk for visit, _created in results}) == 1
    assert sum(created for _visit, created in results) == 1
    assert Visit.objects.filter(idempotency_key=key).count() == 1


def test_same_id_number_at_once_registers_once(admin):
    actor = actor_for(admin)
    number = make_national_id()
    data = {
        "national_id": number,
        "name": "赵磊",
        "phone": "13812340000",
        "hukou_region": "510104",
        "current_region": "440305",
    }
    results, errors = run_together(5, lambda: worker_register(actor=actor, data=data))
    assert len(results) == 1
    assert len(errors) == 4 and all(isinstance(e, WorkerAlreadyRegistered) for e in errors)
    assert Worker.objects.count() == 1
