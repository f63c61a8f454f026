"""Field cleaners shared by the services of several apps (errors go into a FieldErrors)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import FieldErrors


def clean_date(
    field: str,
    value: Any,
    errors: FieldErrors,
    *,
    allow_future: bool = False,
    today: dt.date | None = None,
) -> dt.date | None:
    """A date from a date, a datetime or 'YYYY-MM-DD'; empty is None; the future is refused
    unless `allow_future`."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            errors.add(field, "invalid_date", _("Enter a date as YYYY-MM-DD."))
            return None
    if not allow_future and value > (today or timezone.localdate()):
        errors.add(field, "in_future", _("The date cannot be in the future."))
        return None
    return value


_BLANKS = re.compile(r"[ \t]+")
_WHOLE = re.compile(r"-?\d+")


def clean_text(
    field: str,
    value: Any,
    errors: FieldErrors,
    *,
    required: bool,
    limit: int,
    collapse_spaces: bool = False,
) -> str:
    """Trimmed text (runs of spaces and tabs made one when `collapse_spaces`), at most `limit`."""
    text = str(value or "")
    text = (_BLANKS.sub(" ", text) if collapse_spaces else text).strip()
    if required and not text:
        errors.add(field, "required", _("This field is required."))
    elif len(text) > limit:
        errors.add(field, "too_long", _("At most %(n)d characters.") % {"n": limit})
    return text


def clean_int(
    field: str,
    value: Any,
    errors: FieldErrors,
    *,
    required: bool = True,
    low: int = 0,
    high: int = 1_000_000,
) -> int | None:
    """A whole number from `low` to `high` (thousands separators allowed); empty is None."""
    if value in (None, ""):
        if required:
            errors.add(field, "required", _("This field is required."))
        return None
    text = str(value).replace(",", "").strip()
    if isinstance(value, bool) or not _WHOLE.fullmatch(text):
        errors.add(field, "invalid_number", _("Enter a whole number."))
        return None
    number = int(text)
    if not low <= number <= high:
        errors.add(
            field,
            "out_of_range",
            _("Enter a number from %(low)d to %(high)d.") % {"low": low, "high": high},
        )
        return None
    return number
