"""`gongyou retention [--dry-run] [--rule CLASS] [--batch N]`: apply the retention rules now
(what the daily task does), or show what they would touch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongyou.privacy import selectors, services
from gongyou.privacy.enums import RecordClass


class Command(BaseCommand):
    help = "Apply the retention rules (anonymise, redact, delete), or --dry-run to list them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="change nothing")
        parser.add_argument("--rule", choices=RecordClass.values, help="only this record class")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["dry_run"]:
            for line in selectors.retention_plan(actor=None, record_class=opts["rule"]):
                self.stdout.write(
                    f"{line.rule.record_class}: {line.count} (kept {line.rule.keep_days} days, "
                    f"before {line.cutoff:%Y-%m-%d})"
                )
                for reason, n in sorted(line.blocked.items()):
                    self.stdout.write(f"  not now: {n} - {reason}")
                if line.extra:
                    self.stdout.write(f"  + {line.extra} expired sign-in locks")
                for sample in line.sample:
                    self.stdout.write(f"  {sample}")
            return
        classes = [opts["rule"]] if opts["rule"] else RecordClass.values
        for record_class in classes:
            result = services.retention_apply(record_class=record_class, batch_size=opts["batch"])
            rows = ", ".join(f"{k} {v}" for k, v in sorted(result.rows.items())) or "nothing"
            self.stdout.write(f"{record_class}: {rows}")
            for worker_id, reasons in sorted(result.blocked.items()):
                self.stdout.write(f"  worker {worker_id} not anonymised: {'; '.join(reasons)}")
