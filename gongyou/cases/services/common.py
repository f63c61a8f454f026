"""Shared pieces of the case services: errors, field cleaners, the version lock, the timeline."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.core.audit import audit_record_for_workers
from gongyou.core.cleaning import clean_text as clean_text  # re-exported
from gongyou.core.errors import Conflict, FieldErrors

from ..models import Case, CaseEvent


class CaseChanged(Conflict):
    code = "case_changed"
    default_message = gettext_lazy(
        "The case changed since you opened it. Reload it and make your change again."
    )


class CaseTransitionNotAllowed(Conflict):
    code = "case_transition_not_allowed"
    default_message = gettext_lazy("A case cannot move from its current status to that one.")


def clean_version(value: Any, errors: FieldErrors) -> int | None:
    if value in (None, ""):
        errors.add(
            "version", "required", _("Send the case version you read (optimistic concurrency).")
        )
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.add("version", "invalid_type", _("A version is a whole number."))
        return None


def clean_amount(field: str, value: Any, errors: FieldErrors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field, "invalid_number", _("Enter an amount in yuan."))
        return None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        errors.add(field, "out_of_range", _("Enter an amount from 0 to 9,999,999,999.99 yuan."))
        return None
    return amount.quantize(Decimal("0.01"))


def clean_id(field: str, value: Any, errors: FieldErrors, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            errors.add(field, "required", _("This field is required."))
        return None
    if isinstance(value, bool) or not str(value).isdigit():
        errors.add(field, "invalid_type", _("An id is a whole number."))
        return None
    return int(value)


def lock(case: Case, version: int | None) -> Case:
    """The case row, locked for this transaction, if nobody changed it since `version`."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if version != locked.version:
        raise CaseChanged(extra={"current_version": locked.version})
    return locked


def bump(case: Case, *fields: str) -> None:
    case.version += 1
    case.save(update_fields=["version", "updated_at", *fields])


def record(
    *,
    case: Case,
    actor: Any,
    kind: str,
    action: str,
    summary: str,
    reason: str = "",
    from_status: str = "",
    to_status: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    audit_reason: bool = True,
) -> CaseEvent:
    """A timeline entry, and the audit rows (one per claimant) in the same transaction."""
    user = getattr(actor, "user", None)
    known = user if getattr(user, "pk", None) else None
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=known,
        actor_label=known.get_username() if known is not None else "system",
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        before=before,
        after=after,
        summary=summary[:300],
    )
    audit_record_for_workers(
        actor=user,
        action=action,
        entity=case,
        worker_ids=case.claimants.values_list("worker_id", flat=True),
        before=before,
        after={**(after or {}), **({"reason": reason} if reason and audit_reason else {})} or None,
        region_code=case.region_id,
        summary=f"{case.reference}: {summary}",
    )
    return event
