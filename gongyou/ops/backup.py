"""`gongyou backup` and `gongyou restore`: the database and the files that cannot be rebuilt.

A backup is one directory (or a .tar.gz of it) holding:

- `database.sqlite3` — SQLite's online backup API: a consistent copy taken while the
  application keeps running (readers and writers wait only for the pages being copied); or
  `database.pgdump` — `pg_dump --format=custom`, a consistent snapshot of PostgreSQL;
- `files/<name>/…` — case and award evidence and uploaded import files (exports are not kept:
  they can be made again);
- `manifest.json` — when, from which database vendor, the applied migrations, row counts of
  every table and the SHA-256 of every file, checked before anything is restored.

Restore checks the manifest and every checksum first, refuses a database that holds data unless
forced, restores in one step (SQLite backup API into the configured database; `pg_restore
--clean --single-transaction`, all or nothing), puts the files back, and compares the row counts
with the manifest. The field-encryption keys are NOT in the backup (a stolen backup must not
carry its keys): keep GONGYOU_PII_KEYS and GONGYOU_PII_INDEX_KEY safe separately, or the
restored ID numbers and phones cannot be read. See docs/reliability.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction

FORMAT = 1


class BackupError(Exception):
    pass


def file_dirs() -> dict[str, Path]:
    """The directories of files a backup carries (name in the backup -> directory here)."""
    from gongyou.recognition.services.evidence import evidence_dir

    dirs = {
        "attachments": Path(settings.CASE_ATTACHMENTS_DIR),
        "recognition": evidence_dir(),
        "imports": Path(settings.IMPORTS_DIR),
    }
    for name, path in getattr(settings, "BACKUP_EXTRA_DIRS", {}).items():
        dirs[name] = Path(path)
    return dirs


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode:
        raise BackupError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")


def backup_create(*, output: Path) -> dict[str, Any]:
    """Write a backup to `output` (a new directory, or a file ending in .tar.gz)."""
    archive = output.name.endswith((".tar.gz", ".tgz"))
    target = Path(tempfile.mkdtemp(prefix="gongyou-backup-")) if archive else output
    if not archive:
        if output.exists() and any(output.iterdir()):
            raise BackupError(f"{output} exists and is not empty")
        output.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _write(target)
        if archive:
            output.parent.mkdir(parents=True, exist_ok=True)
            with tarfile.open(output, "w:gz") as tar:
                tar.add(target, arcname="gongyou-backup")
        return manifest
    finally:
        if archive:
            shutil.rmtree(target, ignore_errors=True)


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608
    finally:
        db.close()


def _write(target: Path) -> dict[str, Any]:
    """The database copy and its row counts describe one and the same moment."""
    vendor = connection.vendor
    if vendor == "sqlite":
        db_file = target / "database.sqlite3"
        connection.ensure_connection()
        dest = sqlite3.connect(db_file)
        try:
            connection.connection.backup(dest, pages=4096)
        finally:
            dest.close()
        counts = _sqlite_counts(db_file)
    elif vendor == "postgresql":
        db_file = target / "database.pgdump"
        args, env = _pg_env()
        with transaction.atomic(), connection.cursor() as cursor:
            # pg_dump reads the very snapshot in which the rows are counted.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts()
            _run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(db_file),
                    connection.settings_dict["NAME"],
                ],
                env,
            )
    else:  # pragma: no cover - the two supported databases
        raise BackupError(f"unsupported database {vendor}")
    files: dict[str, str] = {}
    for name, source in file_dirs().items():
        if not source.exists():
            continue
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            relative = Path("files") / name / path.relative_to(source)
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / relative)
            files[str(relative)] = _sha256(target / relative)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": vendor,
        "database_file": db_file.name,
        "database_sha256": _sha256(db_file),
        "migrations": _migrations(),
        "counts": counts,
        "files": files,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


@contextmanager
def _opened(source: Path) -> Iterator[Path]:
    if source.is_dir():
        yield source
        return
    if not tarfile.is_tarfile(source):
        raise BackupError(f"{source} is neither a backup directory nor a .tar.gz backup")
    with tempfile.TemporaryDirectory(prefix="gongyou-restore-") as tmp:
        with tarfile.open(source, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / "gongyou-backup"


def backup_verify(root: Path) -> dict[str, Any]:
    manifest_path = root / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{root} has no manifest.json: not a Gongyou backup")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    db_file = root / manifest["database_file"]
    if not db_file.exists() or _sha256(db_file) != manifest["database_sha256"]:
        raise BackupError(f"{db_file.name} is missing or damaged (checksum differs)")
    for relative, digest in manifest["files"].items():
        path = root / relative
        if not path.exists() or _sha256(path) != digest:
            raise BackupError(f"{relative} is missing or damaged (checksum differs)")
    return manifest


def _holds_data() -> bool:
    names = connection.introspection.table_names()
    if "workers_worker" not in names:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM workers_worker LIMIT 1")
        return cursor.fetchone() is not None


def backup_restore(*, source: Path, force: bool = False) -> dict[str, Any]:
    """Restore a backup into the configured database and file directories."""
    with _opened(source) as root:
        manifest = backup_verify(root)
        vendor = connection.vendor
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"this backup is of a {manifest['vendor']} database; the configured one is {vendor}"
            )
        if _holds_data() and not force:
            raise BackupError(
                "the configured database already holds workers; restore with --force to replace it"
            )
        db_file = root / manifest["database_file"]
        if vendor == "sqlite":
            connection.ensure_connection()
            src = sqlite3.connect(db_file)
            try:
                src.backup(connection.connection)
            finally:
                src.close()
        else:
            connections.close_all()
            args, env = _pg_env()
            _run(
                [
                    "pg_restore",
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(db_file),
                ],
                env,
            )
        dirs = file_dirs()
        for relative in manifest["files"]:
            parts = Path(relative).parts
            if len(parts) < 3 or parts[0] != "files" or parts[1] not in dirs:
                continue
            dest = dirs[parts[1]].joinpath(*parts[2:])
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / relative, dest)
        counts = table_counts()
        wrong = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
        if wrong:
            raise BackupError(f"row counts differ after the restore: {wrong}")
        return manifest
