"""`gongyou pii-rekey [--batch N] [--dry-run] [--status] [--background]`: re-encrypt every
stored personal value under the primary key of GONGYOU_PII_KEYS, resuming a stopped run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongyou.core import crypto
from gongyou.core.errors import ApplicationError
from gongyou.privacy import selectors, services
from gongyou.privacy.models import RekeyRun
from gongyou.privacy.tasks import pii_rekey


def _describe(run: RekeyRun) -> str:
    columns = ", ".join(f"{c} {v}" for c, v in sorted(run.checkpoint.items()) if c != "pass")
    return (
        f"run {run.pk} to key {run.key_id}: {run.status}, {run.total_rewritten} values "
        f"re-encrypted in {run.batches} batches, {sum(run.skipped.values())} changed meanwhile"
        f"{'; ' + columns if columns else ''}{'; error: ' + run.error if run.error else ''}"
    )


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data under the first key of GONGYOU_PII_KEYS (key rotation), in "
        "batches, while the site runs. Resumes a stopped run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="values per batch (2000)")
        parser.add_argument(
            "--dry-run", action="store_true", help="count values per key and column; change nothing"
        )
        parser.add_argument("--status", action="store_true", help="show the latest run")
        parser.add_argument(
            "--background", action="store_true", help="hand the run to the task worker"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["status"]:
            run = selectors.rekey_latest()
            self.stdout.write(_describe(run) if run else "No rotation has run.")
            return
        unknown = selectors.unknown_key_ids()
        if unknown:
            found = "; ".join(f"{c}: {', '.join(sorted(k))}" for c, k in sorted(unknown.items()))
            raise CommandError(
                f"Stored values use PII keys that are not in GONGYOU_PII_KEYS ({found}). Put "
                "those keys back in the ring (after the new primary key) and run again."
            )
        if opts["dry_run"]:
            primary = crypto.primary_key_id()
            for census in selectors.rekey_census():
                keys = ", ".join(f"{k} {n}" for k, n in census.by_key.items())
                self.stdout.write(
                    f"{census.column}: {census.total} values ({keys}); "
                    f"{census.to_rekey} to re-encrypt under {primary}"
                )
            return
        try:
            run = services.pii_rekey_start(actor=None, batch_size=opts["batch"])
        except ApplicationError as exc:
            raise CommandError(
                " ".join([exc.message, *(f["message"] for f in exc.fields.values())])
            ) from exc
        if opts["background"]:
            pii_rekey.enqueue(run.pk)
            self.stdout.write(f"Enqueued: {_describe(run)}")
            return
        self.stdout.write(f"Started: {_describe(run)}")
        try:
            while services.pii_rekey_batch(run_id=run.pk):
                run.refresh_from_db()
                if run.batches % 10 == 0:
                    self.stdout.write(_describe(run))
        except (crypto.MissingPiiKey, services.RekeyNotPossible) as exc:
            raise CommandError(str(exc)) from exc
        run.refresh_from_db()
        self.stdout.write(self.style.SUCCESS(_describe(run)))
