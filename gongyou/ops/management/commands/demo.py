"""`gongyou demo --workers N --stations M [--visits K]`: generate the synthetic population."""

from __future__ import annotations

import importlib
import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gongyou.accounts.models import Organisation
from gongyou.core.audit import audit_record
from gongyou.ops import demo

# Apps with a `demo.demo_populate(*, seed)` that builds on the workers, stations and
# organisations above; each does nothing when its data is already there.
PROGRAMME_DEMOS = ("training", "settlement", "publicservices", "jobs", "recognition", "portal")


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic workers, stations and visits (NBS 2023 survey calibration)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, default=20_000)
        parser.add_argument("--stations", type=int, default=300)
        parser.add_argument("--visits", type=int, default=None, help="default: 40 per station")
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument(
            "--programmes",
            action="store_true",
            help="also fill the programme areas (training, settlement, …) from these workers",
        )
        parser.add_argument(
            "--users",
            action="store_true",
            help="also create demo users (password GONGYOU_ADMIN_PASSWORD)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["workers"] < 0 or opts["stations"] < 0:
            raise CommandError("--workers and --stations must be 0 or more.")
        visits = opts["visits"] if opts["visits"] is not None else opts["stations"] * 40
        quiet = opts["verbosity"] == 0
        started = time.monotonic()
        if opts["stations"]:
            demo.generate_stations(count=opts["stations"], seed=opts["seed"])
        national = Organisation.objects.filter(parent=None, region=None).first()
        if opts["workers"]:
            with tqdm(total=opts["workers"], unit=" workers", disable=quiet, smoothing=0.1) as bar:
                made = demo.generate_workers(
                    count=opts["workers"],
                    seed=opts["seed"],
                    actor_user=None,
                    org=national,
                    progress=bar.update,
                )
            audit_record(
                actor=None,
                action="demo.workers",
                entity_type="workers.worker",
                entity_id="*",
                after={"count": made, "seed": opts["seed"]},
                summary=f"Demo data: {made} workers",
            )
        if visits:
            with tqdm(total=visits, unit=" visits", disable=quiet) as bar:
                demo.generate_visits(count=visits, seed=opts["seed"], progress=bar.update)
        if opts["users"]:
            password = os.environ.get("GONGYOU_ADMIN_PASSWORD") or ""
            if not password:
                raise CommandError("Set GONGYOU_ADMIN_PASSWORD to create demo users.")
            for username, roles in demo.ensure_demo_users(password=password):
                self.stdout.write(f"demo user {username} ({roles})")
        if opts["programmes"]:
            for app in PROGRAMME_DEMOS:
                module = importlib.import_module(f"gongyou.{app}.demo")
                made = module.demo_populate(seed=opts["seed"])
                if not quiet and made:
                    counts = ", ".join(f"{n} {what}" for what, n in made.items())
                    self.stdout.write(f"demo {app}: {counts}")
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(f"demo data ready in {time.monotonic() - started:.1f} s")
            )
