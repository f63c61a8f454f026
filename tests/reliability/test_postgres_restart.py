"""PostgreSQL restarts while the server is logging visits: every visit the client was told was
stored is stored exactly once, retries with the same Idempotency-Key are not doubled, and the
server recovers on its own (no restart of the web processes).

The shared PostgreSQL of the machine is never touched: the test starts a private cluster in a
temporary folder on a free port (initdb + pg_ctl from the installed PostgreSQL binaries, as the
`postgres` user when the test runs as root), copies the test database into it (pg_dump |
pg_restore), serves it with `gongyou serve` (granian, one persistent connection per request thread),
drives it with client threads and restarts the cluster with `pg_ctl restart -m fast` mid-run.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from gongyou.accounts.policies import actor_for
from gongyou.accounts.services import api_token_create
from gongyou.testing import transactional_apps

from .conftest import ROOT, database_url, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, available_apps=transactional_apps()),
]

CLIENTS = 4
RUN_SECONDS = 12.0
RESTART_AT = 4.0  # seconds into the run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/pg_ctl)")
    return Path(found[-1]).parent


@dataclass
class PrivateCluster:
    """A throw-away PostgreSQL cluster: data and socket in `root`, listening on 127.0.0.1:port."""

    bin: Path
    root: Path
    port: int
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/gongyou"

    def run(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, *argv], capture_output=True, text=True, timeout=timeout, check=True
        )

    def pg_ctl(self, *args: str) -> None:
        self.run(
            str(self.bin / "pg_ctl"),
            *("-D", str(self.root / "data"), "-l", str(self.root / "server.log"), "-w"),
            *("-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"),
            *args,
        )

    def started_at(self) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            row = conn.execute("SELECT pg_postmaster_start_time()::text").fetchone()
        return str(row[0]) if row else ""


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    if connection.vendor != "postgresql":
        pytest.skip("restarting PostgreSQL under load needs PostgreSQL (DATABASE_URL)")
    pg_bin = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="gongyou-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root)
            pytest.skip("running as root and there is no `postgres` user to run PostgreSQL")
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["/usr/sbin/runuser", "-u", "postgres", "--"]
    pg = PrivateCluster(bin=pg_bin, root=root, port=_free_port(), as_user=as_user)
    try:
        pg.run(
            str(pg_bin / "initdb"),
            *("-D", str(root / "data"), "-U", "postgres", "-A", "trust", "--no-sync"),
            "-E",
            "UTF8",
        )
        pg.pg_ctl("start")
        pg.run(
            str(pg_bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(pg.port),
            "-U",
            "postgres",
            "gongyou",
        )
        yield pg
    finally:
        with contextlib.suppress(Exception):
            pg.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(root, ignore_errors=True)


class AnswerLost(ConnectionResetError):
    """The client hung up before reading the answer (on purpose)."""


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)  # keys answered 201 (first or replayed)
    replayed: list[str] = field(default_factory=list)  # keys answered "Idempotent-Replayed"
    retried: Counter[str] = field(default_factory=Counter)  # key -> failed attempts before
    failures: Counter[str] = field(default_factory=Counter)  # what the failed attempts saw
    unexpected: list[str] = field(default_factory=list)
    last_failure_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(
    index: int, port: int, token: str, station: int, stop: threading.Event, out: Outcome
) -> None:
    """Log visits back to back; a connection error or a 5xx is retried with the same key.
    Every fifth visit's first answer is thrown away unread, so its retry repeats a stored visit."""
    conn: http.client.HTTPConnection | None = None
    seq = 0
    body = json.dumps({"station_id": station, "service": "rest"}).encode()
    while not stop.is_set():
        seq += 1
        key = f"pgr-{index}-{seq}"
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        deadline = time.monotonic() + 60
        # Every fifth visit's first answer is lost: the client hangs up after sending, as when a
        # network drops the response of a request the server did store. It must retry.
        lose_answer = seq % 5 == 0
        while True:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
                conn.request("POST", "/api/v1/visits", body=body, headers=headers)
                if lose_answer:
                    lose_answer = False
                    raise AnswerLost()
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
                replayed = resp.getheader("Idempotent-Replayed") == "true"
            except (OSError, http.client.HTTPException) as exc:
                status, data, replayed = 0, type(exc).__name__.encode(), False
                with contextlib.suppress(Exception):
                    conn.close()  # type: ignore[union-attr]
                conn = None
            if status == 201:
                with out.lock:
                    out.created.append(key)
                    if replayed:
                        out.replayed.append(key)
                break
            if status and status < 500:
                with out.lock:
                    out.unexpected.append(f"{key}: {status} {data[:200]!r}")
                break
            with out.lock:
                out.retried[key] += 1
                out.failures[str(status or data.decode())] += 1
                if data != b"AnswerLost":
                    out.last_failure_at = time.monotonic()
            if time.monotonic() > deadline:
                with out.lock:
                    out.unexpected.append(f"{key}: gave up after 60 s")
                return
            time.sleep(0.05)


def test_postgresql_restart_under_load_loses_and_doubles_nothing(
    cluster: PrivateCluster, admin: Any, station_factory: Any, tmp_path: Path
) -> None:
    station = station_factory(services=["rest"])
    _token, token = api_token_create(actor=actor_for(admin), user=admin, name="restart test")
    # The test database (migrated, with this test's admin, station and token) into the cluster.
    dump = subprocess.run(
        [
            str(cluster.bin / "pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-acl",
            "--dbname",
            database_url(),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    subprocess.run(
        [str(cluster.bin / "pg_restore"), "--no-owner", "--dbname", cluster.url],
        input=dump,
        capture_output=True,
        check=True,
        timeout=120,
    )

    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GONGYOU_")},
        "DATABASE_URL": cluster.url,
        "DJANGO_SETTINGS_MODULE": "gongyou.config.settings.dev",
        "GONGYOU_VAR_DIR": str(tmp_path / "var"),
        # The test settings' keys: the token and the copied rows were made with them.
        "GONGYOU_SECRET_KEY": django_settings.SECRET_KEY,
        "GONGYOU_PII_KEYS": django_settings.PII_KEYS,
        "GONGYOU_PII_INDEX_KEY": django_settings.PII_INDEX_KEY,
        "GONGYOU_WEB_WORKERS": "2",
        "GONGYOU_API_TOKEN_CACHE_SECONDS": "0",  # every request reads the database
    }
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gongyou", "serve", "--port", str(port), "--no-task-worker"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def healthy() -> bool:
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            with contextlib.suppress(OSError, http.client.HTTPException):
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/healthz")
                return c.getresponse().status == 200
            return False

        wait_for(healthy, timeout=60, what="the server to answer /healthz", every=0.2)
        web_pids = _children(server.pid)

        out, stop = Outcome(), threading.Event()
        clients = [
            threading.Thread(target=_client, args=(i, port, token, station.pk, stop, out))
            for i in range(CLIENTS)
        ]
        started = time.monotonic()
        for t in clients:
            t.start()
        time.sleep(RESTART_AT)
        before_restart = len(out.created)
        first_start = cluster.started_at()
        restart_began = time.monotonic()
        cluster.pg_ctl("restart", "-m", "fast")
        restart_took = time.monotonic() - restart_began
        assert cluster.started_at() != first_start  # it really restarted
        time.sleep(max(0.0, RUN_SECONDS - (time.monotonic() - started)))
        stop.set()
        for t in clients:
            t.join(timeout=90)
        # A quiet server: its pooled connections sit idle while PostgreSQL restarts. The first
        # requests afterwards, not retried, must not be handed a dead connection.
        time.sleep(1)
        cluster.pg_ctl("restart", "-m", "fast")
        quiet = {
            f"pgr-quiet-{i}": _post_once(port, token, station.pk, f"pgr-quiet-{i}")
            for i in range(12)
        }
        out.created += [key for key, status in quiet.items() if status == 201]
        assert server.poll() is None and _children(server.pid) == web_pids  # no web restart
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    import psycopg

    with psycopg.connect(cluster.url, autocommit=True) as conn:
        stored = [
            r[0]
            for r in conn.execute(
                "SELECT idempotency_key FROM stations_visit WHERE idempotency_key LIKE 'pgr-%%'"
            )
        ]
        audited = conn.execute(
            "SELECT count(*) FROM core_auditevent WHERE action = 'visit.log'"
        ).fetchone()
    summary = (
        f"created {len(out.created)} (before restart {before_restart}), retried keys"
        f" {len(out.retried)}, failed attempts {dict(out.failures)}, replayed {len(out.replayed)},"
        f" restart {restart_took:.1f} s, unexpected {out.unexpected[:3]}"
    )
    print(summary, "after a quiet restart:", quiet)
    assert not out.unexpected, summary
    assert set(quiet.values()) == {201}, quiet
    assert out.replayed, summary  # retries of stored visits were answered from the first
    assert len(out.created) > before_restart > 0, summary  # visits logged before and after
    # Every visit the clients were told was stored is stored, exactly once, and nothing else.
    assert sorted(stored) == sorted(out.created), summary
    assert len(set(out.created)) == len(out.created), summary
    assert audited is not None and audited[0] == len(stored), summary  # one audit row each
    # Recovered on its own: successes resumed well before the run ended.
    assert out.last_failure_at == 0.0 or out.last_failure_at < started + RUN_SECONDS - 2, summary


def _post_once(port: int, token: str, station: int, key: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(
            "POST",
            "/api/v1/visits",
            body=json.dumps({"station_id": station, "service": "rest"}).encode(),
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": key,
            },
        )
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


def _children(pid: int) -> set[int]:
    """The PIDs of `pid`'s process group (granian's main process and its workers)."""
    pids = set()
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(stat).read_text().rpartition(")")[2].split()
            if int(fields[2]) == pid:  # process group id
                pids.add(int(Path(stat).parent.name))
    return pids
