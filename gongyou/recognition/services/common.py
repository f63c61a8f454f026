"""Shared pieces of the recognition services: errors, cleaners, the version lock, the timeline."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.core.audit import audit_record
from gongyou.core.cleaning import clean_text as clean_text  # re-exported
from gongyou.core.errors import Conflict, FieldErrors

from ..models import Nomination, NominationEvent

M = TypeVar("M", bound=models.Model)


class RecordChanged(Conflict):
    code = "record_changed"
    default_message = gettext_lazy(
        "Someone changed this record since you opened it. Reload it and make your change again."
    )


class NominationTransitionNotAllowed(Conflict):
    code = "nomination_transition_not_allowed"
    default_message = gettext_lazy("A nomination cannot move from its current status to that one.")


class QuotaExceeded(Conflict):
    code = "quota_exceeded"
    default_message = gettext_lazy("Your organisation has used its whole quota in this round.")


def clean_version(value: Any, errors: FieldErrors) -> int | None:
    if value in (None, ""):
        errors.add("version", "required", _("Send the version you read (optimistic concurrency)."))
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.add("version", "invalid_type", _("A version is a whole number."))
        return None


def clean_id(field: str, value: Any, errors: FieldErrors, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            errors.add(field, "required", _("This field is required."))
        return None
    if isinstance(value, bool) or not str(value).isdigit():
        errors.add(field, "invalid_type", _("An id is a whole number."))
        return None
    return int(value)


def lock(instance: M, version: int | None) -> M:
    """The row, locked for this transaction, if nobody changed it since `version`."""
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)  # type: ignore[attr-defined]
    if version != locked.version:
        raise RecordChanged(extra={"current_version": locked.version})
    return locked


def bump(instance: Any, *fields: str) -> None:
    instance.version += 1
    instance.save(update_fields=["version", "updated_at", *fields])


def record(
    *,
    nomination: Nomination,
    actor: Any,
    kind: str,
    action: str,
    summary: str,
    reason: str = "",
    from_status: str = "",
    to_status: str = "",
    step: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> NominationEvent:
    """A timeline entry and its audit row (on the worker's timeline) in the same transaction."""
    user = getattr(actor, "user", None)
    known = user if getattr(user, "pk", None) else None
    event = NominationEvent.objects.create(
        nomination=nomination,
        kind=kind,
        actor=known,
        actor_label=known.get_username() if known is not None else "system",
        from_status=from_status,
        to_status=to_status,
        step=step,
        reason=reason,
        summary=summary[:300],
    )
    audit_record(
        actor=user,
        action=action,
        entity=nomination,
        before=before,
        after={**(after or {}), **({"reason": reason} if reason else {})} or None,
        worker_id=nomination.worker_id,
        region_code=nomination.region_id,
        summary=f"{nomination.nominee_name}: {summary}",
    )
    return event
