"""Every write of the exports app: create a job, run it (write the file), retry, download,
clean up. The job's status changes only through `export_transition` (enums.TRANSITIONS)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import secrets
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor, actor_for
from gongyou.core.audit import audit_record
from gongyou.core.errors import Conflict, FieldErrors, NotFound, PermissionDenied

from . import writers
from .columns import revealable_fields
from .enums import TRANSITIONS, ExportFormat, ExportHeaders, ExportKind, ExportStatus
from .models import ExportJob
from .policies import (
    export_can_reveal,
    export_require_can_create,
    export_require_can_reveal,
    export_require_visible,
)
from .selectors import export_filters_dump, export_filters_parse, export_rows

logger = logging.getLogger(__name__)


class ExportTransitionNotAllowed(Conflict):
    code = "export_transition_not_allowed"


class ExportNotReady(Conflict):
    code = "export_not_ready"


def exports_dir() -> Path:
    """Outside the web root (never under STATIC_ROOT; there is no MEDIA_URL)."""
    return Path(getattr(settings, "EXPORTS_DIR", Path(settings.VAR_DIR) / "exports"))


def export_ttl() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "EXPORTS_TTL_DAYS", 7)))


def export_stale_after() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "EXPORTS_STALE_HOURS", 6)))


@transaction.atomic
def export_create(
    *,
    actor: Actor,
    kind: str,
    format: str,
    filters: dict[str, Any] | None = None,
    search: str = "",
    reveal: bool = False,
    purpose: str = "",
    headers: str = ExportHeaders.LABELS,
    language: str | None = None,
    strict_filters: bool = True,
) -> ExportJob:
    """A pending export job of a list the actor can see, enqueued when the transaction commits."""
    export_require_can_create(actor)
    errors = FieldErrors()
    if kind not in ExportKind.values:
        errors.add("kind", "invalid_choice", _("Choose workers, stations, visits or cases."))
    if format not in ExportFormat.values:
        errors.add("format", "invalid_choice", _("Choose csv, xlsx or parquet."))
    if headers not in ExportHeaders.values:
        errors.add("headers", "invalid_choice", _("Choose labels or keys."))
    errors.raise_if_any()
    purpose = (purpose or "").strip()
    if reveal:
        if not revealable_fields(kind):
            errors.add("reveal", "not_applicable", _("This list has no personal data to reveal."))
            errors.raise_if_any()
        export_require_can_reveal(actor, kind)
        if not purpose:
            errors.add(
                "purpose",
                "required",
                _("State why you need to see it (PIPL: every reveal has a purpose)."),
            )
    if len(purpose) > 200:
        errors.add("purpose", "too_long", _("At most 200 characters."))
    if len(search or "") > 100:
        errors.add("search", "too_long", _("At most 100 characters."))
    if search and kind != ExportKind.CASES:
        errors.add("search", "not_applicable", _("Only the case queue has a text search."))
    errors.raise_if_any()
    parsed = export_filters_parse(kind=kind, data=dict(filters or {}), strict=strict_filters)
    job = ExportJob.objects.create(
        kind=kind,
        format=format,
        filters=export_filters_dump(parsed),
        search=(search or "").strip(),
        headers=headers,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        reveal=reveal,
        purpose=purpose,
        created_by=actor.user,
        organisation_id=actor.organisation_id,
        expires_at=timezone.now() + export_ttl(),
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import export_run as export_run_task

    export_run_task.enqueue(job_id)


def export_transition(*, job: ExportJob, to: str, **changes: Any) -> ExportJob:
    """Move the job along TRANSITIONS with a conditional UPDATE, so two workers racing for the
    same job cannot both claim it; `changes` are written in the same statement."""
    if to not in TRANSITIONS.get(job.status, frozenset()):
        raise ExportTransitionNotAllowed(
            _("An export cannot go from %(from)s to %(to)s.") % {"from": job.status, "to": to}
        )
    updated = ExportJob.objects.filter(pk=job.pk, status=job.status).update(status=to, **changes)
    if not updated:
        raise ExportTransitionNotAllowed(_("The export changed meanwhile; reload it."))
    job.refresh_from_db()
    return job


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return _("The disk is full: the export file could not be written.")
        return _("The export file could not be written: %(reason)s") % {
            "reason": exc.strerror or exc.__class__.__name__
        }
    if isinstance(exc, PermissionDenied):
        return _("Your role may no longer reveal personal data; export without revealing it.")
    return f"{exc.__class__.__name__}: {exc}"[:1000]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _write(job: ExportJob, actor: Actor, out: IO[bytes]) -> int:
    columns, sources, rows = export_rows(actor=actor, job=job)
    try:
        return _write_rows(job, columns, sources, rows, out)
    finally:
        # End the database cursor now, also on failure: on SQLite a connection with an open read
        # cursor cannot write (the job's failed state) once another connection has written.
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _write_rows(job: ExportJob, columns: Any, sources: list[str], rows: Any, out: IO[bytes]) -> int:
    convert = writers.RowConverter(
        columns,
        sources,
        reveal=job.reveal,
        human=job.format != ExportFormat.PARQUET,
        language=job.language,
    )

    def progress(count: int) -> None:
        # Progress is for display only and must never fail the export. On SQLite this write
        # shares its connection with the open read cursor of the rows, and SQLite refuses it
        # (SQLITE_BUSY_SNAPSHOT, "database is locked") whenever any other connection has written
        # since the export began (a visit logged, a worker's heartbeat): the count then shows
        # when the export completes.
        try:
            ExportJob.objects.filter(pk=job.pk).update(row_count=count)
        except OperationalError:
            logger.info("export %s: progress not recorded (database busy)", job.pk)

    if job.format == ExportFormat.PARQUET:
        return writers.write_parquet(
            out, columns=columns, rows=rows, convert=convert, progress=progress
        )
    header = writers.header_row(
        columns, keys=job.headers == ExportHeaders.KEYS, language=job.language
    )
    if job.format == ExportFormat.XLSX:
        return writers.write_xlsx(
            out,
            header=header,
            rows=rows,
            convert=convert,
            progress=progress,
            sheet_title=job.kind,
        )
    return writers.write_csv(out, header=header, rows=rows, convert=convert, progress=progress)


def export_run(*, job_id: int) -> ExportJob | None:
    """Write the job's file. Idempotent: only a pending job is claimed (pending → running);
    a job already running, completed or failed is left alone. Any error fails the job with a
    readable message and removes the partial file."""
    job = ExportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ExportStatus.PENDING:
        return job
    try:
        job = export_transition(
            job=job,
            to=ExportStatus.RUNNING,
            started_at=timezone.now(),
            finished_at=None,
            attempts=F("attempts") + 1,
            error="",
            row_count=0,
        )
    except ExportTransitionNotAllowed:
        return ExportJob.objects.filter(pk=job_id).first()  # another worker claimed it
    directory = exports_dir()
    final = directory / f"{job.pk}-{secrets.token_hex(8)}.{job.format}"
    part = final.with_name(final.name + ".part")
    try:
        actor = actor_for(job.created_by)
        if job.reveal:
            export_require_can_reveal(actor, job.kind)
        directory.mkdir(parents=True, exist_ok=True)
        with translation.override(job.language), writers.open_output(part) as out:
            count = _write(job, actor, out)
        size = part.stat().st_size
        sha256 = _sha256(part)
        os.replace(part, final)
        with transaction.atomic():
            now = timezone.now()
            job = export_transition(
                job=job,
                to=ExportStatus.COMPLETED,
                file_name=final.name,
                size=size,
                sha256=sha256,
                row_count=count,
                finished_at=now,
                expires_at=now + export_ttl(),
            )
            fields = revealable_fields(job.kind) if job.reveal else []
            audit_record(
                actor=job.created_by,
                action="export.reveal" if job.reveal else "export.complete",
                entity=job,
                after={
                    "kind": job.kind,
                    "format": job.format,
                    "filters": {k: v for k, v in job.filters.items() if v is not None},
                    "search": job.search,
                    "rows": count,
                    "revealed_fields": fields,
                    "sha256": sha256,
                },
                purpose=job.purpose,
                summary=f"Export of {count} {job.kind} ({job.format})"
                + (f", revealed {', '.join(fields)}" if fields else ""),
            )
        return job
    except Exception as exc:
        logger.exception("export %s failed", job.pk)
        for leftover in (part, final):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        job.refresh_from_db()
        if job.status == ExportStatus.RUNNING:
            job = export_transition(
                job=job,
                to=ExportStatus.FAILED,
                error=_describe(exc),
                finished_at=timezone.now(),
                file_name="",
                size=0,
                sha256="",
            )
        return job


def _remove_unfinished_files(job: ExportJob) -> None:
    """Files of this job that no completed state points at: a killed run's `.part` file, or a
    file renamed into place just before the run died (before it was recorded)."""
    directory = exports_dir()
    if not directory.is_dir():
        return
    for leftover in directory.glob(f"{job.pk}-*"):
        if leftover.name != job.file_name:
            with contextlib.suppress(OSError):
                leftover.unlink()


@transaction.atomic
def export_interrupted(*, job_id: int) -> ExportJob | None:
    """The worker running this job died (gongyou/ops/taskworkers.py found it): a `running` job
    goes back to `pending` (through `failed`, the lifecycle's only way back) and its partial
    file is removed, so the re-queued task writes the whole file again. Other states are left
    as they are; returns the job (None if it no longer exists)."""
    job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        return None
    if job.status == ExportStatus.RUNNING:
        job = export_transition(
            job=job,
            to=ExportStatus.FAILED,
            error=_("The export was interrupted (the worker stopped); retry it."),
            finished_at=timezone.now(),
            file_name="",
            size=0,
            sha256="",
        )
        job = export_transition(
            job=job, to=ExportStatus.PENDING, error="", row_count=0, finished_at=None
        )
    if job.status in (ExportStatus.PENDING, ExportStatus.FAILED):
        _remove_unfinished_files(job)
    return job


@transaction.atomic
def export_retry(*, actor: Actor, job: ExportJob) -> ExportJob:
    """A failed job goes back to pending and is enqueued again; its error is cleared then."""
    export_require_visible(actor, job)
    if job.reveal and not export_can_reveal(actor, job.kind):
        raise PermissionDenied()
    job = export_transition(
        job=job,
        to=ExportStatus.PENDING,
        error="",
        row_count=0,
        started_at=None,
        finished_at=None,
        expires_at=timezone.now() + export_ttl(),
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def export_open(*, actor: Actor, job: ExportJob) -> IO[bytes]:
    """The finished file, for the creator or an admin of their organisation; audited."""
    export_require_visible(actor, job)
    if job.status != ExportStatus.COMPLETED or not job.file_name:
        raise ExportNotReady(_("The export is not ready for download."))
    try:
        handle = (exports_dir() / job.file_name).open("rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    audit_record(
        actor=actor.user,
        action="export.download",
        entity=job,
        after={"kind": job.kind, "format": job.format, "rows": job.row_count},
        purpose=job.purpose,
        summary=f"Downloaded export #{job.pk} ({job.kind}, {job.row_count} rows)",
    )
    return handle


def export_cleanup(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Daily: delete the files of expired jobs (→ expired) and fail jobs whose worker died
    while running them (running longer than EXPORTS_STALE_HOURS), so they can be retried."""
    now = now or timezone.now()
    stale = 0
    for job in ExportJob.objects.filter(
        status=ExportStatus.RUNNING, started_at__lt=now - export_stale_after()
    ):
        try:
            export_transition(
                job=job,
                to=ExportStatus.FAILED,
                error=_("The export was interrupted (the worker stopped); retry it."),
                finished_at=now,
                expires_at=now + export_ttl(),
            )
            stale += 1
        except ExportTransitionNotAllowed:
            continue
    expired = 0
    for job in ExportJob.objects.filter(
        status__in=[ExportStatus.COMPLETED, ExportStatus.FAILED], expires_at__lt=now
    ):
        if job.file_name:
            (exports_dir() / job.file_name).unlink(missing_ok=True)
        try:
            export_transition(job=job, to=ExportStatus.EXPIRED, file_name="", size=0)
            expired += 1
        except ExportTransitionNotAllowed:
            continue
    return {"expired": expired, "interrupted": stale}
