"""Shared pieces of the training services: errors, field cleaners and the version lock."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.core.cleaning import clean_int as clean_int  # re-exported
from gongyou.core.cleaning import clean_text as _clean_text
from gongyou.core.errors import Conflict, FieldErrors
from gongyou.regions.selectors import region_is_known

# Free text here: runs of spaces and tabs become one space.
clean_text = partial(_clean_text, collapse_spaces=True)


M = TypeVar("M", bound=models.Model)


class RecordChanged(Conflict):
    code = "record_changed"
    default_message = gettext_lazy(
        "The record changed since you opened it. Reload it and make your change again."
    )


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    default_message = gettext_lazy("The record cannot move from its current status to that one.")


class CourseFull(Conflict):
    code = "course_full"
    default_message = gettext_lazy("The course has no free seat.")


class ClaimAlreadyMade(Conflict):
    code = "claim_already_made"
    default_message = gettext_lazy(
        "A subsidy claim for this trainee and course already exists; it is never paid twice."
    )


def clean_amount(
    field: str, value: Any, errors: FieldErrors, *, required: bool = False, places: int = 2
) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, "required", _("Enter an amount in yuan."))
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field, "invalid_number", _("Enter a number, e.g. 1200 or 1200.50."))
        return None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e8"):
        errors.add(field, "out_of_range", _("Enter an amount from 0 to 99,999,999.99."))
        return None
    return amount.quantize(Decimal(1).scaleb(-places))


def clean_region(field: str, value: Any, errors: FieldErrors, *, actor: Any) -> str | None:
    code = str(value or "").strip()
    if not code:
        errors.add(field, "required", _("Choose a region."))
        return None
    if not re.fullmatch(r"\d{6}", code) or not region_is_known(code):
        errors.add(field, "unknown_region", _("Choose a known region (6-digit code)."))
        return None
    if actor is not None and not actor.covers_region(code):
        errors.add(field, "out_of_scope", _("The region is outside your area."))
        return None
    return code


def clean_version(value: Any, errors: FieldErrors) -> int | None:
    if value in (None, ""):
        errors.add("version", "required", _("Send the version you read (optimistic concurrency)."))
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.add("version", "invalid_type", _("A version is a whole number."))
        return None


def lock(model: type[M], pk: int, version: int | None) -> M:
    """The row, locked for this transaction, if nobody changed it since `version`
    (`version=None`: no check, e.g. a service acting on a record it has just read itself)."""
    locked = model._default_manager.select_for_update().get(pk=pk)
    current = locked.version  # type: ignore[attr-defined]
    if version is not None and version != current:
        raise RecordChanged(extra={"current_version": current})
    return locked


def bump(record: models.Model, *fields: str) -> None:
    record.version += 1  # type: ignore[attr-defined]
    names = ["version", *fields]
    if any(f.name == "updated_at" for f in record._meta.get_fields()):
        names.append("updated_at")
    record.save(update_fields=names)
