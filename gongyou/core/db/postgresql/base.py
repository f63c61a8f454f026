"""Django's PostgreSQL backend, with a connection health check that costs no round trip.

With persistent connections and CONN_HEALTH_CHECKS, Django runs `SELECT 1` before the first
query of every request to find a connection that PostgreSQL has closed (a restart, an idle
timeout, an administrator's pg_terminate_backend). For visit logging that was one round trip of
two per request. When PostgreSQL ends a session it sends an error message and closes the
socket, so an idle connection whose socket has nothing to read is still open, and one with
something to read (the error, end of file, or a notice) gets the full `SELECT 1` check. A
peer that vanished without closing (a host lost, a cable cut) is not caught by either check
before the query; the query then fails as it would after a `SELECT 1` a moment earlier.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or getattr(conn, "broken", False):
            return False
        if (
            getattr(self, "pool", None) is None
            and not self.in_atomic_block
            and _nothing_to_read(conn)
        ):
            return True
        return super().is_usable()


def _nothing_to_read(conn: object) -> bool:
    try:
        poller = select.poll()
        poller.register(conn.fileno(), select.POLLIN | select.POLLPRI)  # type: ignore[attr-defined]
        return not poller.poll(0)
    except (OSError, ValueError, AttributeError):  # no socket to poll: let the real check decide
        return False
