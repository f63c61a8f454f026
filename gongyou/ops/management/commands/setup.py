"""`gongyou setup`: everything `make run` needs before serving; safe to run again."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.models import Organisation, User
from gongyou.accounts.services import organisation_create, user_create, user_set_password
from gongyou.core.errors import ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.ops import demo

DEMO_MARK = "demo.loaded"


class Command(BaseCommand):
    help = "Migrate, compile translations, collect static files, load demo data once, ensure the admin user."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("GONGYOU_DEMO_WORKERS", "20000"))
        )
        parser.add_argument(
            "--stations", type=int, default=int(os.environ.get("GONGYOU_DEMO_STATIONS", "300"))
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("compile_translations", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        password = os.environ.get("GONGYOU_ADMIN_PASSWORD")
        generated = not password
        password = password or secrets.token_urlsafe(12)
        try:
            admin = self._ensure_admin(password=password, generated=generated)
        except ValidationFailed as exc:
            problems = "; ".join(f["message"] for f in exc.fields.values())
            raise CommandError(f"GONGYOU_ADMIN_PASSWORD is not acceptable: {problems}") from None
        if not opts["no_demo"] and not AuditEvent.objects.filter(action=DEMO_MARK).exists():
            self.stdout.write(
                f"Loading demo data ({opts['workers']} workers, {opts['stations']} stations)…"
            )
            call_command(
                "demo",
                workers=opts["workers"],
                stations=opts["stations"],
                programmes=True,
                verbosity=1,
            )
            for username, roles in demo.ensure_demo_users(password=password):
                self.stdout.write(f"  demo user {username} ({roles}), same password as admin")
            from gongyou.core.audit import audit_record

            audit_record(
                actor=admin,
                action=DEMO_MARK,
                entity_type="system",
                entity_id="demo",
                summary="Demo data loaded",
            )
        else:
            self.stdout.write("Existing data kept (demo data already loaded or --no-demo).")

    @transaction.atomic
    def _ensure_admin(self, *, password: str, generated: bool) -> User:
        national = Organisation.objects.filter(
            kind=OrganisationKind.NATIONAL_FEDERATION, parent=None
        ).first()
        if national is None:
            national = organisation_create(
                actor=None, name="中华全国总工会", kind=OrganisationKind.NATIONAL_FEDERATION
            )
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = user_create(
                actor=None,
                username="admin",
                password=None,
                organisation=national,
                roles=[Role.SYSTEM_ADMIN.value],
                display_name="系统管理员",
            )
            user_set_password(actor=None, user=admin, password=password)
            shown = "(generated) " + password if generated else "from GONGYOU_ADMIN_PASSWORD"
            self.stdout.write(
                self.style.SUCCESS(f"Administrator: username admin, password {shown}")
            )
        elif not generated:
            if not admin.check_password(password):
                user_set_password(actor=None, user=admin, password=password)
                self.stdout.write("Administrator password updated from GONGYOU_ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                "Administrator 'admin' exists (password unchanged; set GONGYOU_ADMIN_PASSWORD to reset it)."
            )
        return admin
