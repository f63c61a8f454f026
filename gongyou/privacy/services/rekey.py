"""Key rotation without downtime: re-encrypt every `*_enc` column under the primary key of
GONGYOU_PII_KEYS, in batches, while the site keeps running.

Readers never wait: every key of the ring decrypts, so old and new values are both readable
throughout. Each batch is one transaction: it reads up to `batch_size` values of one column
that are not under the primary key, after the run's checkpoint, in primary-key order (keyset
pagination), and rewrites each with a conditional UPDATE (`WHERE pk = … AND column = <the
value read>`): a value a user changed meanwhile is left alone (it was written under the
primary key already) and counted as skipped. The checkpoint and an audit row are written with
the batch, so a stopped run resumes after the last committed batch. When every column is done
a verification pass looks for stragglers (a value written by a process still on the old ring)
and rescans the columns that have some, at most MAX_PASSES times.
"""

from __future__ import annotations

import traceback

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core import crypto
from gongyou.core.audit import audit_record
from gongyou.core.errors import Conflict, FieldErrors

from ..enums import RekeyStatus
from ..models import RekeyRun
from ..policies import privacy_require_admin

MAX_BATCH = 50_000
MAX_PASSES = 3
DONE = "done"


class RekeyNotPossible(Conflict):
    code = "rekey_not_possible"


def _column(model: type, name: str) -> str:
    return f"{model._meta.label}.{name}"  # type: ignore[attr-defined]


def _pending(model: type, name: str, primary: str) -> object:
    manager = model._default_manager  # type: ignore[attr-defined]
    return manager.exclude(**{name: ""}).exclude(**{f"{name}__startswith": f"{primary}$"})


def pii_rekey_start(*, actor: Actor | None, batch_size: int = 2000) -> RekeyRun:
    """Start a rotation to the current primary key, or return the one running (to resume it).
    `actor` None is the command line."""
    if actor is not None:
        privacy_require_admin(actor)
    errors = FieldErrors()
    if not isinstance(batch_size, int) or not 1 <= batch_size <= MAX_BATCH:
        errors.add("batch_size", "out_of_range", _("Between 1 and %(max)d.") % {"max": MAX_BATCH})
    errors.raise_if_any()
    primary = crypto.primary_key_id()
    with transaction.atomic():
        running = RekeyRun.objects.select_for_update().filter(status=RekeyStatus.RUNNING).first()
        if running is not None:
            if running.key_id != primary:
                raise RekeyNotPossible(
                    _(
                        "A rotation to key %(old)s is running but the primary key is now "
                        "%(new)s. Restore the key ring it started with, or let it fail."
                    )
                    % {"old": running.key_id, "new": primary}
                )
            return running
        run = RekeyRun.objects.create(
            key_id=primary,
            batch_size=batch_size,
            started_by=actor.user if actor else None,
            checkpoint={"pass": 1},
        )
        audit_record(
            actor=actor.user if actor else None,
            action="privacy.rekey_start",
            entity=run,
            after={"key_id": primary, "batch_size": batch_size, "keys": crypto.keyring().key_ids},
            summary=_("Re-encryption of personal data to key %(key)s started") % {"key": primary},
        )
    return run


def _fail(run_id: int, message: str) -> None:
    with transaction.atomic():
        run = RekeyRun.objects.select_for_update().get(pk=run_id)
        if run.status != RekeyStatus.RUNNING:
            return
        run.status, run.error, run.finished_at = RekeyStatus.FAILED, message, timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        audit_record(
            actor=None,
            action="privacy.rekey_failed",
            entity=run,
            after={"error": message[:500]},
            summary=_("Re-encryption of personal data failed"),
        )


def pii_rekey_batch(*, run_id: int) -> bool:
    """Do one batch of run `run_id`; True while there is more to do."""
    try:
        return _batch(run_id)
    except (crypto.MissingPiiKey, RekeyNotPossible) as exc:
        _fail(run_id, str(exc))
        raise
    except Exception:
        _fail(run_id, traceback.format_exc(limit=5))
        raise


def _batch(run_id: int) -> bool:
    ring = crypto.keyring()
    with transaction.atomic():
        run = RekeyRun.objects.select_for_update().get(pk=run_id)
        if run.status != RekeyStatus.RUNNING:
            return False
        if run.key_id != ring.primary_id:
            raise RekeyNotPossible(
                f"The primary PII key changed from {run.key_id} to {ring.primary_id} during "
                "the rotation; start a new one."
            )
        for model, name, context in crypto.encrypted_fields():
            column = _column(model, name)
            after = run.checkpoint.get(column, 0)
            if after == DONE:
                continue
            rows = list(
                _pending(model, name, ring.primary_id)
                .filter(pk__gt=after)  # type: ignore[attr-defined]
                .order_by("pk")
                .values_list("pk", name)[: run.batch_size]
            )
            if not rows:
                run.checkpoint[column] = DONE
                continue
            rewritten = skipped = 0
            manager = model._default_manager
            for pk, token in rows:
                new = ring.reencrypt(token, context=context)
                if new is None:
                    continue
                changed = manager.filter(pk=pk, **{name: token}).update(**{name: new})
                rewritten += changed
                skipped += 1 - changed
            run.checkpoint[column] = rows[-1][0]
            run.rewritten[column] = run.rewritten.get(column, 0) + rewritten
            run.skipped[column] = run.skipped.get(column, 0) + skipped
            run.batches += 1
            run.progress_at = timezone.now()
            run.save()
            audit_record(
                actor=None,
                action="privacy.rekey_batch",
                entity=run,
                after={
                    "column": column,
                    "key_id": run.key_id,
                    "from_id": rows[0][0],
                    "to_id": rows[-1][0],
                    "rewritten": rewritten,
                    "skipped": skipped,
                },
                summary=_("Re-encrypted %(n)d values of %(column)s")
                % {"n": rewritten, "column": column},
            )
            return True
        # Every column reached its end: look for stragglers before calling it done.
        stragglers = [
            _column(model, name)
            for model, name, _context in crypto.encrypted_fields()
            if _pending(model, name, ring.primary_id).exists()  # type: ignore[attr-defined]
        ]
        if stragglers:
            passes = int(run.checkpoint.get("pass", 1))
            if passes >= MAX_PASSES:
                raise RekeyNotPossible(
                    f"Values not under key {run.key_id} keep appearing in {', '.join(stragglers)}"
                    f" after {passes} passes: is a process still running with the old key ring "
                    "(restart every web and task process with the new GONGYOU_PII_KEYS)?"
                )
            run.checkpoint.update({c: 0 for c in stragglers} | {"pass": passes + 1})
            run.save(update_fields=["checkpoint"])
            return True
        run.status, run.finished_at = RekeyStatus.DONE, timezone.now()
        run.save(update_fields=["status", "finished_at", "checkpoint"])
        audit_record(
            actor=None,
            action="privacy.rekey_done",
            entity=run,
            after={"key_id": run.key_id, "rewritten": run.rewritten, "skipped": run.skipped},
            summary=_("Re-encryption of personal data to key %(key)s finished: %(n)d values")
            % {"key": run.key_id, "n": run.total_rewritten},
        )
        return False


def pii_rekey_run(*, run_id: int, max_batches: int | None = None) -> RekeyRun:
    """Batches until done (or `max_batches`); each batch commits on its own."""
    done = 0
    while (max_batches is None or done < max_batches) and pii_rekey_batch(run_id=run_id):
        done += 1
    return RekeyRun.objects.get(pk=run_id)
