"""Shared pieces of the jobs services: errors, field cleaners, the version lock, coordinates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from functools import lru_cache, partial
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.classifications.selectors import occupation_names
from gongyou.core.cleaning import (
    clean_date,  # re-exported for this app's services
)
from gongyou.core.cleaning import clean_int as clean_int  # re-exported
from gongyou.core.cleaning import clean_text as _clean_text
from gongyou.core.errors import Conflict, FieldErrors, PermissionDenied
from gongyou.regions.models import Region
from gongyou.regions.selectors import region_is_known

# Free text here: runs of spaces and tabs become one space.
clean_text = partial(_clean_text, collapse_spaces=True)


M = TypeVar("M", bound=models.Model)

MAX_WAGE = 1_000_000
"""Monthly wages above this (yuan) are typing errors."""


class RecordChanged(Conflict):
    code = "record_changed"
    default_message = gettext_lazy(
        "The record changed since you opened it. Reload it and make your change again."
    )


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    default_message = gettext_lazy("The record cannot move from its current status to that one.")


class EmployerFlagged(Conflict):
    code = "employer_flagged_for_arrears"
    default_message = gettext_lazy(
        "The employer is flagged for wage arrears: no vacancies are published or referred to it "
        "until the flag is cleared."
    )


def clean_choice(
    field: str, value: Any, choices: Collection[str], errors: FieldErrors, *, required: bool
) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            errors.add(field, "required", _("Choose a value."))
        return ""
    if text not in choices:
        errors.add(
            field,
            "invalid_choice",
            _("“%(v)s” is not one of the allowed values.") % {"v": text[:40]},
        )
        return ""
    return text


def clean_region(field: str, value: Any, errors: FieldErrors, *, required: bool = True) -> str:
    code = str(value or "").strip()
    if not code:
        if required:
            errors.add(field, "required", _("Choose a region."))
        return ""
    if not re.fullmatch(r"\d{6}", code) or not region_is_known(code):
        errors.add(field, "unknown_region", _("Choose a known region (6-digit code)."))
        return ""
    return code


def clean_occupation(
    field: str, value: Any, errors: FieldErrors, *, required: bool, occupation_only: bool
) -> str:
    code = str(value or "").strip()
    if not code:
        if required:
            errors.add(field, "required", _("Choose an occupation."))
        return ""
    if code not in occupation_names():
        errors.add(
            field,
            "unknown_occupation",
            _("%(code)s is not a known occupation code.") % {"code": code},
        )
        return ""
    if code.count("-") < (3 if occupation_only else 1):
        errors.add(
            field,
            "too_general",
            _("Choose an occupation, not a group.")
            if occupation_only
            else _("Choose an occupation or a mid group, not a major group."),
        )
        return ""
    return code


def clean_day(
    field: str, value: Any, errors: FieldErrors, *, required: bool, allow_future: bool = True
) -> dt.date | None:
    if value in (None, "") and required:
        errors.add(field, "required", _("Enter a date as YYYY-MM-DD."))
        return None
    return clean_date(field, value, errors, allow_future=allow_future)


def clean_version(value: Any, errors: FieldErrors) -> int | None:
    if value in (None, ""):
        errors.add("version", "required", _("Send the version you read (optimistic concurrency)."))
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.add("version", "invalid_type", _("A version is a whole number."))
        return None


def lock(instance: M, version: int | None) -> M:
    """The row, locked for this transaction, if nobody changed it since `version`."""
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if version != locked.version:  # type: ignore[attr-defined]
        raise RecordChanged(extra={"current_version": locked.version})  # type: ignore[attr-defined]
    return locked


def bump(instance: Any, *fields: str) -> None:
    instance.version += 1
    instance.save(update_fields=["version", "updated_at", *fields])


@lru_cache(maxsize=1)
def region_coordinates() -> dict[str, tuple[float | None, float | None]]:
    """code -> (latitude, longitude) from the region reference data (≈3,400 rows)."""
    return {
        code: (lat, lon)
        for code, lat, lon in Region.objects.values_list("code", "latitude", "longitude")
    }


def user_of(actor: Actor) -> Any:
    user = actor.user
    return user if getattr(user, "pk", None) else None


def organisation_of(actor: Actor) -> int:
    """The organisation a write is recorded for (every user who may write belongs to one)."""
    if actor.organisation_id is None:
        raise PermissionDenied()
    return int(actor.organisation_id)
