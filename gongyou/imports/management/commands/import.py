"""`gongyou import workers|stations|visits|settlement-history FILE --user USERNAME` and
`gongyou import resume JOB_ID`.

Runs in this process with a progress bar (no task queue needed), acting with the named user's
roles and data scope; prints the summary and where the error report is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from tqdm import tqdm

from gongyou.accounts.models import User
from gongyou.accounts.policies import actor_for
from gongyou.core.errors import ApplicationError
from gongyou.imports import services
from gongyou.imports.enums import ImportKind, ImportStatus
from gongyou.imports.models import DEFAULT_BATCH, ImportJob


class Command(BaseCommand):
    help = (
        "Import workers, stations, visits or settlement histories from a CSV or .xlsx file, "
        "or resume an import."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("what", choices=[*ImportKind.values, "resume"])
        parser.add_argument("target", help="the file, or the job id for resume")
        parser.add_argument("--user", help="act as this user (their roles and area); required")
        parser.add_argument(
            "--batch", type=int, default=DEFAULT_BATCH, help="rows per transaction (and checkpoint)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="resume: take over a job still marked running (its process is known dead)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["what"] == "resume":
                if not str(opts["target"]).isdigit():
                    raise CommandError("resume takes a job id.")
                job = ImportJob.objects.filter(pk=int(opts["target"])).first()
                if job is None:
                    raise CommandError(f"No import job {opts['target']}.")
            else:
                if not opts["user"]:
                    raise CommandError(
                        "--user USERNAME is required: imports act with a user's scope."
                    )
                user = User.objects.filter(username=opts["user"], is_active=True).first()
                if user is None:
                    raise CommandError(f"No active user {opts['user']}.")
                path = Path(opts["target"])
                if not path.is_file():
                    raise CommandError(f"No file {path}.")
                with path.open("rb") as handle:
                    job = services.import_create(
                        actor=actor_for(user),
                        kind=opts["what"],
                        upload=handle,
                        batch_size=opts["batch"],
                        enqueue=False,
                    )
            self._run(job, force=opts["force"], quiet=opts["verbosity"] == 0)
        except ApplicationError as exc:
            details = "; ".join(f"{k}: {v['message']}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {details}".strip()) from exc

    def _run(self, job: ImportJob, *, force: bool, quiet: bool) -> None:
        with tqdm(total=job.total or None, unit=" rows", disable=quiet, smoothing=0.1) as bar:
            bar.update(job.done_rows)

            def progress(current: ImportJob) -> None:
                if current.total and bar.total != current.total:
                    bar.total = current.total
                bar.update(current.done_rows - bar.n)

            job = services.import_run(job_id=job.pk, force=force, progress=progress)
        if job.status == ImportStatus.RUNNING:
            raise CommandError(
                f"Import {job.pk} is being run by another process (last progress "
                f"{job.heartbeat_at:%Y-%m-%d %H:%M:%S}); use --force if that process is dead."
            )
        self.stdout.write(
            f"import {job.pk} {job.status}: {job.total} rows, created {job.created}, "
            f"updated {job.updated}, unchanged {job.unchanged}, invalid {job.invalid}, "
            f"duplicates in file {job.duplicate_in_file}, conflicts {job.conflicts}"
        )
        if job.unknown_columns:
            self.stdout.write("unknown columns (ignored): " + ", ".join(job.unknown_columns))
        if job.error:
            self.stdout.write(f"error: {job.error}")
        if job.invalid or job.duplicate_in_file or job.conflicts:
            self.stdout.write(
                "error report: "
                + reverse("imports:errors_csv", args=[job.pk])
                + f"  (or: GET /api/v1/imports/{job.pk}/errors)"
            )
