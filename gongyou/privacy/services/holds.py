"""Legal holds: a worker under a hold is not anonymised (litigation, an authority's request)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.errors import Conflict, FieldErrors, NotFound
from gongyou.workers.models import Worker

from ..models import LegalHold
from ..policies import privacy_require_admin


def _reason(errors: FieldErrors, name: str, value: Any) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        errors.add(name, "required", _("Say why."))
    elif len(text) > 300:
        errors.add(name, "too_long", _("At most 300 characters."))
    return text


@transaction.atomic
def legal_hold_place(*, actor: Actor, worker_id: Any, reason: Any) -> LegalHold:
    privacy_require_admin(actor)
    errors = FieldErrors()
    text = _reason(errors, "reason", reason)
    number = str(worker_id or "").strip()
    # Locked: an anonymisation running now finishes first, then this sees anonymised_at.
    worker = (
        Worker.objects.select_for_update().filter(pk=int(number)).first()
        if number.isdigit()
        else None
    )
    if worker is None:
        errors.add("worker", "not_found", _("No worker with this number."))
    errors.raise_if_any()
    assert worker is not None
    if worker.anonymised_at is not None:
        raise Conflict(_("This worker is already anonymised."))
    hold = LegalHold.objects.create(worker=worker, reason=text, placed_by=actor.user)
    audit_record(
        actor=actor.user,
        action="privacy.legal_hold",
        entity=hold,
        worker_id=worker.pk,
        after={"reason": text},
        region_code=worker.current_region_id,
        summary=_("Legal hold placed"),
    )
    return hold


@transaction.atomic
def legal_hold_release(*, actor: Actor, hold_id: int, reason: Any) -> LegalHold:
    privacy_require_admin(actor)
    hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
    if hold is None:
        raise NotFound()
    errors = FieldErrors()
    text = _reason(errors, "release_reason", reason)
    errors.raise_if_any()
    if hold.released_at is not None:
        raise Conflict(_("This hold was already released."))
    hold.released_at, hold.released_by, hold.release_reason = timezone.now(), actor.user, text
    hold.save(update_fields=["released_at", "released_by", "release_reason"])
    audit_record(
        actor=actor.user,
        action="privacy.legal_hold_release",
        entity=hold,
        worker_id=hold.worker_id,
        after={"reason": text},
        summary=_("Legal hold released"),
    )
    return hold
