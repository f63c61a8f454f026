"""`gongyou backup [PATH]`: a consistent copy of the database and the evidence and import files
(gongyou/ops/backup.py; docs/reliability.md). Safe while the system runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongyou.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the evidence and import files (a directory or .tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="where to write: a new directory, or a file ending in .tar.gz "
            "(default var/backups/gongyou-YYYYmmdd-HHMMSS.tar.gz)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from django.conf import settings

        path = Path(
            opts["path"]
            or Path(settings.VAR_DIR) / "backups" / f"gongyou-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        try:
            manifest = backup_create(output=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backup written to {path}: {manifest['vendor']} database, "
            f"{len(manifest['counts'])} tables, {rows:,} rows, {len(manifest['files'])} files."
        )
        self.stdout.write(
            "The field-encryption keys are not in the backup: keep GONGYOU_PII_KEYS and "
            "GONGYOU_PII_INDEX_KEY safe separately."
        )
