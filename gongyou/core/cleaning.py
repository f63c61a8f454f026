"""Field cleaners shared by the services of several apps (errors go into a FieldErrors)."""

from __future__ import annotations

import datetime as dt
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
