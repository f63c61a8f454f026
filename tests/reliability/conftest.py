"""Helpers of the fault tests: a database that other processes share with the test, and real
`gongyou worker` processes started and killed against it.

PostgreSQL: the other processes connect to the test's own database (a transactional test, so
what the test writes is committed and visible to them). SQLite: the test database lives in
memory, so `publish()` copies it into a file for the other processes and `collect()` copies the
file back after they stopped, for the test to read with the ORM.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from gongyou.stations.models import Visit

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.reliability.settings"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class SharedDatabase:
    """The test's database as other processes reach it (`url`), and the environment they get."""

    tmp: Path
    url: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def file(self) -> Path:
        return self.tmp / "shared.sqlite3"

    def publish(self) -> None:
        """Make what the test wrote so far visible to other processes."""
        if is_postgres():
            return
        connection.ensure_connection()
        self.file.unlink(missing_ok=True)
        dest = sqlite3.connect(self.file)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()

    def peek(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """A read of the shared database while other processes work on it (%s placeholders)."""
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        conn = sqlite3.connect(self.file, timeout=10)
        try:
            return list(conn.execute(sql.replace("%s", "?"), params).fetchall())
        finally:
            conn.close()

    def collect(self) -> None:
        """Make what other processes wrote visible to the test (they must have stopped)."""
        if is_postgres():
            return
        connection.ensure_connection()
        src = sqlite3.connect(self.file)
        try:
            src.backup(connection.connection)
        finally:
            src.close()


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        )
    return ""


@pytest.fixture
def shared_db(transactional_db: Any, tmp_path: Path, settings: Any) -> SharedDatabase:
    shared = SharedDatabase(tmp=tmp_path)
    shared.url = database_url() or f"sqlite:///{shared.file}"
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.IMPORTS_DIR = tmp_path / "imports"
    shared.env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GONGYOU_")},
        "DATABASE_URL": shared.url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "GONGYOU_EXPORTS_DIR": str(settings.EXPORTS_DIR),
        "GONGYOU_IMPORTS_DIR": str(settings.IMPORTS_DIR),
        "GONGYOU_VAR_DIR": str(tmp_path / "var"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return shared


@dataclass
class Workers:
    """`python -m gongyou worker` processes, each in its own process group, logs in tmp."""

    shared: SharedDatabase
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, **env: str) -> subprocess.Popen[bytes]:
        log = (self.shared.tmp / f"worker-{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(  # our own interpreter and command
            [
                *(sys.executable, "-m", "gongyou", "worker"),
                *("--interval", "0.1", "--heartbeat", "0.5", "--ttl", "10", "--reap-every", "1"),
            ],
            cwd=ROOT,
            env={**self.shared.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL: no handler runs, nothing is cleaned up (as when the OOM killer strikes)."""
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def log(self, index: int) -> str:
        return (self.shared.tmp / f"worker-{index}.log").read_text(errors="replace")[-3000:]


@pytest.fixture
def workers(shared_db: SharedDatabase) -> Iterator[Workers]:
    pool = Workers(shared_db)
    yield pool
    pool.stop_all()


def insert_visits(n: int, *, station: Any, staff: Any) -> None:
    """`n` visits in one INSERT … SELECT (test data only; a loop of saves would take minutes)."""
    table = Visit._meta.db_table
    services = (
        "CASE g %% 4 WHEN 0 THEN 'rest' WHEN 1 THEN 'drinking_water'"
        " WHEN 2 THEN 'consultation' ELSE 'legal_aid' END"
    )
    columns = "station_id, staff_id, service, note, at, created_at"
    if connection.vendor == "postgresql":
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT %s, %s, {services}, '',"  # noqa: S608
            " now() - g * interval '1 second', now() FROM generate_series(1, %s) AS s(g)"
        )
    else:
        sql = (
            "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %s) "  # noqa: S608
            f"INSERT INTO {table} ({columns}) SELECT %s, %s, {services}, '',"
            " datetime('now', '-' || g || ' seconds'), datetime('now') FROM s"
        )
    params = (
        (station.pk, staff.pk, n)
        if connection.vendor == "postgresql"
        else (n, station.pk, staff.pk)
    )
    with connection.cursor() as cursor:  # table and column names are constants
        cursor.execute(sql, params)
    assert Visit.objects.count() == n


def wait_for(check: Callable[[], Any], *, timeout: float, what: str, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)
