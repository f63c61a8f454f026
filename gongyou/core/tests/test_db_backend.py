"""The PostgreSQL backend's health check (gongyou/core/db/postgresql): no round trip for a
connection checked moments ago whose socket is quiet, the full check after a quiet spell, and a
connection PostgreSQL has ended is found unusable."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_pg

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL backend needs PostgreSQL"
    ),
]


@pytest.fixture
def other():
    """A second connection of its own (not the test's transaction)."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_it_is_the_configured_backend():
    from gongyou.core.db.postgresql.base import DatabaseWrapper

    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_live_idle_connection_is_usable_without_a_query(other):
    with mock.patch.object(django_pg.DatabaseWrapper, "is_usable") as select_one:
        assert other.is_usable() is True
    select_one.assert_not_called()


def test_a_quiet_connection_gets_the_full_check_again(other):
    other._full_check_at -= 60  # the last full check was a minute ago
    with mock.patch.object(django_pg.DatabaseWrapper, "is_usable", return_value=True) as full:
        assert other.is_usable() is True
        assert other.is_usable() is True  # the next request, moments later: no query
    full.assert_called_once()


def test_a_connection_postgresql_ended_is_not_usable(other):
    from gongyou.core.db.postgresql.base import _nothing_to_read

    pid = other.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone() == (True,)
    deadline = time.monotonic() + 5
    while _nothing_to_read(other.connection) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _nothing_to_read(other.connection)  # PostgreSQL's goodbye arrived
    assert other.is_usable() is False
