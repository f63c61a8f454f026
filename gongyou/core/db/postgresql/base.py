"""Django's PostgreSQL backend, with a connection health check that costs no round trip while
the connection is busy.

With persistent connections and CONN_HEALTH_CHECKS, Django runs `SELECT 1` before the first
query of every request to find a connection that PostgreSQL has closed (a restart, an idle
timeout, an administrator's pg_terminate_backend). For visit logging that was one round trip of
two per request. When PostgreSQL ends a session it sends an error message and closes the
socket, so a connection whose socket has nothing to read is still open as far as this host
can tell, and one with something to read (the error, end of file, or a notice) gets the full
`SELECT 1`. What a poll cannot see is a peer that vanished without closing (a failover that
moved the address, a host that rebooted): only sending finds that out. So the full check still
runs when the last one is more than FULL_CHECK_SECONDS old — on a busy connection a `SELECT 1`
every few seconds instead of one per request, and always after a quiet spell.
"""

from __future__ import annotations

import select
import time

import psycopg
from django.db.backends.postgresql import base

FULL_CHECK_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    _full_check_at = float("-inf")

    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or getattr(conn, "broken", False):
            return False
        now = time.monotonic()
        if (
            now - self._full_check_at < FULL_CHECK_SECONDS
            and getattr(self, "pool", None) is None
            and not self.in_atomic_block
            and _nothing_to_read(conn)
        ):
            return True
        usable = super().is_usable()
        if usable:
            self._full_check_at = now
        return usable

    def connect(self) -> None:
        super().connect()
        self._full_check_at = time.monotonic()  # a new connection has just answered


def _nothing_to_read(conn: psycopg.Connection) -> bool:
    try:
        poller = select.poll()
        poller.register(conn.fileno(), select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except (OSError, ValueError, psycopg.Error):  # no socket to poll: the full check decides
        return False
