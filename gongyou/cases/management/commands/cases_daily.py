"""`gongyou cases_daily`: enqueue the daily deadline run (run it from cron once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongyou.cases.tasks import cases_daily


class Command(BaseCommand):
    help = "Enqueue the daily deadline reminders and escalations of rights-protection cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        result = cases_daily.enqueue(options.get("date"))
        self.stdout.write(f"enqueued cases_daily: {result.id} ({result.status})")
