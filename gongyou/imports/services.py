"""Import jobs: upload, run in batches with a checkpoint, resume, cancel; every write audited.

A batch's rows, its row errors and the job's checkpoint and counts commit in ONE transaction,
after the job row is locked and checked to still belong to this run. A process killed at any
moment therefore leaves whole batches only, and a resumed run starts at the checkpoint: never
half a batch, never a row twice. See docs/domains/imports.md and docs/decisions/0006.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor, Capability, actor_for
from gongyou.core.audit import audit_record
from gongyou.core.bulk import bulk_load
from gongyou.core.errors import Conflict, FieldErrors, NotFound

from . import history
from . import rows as processors
from .enums import TRANSITIONS, ImportKind, ImportStatus
from .keys import KeySet
from .models import DEFAULT_BATCH, ImportJob, ImportRowError
from .pool import Batch, Preparer, import_processes, pool_min_rows
from .reading import (
    HeaderMap,
    ImportFileError,
    detect_encoding,
    detect_format,
    header_index,
    header_key,
    iter_rows,
    map_headers,
    xlsx_row_estimate,
)

CHUNK = 1024 * 1024
KIND_CAPABILITY = {
    ImportKind.WORKERS: Capability.EDIT_WORKERS,
    ImportKind.STATIONS: Capability.MANAGE_STATIONS,
    ImportKind.VISITS: Capability.LOG_VISITS,
    # The settlement app's gate for histories: staff who may edit workers (history_can_edit).
    ImportKind.SETTLEMENT_HISTORY: Capability.EDIT_WORKERS,
}
# Kinds processed outside `rows` (their own module), beside the ones `rows` registers.
PROCESSORS = {**processors.PROCESSORS, ImportKind.SETTLEMENT_HISTORY: history.process_history}
KEYS = {**processors.KEYS, ImportKind.SETTLEMENT_HISTORY: history.history_keys}


class ImportTransitionNotAllowed(Conflict):
    code = "import_transition_not_allowed"


class ImportAlreadyRunning(Conflict):
    code = "import_already_running"


class _LostJob(Exception):
    """The job was cancelled or taken over by another run: stop without writing."""


def imports_dir() -> Path:
    """Uploaded files live outside the web root (never served directly)."""
    configured = getattr(settings, "IMPORTS_DIR", None) or os.environ.get("GONGYOU_IMPORTS_DIR")
    return Path(configured or Path(settings.VAR_DIR) / "imports")


def import_max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 0) or 512 * 1024 * 1024)


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "IMPORT_STALE_SECONDS", 0) or 300))


def import_path(job: ImportJob) -> Path:
    return imports_dir() / job.storage_name


def import_create(
    *, actor: Actor, kind: Any, upload: Any, batch_size: int = DEFAULT_BATCH, enqueue: bool = True
) -> ImportJob:
    """Store an uploaded file (a Django UploadedFile or an open binary file) and make its job.

    The task is enqueued on commit; with `enqueue=False` the caller runs it (the command line).
    """
    errors = FieldErrors()
    kind = str(kind or "")
    if kind not in ImportKind.values:
        errors.add(
            "kind",
            "invalid_choice",
            _("Choose workers, stations, visits or settlement histories."),
        )
    else:
        actor.require(KIND_CAPABILITY[ImportKind(kind)])
    name = os.path.basename(str(getattr(upload, "name", "") or "")).strip()[:200]
    if upload is None or not name:
        errors.add("file", "required", _("Choose a file."))
    errors.raise_if_any()
    head = upload.read(8)
    upload.seek(0)
    try:
        file_format = detect_format(name, head)
    except ImportFileError as exc:
        errors.add("file", exc.code, exc.message)
    if not head:
        errors.add("file", "empty", _("The file is empty."))
    errors.raise_if_any()
    storage_name = f"{timezone.now():%Y%m}/{uuid.uuid4().hex}"
    path = imports_dir() / storage_name
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size, limit = hashlib.sha256(), 0, import_max_bytes()
    chunks: Iterator[bytes] = (
        upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
    )
    with path.open("xb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                out.close()
                path.unlink(missing_ok=True)
                errors.add(
                    "file",
                    "too_large",
                    _("The file is larger than %(mb).0f MB.") % {"mb": limit / 1024 / 1024},
                )
                errors.raise_if_any()
            digest.update(chunk)
            out.write(chunk)
    os.chmod(path, 0o600)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                kind=kind,
                original_name=name,
                storage_name=storage_name,
                file_format=file_format,
                size=size,
                sha256=digest.hexdigest(),
                batch_size=max(1, min(int(batch_size), 20_000)),
                created_by=actor.user,
                organisation_id=actor.organisation_id,
                region_code=_region_of(actor),
            )
            audit_record(
                actor=actor.user,
                action="import.create",
                entity=job,
                after={"kind": kind, "file": name, "size": size, "sha256": job.sha256},
                region_code=job.region_code,
                summary=_("Import of %(name)s uploaded") % {"name": name},
            )
            if enqueue:
                transaction.on_commit(lambda: _enqueue(job.pk))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def _region_of(actor: Actor) -> str:
    org = getattr(actor.user, "organisation", None)
    return (getattr(org, "region_id", None) or "") if org is not None else ""


def _enqueue(job_id: int) -> None:
    from .tasks import import_run as task

    task.enqueue(job_id)


def _transition(job: ImportJob, to: str) -> None:
    if to not in TRANSITIONS[job.status]:
        raise ImportTransitionNotAllowed(
            _("An import that is %(from)s cannot become %(to)s.")
            % {"from": job.get_status_display(), "to": ImportStatus(to).label}
        )
    job.status = to


def import_cancel(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Stop a job: a running batch finishes or rolls back, nothing after it is written."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        _transition(job, ImportStatus.CANCELLED)
        job.finished_at = timezone.now()
        job.runner = ""
        job.save(update_fields=["status", "finished_at", "runner"])
        audit_record(
            actor=actor.user,
            action="import.cancel",
            entity=job,
            after={"committed_rows": job.committed_rows},
            region_code=job.region_code,
            summary=_("Import of %(name)s cancelled") % {"name": job.original_name},
        )
    return job


def _claim(job_id: int, *, token: str, force: bool) -> ImportJob | None:
    """Take the job for this run, or None when it is finished or held by a live run."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise NotFound()
        if job.status == ImportStatus.RUNNING:
            fresh = job.heartbeat_at and timezone.now() - job.heartbeat_at < stale_after()
            if fresh and not force:
                return None
            # The run that held it died (killed, restarted): interrupted, then resumed here.
            _transition(job, ImportStatus.INTERRUPTED)
        if job.status not in (ImportStatus.PENDING, ImportStatus.INTERRUPTED):
            return None
        resumed = job.status == ImportStatus.INTERRUPTED
        _transition(job, ImportStatus.RUNNING)
        job.runner, job.heartbeat_at = token, timezone.now()
        job.started_at = job.started_at or job.heartbeat_at
        job.error = ""
        job.save(update_fields=["status", "runner", "heartbeat_at", "started_at", "error"])
        audit_record(
            actor=job.created_by,
            action="import.resume" if resumed else "import.start",
            entity=job,
            after={"committed_rows": job.committed_rows},
            region_code=job.region_code,
            summary=(
                _("Import of %(name)s resumed") if resumed else _("Import of %(name)s started")
            )
            % {"name": job.original_name},
        )
    return job


def _finish(job: ImportJob, *, token: str, status: str, error: str = "") -> ImportJob:
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.runner != token or locked.status != ImportStatus.RUNNING:
            return locked
        _transition(locked, status)
        locked.error = error[:2000]
        locked.runner = ""
        if status != ImportStatus.INTERRUPTED:
            locked.finished_at = timezone.now()
        if status == ImportStatus.COMPLETED:
            locked.total = locked.done_rows
        locked.save()
        if status != ImportStatus.INTERRUPTED:
            audit_record(
                actor=locked.created_by,
                action="import.finish",
                entity=locked,
                after={
                    "status": status,
                    **{name: getattr(locked, name) for name in processors.OUTCOMES},
                },
                region_code=locked.region_code,
                summary=_("Import of %(name)s: %(status)s")
                % {"name": locked.original_name, "status": locked.get_status_display()},
            )
    return locked


def import_interrupted(*, job_id: int) -> ImportJob | None:
    """The task worker running this job died (gongyou/ops/taskworkers.py found it): a
    `running` job becomes `interrupted` with no runner, so the re-queued task resumes it from its
    last checkpoint at once instead of waiting for its heartbeat to go stale. A run that is in
    fact still alive (a stalled host) loses its claim: its next batch finds another runner and
    stops before writing (the runner token fences every batch). Other states are left as they
    are; returns the job (None if it no longer exists)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportStatus.RUNNING:
            return job
        _transition(job, ImportStatus.INTERRUPTED)
        job.runner = ""
        job.error = _("The worker running this import stopped; it resumes from row %(row)s.") % {
            "row": job.committed_rows + 1
        }
        job.save(update_fields=["status", "runner", "error"])
        audit_record(
            actor=None,
            action="import.interrupt",
            entity=job,
            after={"committed_rows": job.committed_rows},
            region_code=job.region_code,
            summary=_("Import of %(name)s interrupted: its worker stopped")
            % {"name": job.original_name},
        )
    return job


def _fault(batches: int) -> None:
    """Fault injection for the interruption tests only (GONGYOU_IMPORT_FAULT=exit:K | raise:K):
    die inside the transaction of the batch after K committed batches of this run."""
    spec = os.environ.get("GONGYOU_IMPORT_FAULT", "")
    if not spec:
        return
    how, _sep, count = spec.partition(":")
    if batches == int(count or 0):
        if how == "exit":
            os._exit(137)
        raise SimulatedCrash(f"simulated crash after {batches} batches")


class SimulatedCrash(BaseException):
    """Like a killed process: not caught by the runner, so the job is left `running`."""


def import_run(
    *,
    job_id: int,
    force: bool = False,
    progress: Callable[[ImportJob], None] | None = None,
) -> ImportJob:
    """Run (or resume) a job until its file is done. Safe to call twice: a job held by a live
    run is left alone; `force` takes over a `running` job whose process is known to be dead."""
    token = uuid.uuid4().hex
    job = _claim(job_id, token=token, force=force)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    try:
        with bulk_load():
            return _run(job, token=token, progress=progress)
    except ImportFileError as exc:
        return _finish(job, token=token, status=ImportStatus.FAILED, error=exc.message)
    except _LostJob:
        return ImportJob.objects.get(pk=job.pk)
    except (Exception, KeyboardInterrupt) as exc:
        try:
            _finish(job, token=token, status=ImportStatus.INTERRUPTED, error=repr(exc))
        finally:
            raise


def _blank_row(cells: list[Any]) -> bool:
    for cell in cells:
        if cell is not None and (cell.strip() if type(cell) is str else str(cell).strip()):
            return False
    return True


def _header_again(headers: HeaderMap, cells: list[Any], index: dict[str, str]) -> bool:
    """`headers.is_header_again`, answering False at once when the first non-blank cell is not
    its column's header (every data row) instead of normalising every cell of the row."""
    for position, cell in enumerate(cells):
        if str(cell or "").strip():
            if type(cell) is str and cell.isdigit():
                return False  # no header is a number (tests: test_no_header_is_a_number)
            field = index.get(header_key(cell))
            if field is None or headers.fields.get(position) != field:
                return False
            break
    return headers.is_header_again(cells, index)


def _run(job: ImportJob, *, token: str, progress: Callable[[ImportJob], None] | None) -> ImportJob:
    path = import_path(job)
    if not path.exists():
        raise ImportFileError("file_missing", _("The uploaded file is no longer stored."))
    if not job.encoding and job.file_format == "csv":
        job.encoding, job.total = detect_encoding(path)
        ImportJob.objects.filter(pk=job.pk).update(encoding=job.encoding, total=job.total)
    elif job.file_format == "xlsx" and not job.total:
        job.total = xlsx_row_estimate(path)
        ImportJob.objects.filter(pk=job.pk).update(total=job.total)
    source = iter_rows(path, file_format=job.file_format, encoding=job.encoding)
    try:
        header = next(source)
    except StopIteration:
        raise ImportFileError("no_header", _("The file is empty.")) from None
    headers = map_headers(job.kind, header)
    if headers.unknown != job.unknown_columns:
        job.unknown_columns = headers.unknown
        ImportJob.objects.filter(pk=job.pk).update(unknown_columns=headers.unknown)
    index = header_index(job.kind)
    actor = actor_for(job.created_by)
    ctx = processors.Context(actor=actor, labels=headers.labels, seen=KeySet(expected=job.total))
    process = PROCESSORS[job.kind]
    keys = KEYS[job.kind]

    fields = list(headers.fields.items())
    width = max(headers.fields, default=-1) + 1

    def batches() -> Iterator[tuple[Batch, int]]:
        position, row_number = 0, 1
        batch: Batch = []
        for cells in source:
            row_number += 1
            position += 1
            if _blank_row(cells) or _header_again(headers, cells, index):
                continue
            if len(cells) >= width:
                raw = {name: cells[i] for i, name in fields}
            else:
                raw = {name: cells[i] if i < len(cells) else None for i, name in fields}
            if position <= job.committed_rows:
                ctx.seen |= keys(raw)  # rows of an earlier run: only remembered, never redone
                continue
            batch.append((row_number, raw))
            if len(batch) >= job.batch_size:
                yield batch, position
                batch = []
        if batch or position > job.committed_rows:
            yield batch, position

    prepare = processors.PREPARERS.get(job.kind)
    write = processors.WRITERS.get(job.kind)
    processes = 1
    if prepare is not None and job.total - job.committed_rows >= pool_min_rows():
        processes = import_processes()
        processors.warm_reference_data()
    with Preparer(prepare=prepare or _as_is, ctx=ctx, processes=processes) as preparer:
        for number, ((_batch, position), prepared) in enumerate(
            preparer.map(batches(), batch_of=lambda item: item[0])
        ):
            job = _commit(
                job,
                ctx,
                write or process,
                prepared,
                position=position,
                token=token,
                batches=number,
            )
            if progress:
                progress(job)
    return _finish(job, token=token, status=ImportStatus.COMPLETED)


def _as_is(ctx: processors.Context, batch: Batch) -> list[Any]:
    return batch


def _commit(
    job: ImportJob,
    ctx: processors.Context,
    process: Callable[[processors.Context, list[Any]], processors.BatchResult],
    batch: list[Any],
    *,
    position: int,
    token: str,
    batches: int,
) -> ImportJob:
    """One batch and the checkpoint, in one transaction; retried once if a concurrent
    registration of the same ID number won the race (the retry sees it as existing)."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.runner != token or locked.status != ImportStatus.RUNNING:
                    raise _LostJob()
                result = process(ctx, batch)
                labels = ctx.labels
                ImportRowError.objects.bulk_create(
                    [
                        ImportRowError(
                            job_id=job.pk,
                            row=e.row,
                            column=labels.get(e.field, e.field)[:100],
                            value=e.value[:200],
                            code=e.code[:64],
                            message=str(e.message)[:500],
                        )
                        for e in result.errors
                    ],
                    batch_size=1000,
                )
                for name in processors.OUTCOMES:
                    setattr(locked, name, getattr(locked, name) + result.counts.get(name, 0))
                locked.committed_rows = position
                locked.heartbeat_at = timezone.now()
                if locked.done_rows > locked.total:
                    locked.total = locked.done_rows
                locked.save()
                _fault(batches)
            ctx.seen |= result.seen
            return locked
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
