"""core.audit.insert_with_audit on visits: a new row and its audit row, atomically (one statement on
PostgreSQL)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from gongyou.core.audit import audit_build, insert_with_audit
from gongyou.core.models import AuditEvent
from gongyou.stations.models import Visit
from gongyou.testing import transactional_apps


def _visit(station, admin, key):
    return Visit(station=station, service="rest", staff=admin, idempotency_key=key)


def _event(admin, station):
    return audit_build(
        actor=admin,
        action="visit.log",
        entity_type="stations.visit",
        region_code=station.region_id,
        after={"station": station.pk, "service": "rest"},
        summary="test visit",
    )


@pytest.mark.django_db(transaction=True, available_apps=transactional_apps())
def test_row_and_audit_row_are_written_together(station_factory, admin):
    station = station_factory()
    visit = _visit(station, admin, "k-1")
    with CaptureQueriesContext(connection) as queries:
        insert_with_audit(visit, _event(admin, station))
    assert visit.pk is not None and not visit._state.adding
    event = AuditEvent.objects.get(action="visit.log", entity_id=str(visit.pk))
    assert event.entity_type == "stations.visit"
    assert event.region_code == station.region_id
    assert event.after == {"station": station.pk, "service": "rest"}
    assert event.actor_id == admin.pk
    assert Visit.objects.get(pk=visit.pk).idempotency_key == "k-1"
    if connection.vendor == "postgresql":
        # One round trip: no BEGIN/COMMIT, no second INSERT.
        assert len(queries) == 1, [q["sql"] for q in queries]


@pytest.mark.django_db(transaction=True, available_apps=transactional_apps())
def test_a_failing_insert_writes_neither_row(station_factory, admin):
    station = station_factory()
    insert_with_audit(_visit(station, admin, "dup"), _event(admin, station))
    audits = AuditEvent.objects.count()
    with pytest.raises(IntegrityError):
        insert_with_audit(_visit(station, admin, "dup"), _event(admin, station))
    assert Visit.objects.filter(idempotency_key="dup").count() == 1
    assert AuditEvent.objects.count() == audits


@pytest.mark.django_db
def test_inside_a_transaction_a_failure_leaves_the_transaction_usable(station_factory, admin):
    station = station_factory()
    with transaction.atomic():
        insert_with_audit(_visit(station, admin, "again"), _event(admin, station))
        with pytest.raises(IntegrityError):
            insert_with_audit(_visit(station, admin, "again"), _event(admin, station))
        # The savepoint rolled back only the failed statement.
        assert Visit.objects.filter(idempotency_key="again").count() == 1
