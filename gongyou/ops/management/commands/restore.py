"""`gongyou restore PATH [--force]`: put a `gongyou backup` back (gongyou/ops/backup.py).
Stop the web server and task workers first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongyou.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup (checked first; refuses a database that holds data unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a backup directory or .tar.gz from `gongyou backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            manifest = backup_restore(source=Path(opts["path"]), force=opts["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: "
            f"{sum(manifest['counts'].values()):,} rows in {len(manifest['counts'])} tables "
            f"(counts checked), {len(manifest['files'])} files."
        )
