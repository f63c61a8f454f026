"""Spreadsheet damage, undone where it can be and named where it cannot.

Pure functions over one cell value (str from CSV; str, int, float, datetime or None from
.xlsx). Each returns the repaired value or raises CellError with a stable code and a message
that tells the person what to fix in their file. Validation proper (check digits, known
regions, allowed values) stays with the registry's services: this module only undoes what Excel
and copy-paste did to the text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_TRAILING_ZERO = re.compile(r"^(\d+)\.0+$")
_QUOTES_SPACES = re.compile(r"[\s'\"‘’“”`]+")
_SPACE_RUNS = re.compile(r"\s+")
_SHORT_NUMBER = re.compile(r"\d{1,5}(\.\d+)?")
_QUOTES = "'\"‘’“”`"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, leap-year bug included
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
TRUE_WORDS = {"是", "有", "yes", "y", "true", "1", "√", "✓", "会员", "t"}
FALSE_WORDS = {"否", "无", "不是", "no", "n", "false", "0", "×", "✗", "非会员", "f"}


class CellError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A text cell: surrounding spaces and a stray leading apostrophe removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value).strip().strip("\u3000\u00a0").strip()
    if out[:1] in _QUOTES:
        out = out[1:].strip()
    return out


def digits(value: Any, *, what: str) -> str:
    """A number kept as text (ID number, phone, region code): repair full-width digits, stray
    quotes and spaces, and a trailing `.0`; refuse what Excel already rounded."""
    if isinstance(value, bool):
        raise CellError("invalid", _("Expected %(what)s, not a yes/no value.") % {"what": what})
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise CellError(
                "excel_number",
                _(
                    "Excel stored this %(what)s as a number and rounded it (%(v)s): the lost "
                    "digits cannot be recovered. Format the column as text and enter the numbers "
                    "again."
                )
                % {"what": what, "v": f"{value:.6G}"},
            )
        value = int(value)
    if isinstance(value, int):
        if abs(value) >= 10**15:
            # Integers past 15 digits in a spreadsheet come from a double: the tail is lost.
            raise CellError(
                "excel_number",
                _(
                    "Excel stored this %(what)s as a number and rounded it (%(v)s): the lost "
                    "digits cannot be recovered. Format the column as text and enter the numbers "
                    "again."
                )
                % {"what": what, "v": f"{float(value):.6G}"},
            )
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value  # already clean: most cells of most files
    raw = unicodedata.normalize("NFKC", str(value or ""))
    out = _QUOTES_SPACES.sub("", raw)
    if _SCIENTIFIC.match(out):
        raise CellError(
            "excel_scientific",
            _(
                "“%(v)s” is how Excel shows a long number in scientific notation: the digits are "
                "lost and cannot be recovered. Format the column as text and enter the numbers "
                "again."
            )
            % {"v": out[:20]},
        )
    match = _TRAILING_ZERO.match(out)
    if match:
        out = match.group(1)
    return out


def date(value: Any) -> dt.date | None:
    """2024-05-01, 2024/5/1, 2024.5.1, 20240501, 2024年5月1日, an Excel serial number or a date cell."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    raw = unicodedata.normalize("NFKC", text(value)).replace(" 年", "年")
    raw = _SPACE_RUNS.sub(" ", raw)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    if _SHORT_NUMBER.fullmatch(raw):
        return _serial(float(raw))
    raise CellError(
        "invalid_date",
        _("“%(v)s” is not a date. Use 2024-05-01, 2024/5/1, 2024.5.1, 20240501 or 2024年5月1日.")
        % {"v": raw[:30]},
    )


_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]


def date_or_month(value: Any) -> dt.date | None:
    """A date as `date` reads it, or a month — 2024-05, 2024/5, 2024.05, 202405, 2024年5月, a
    six-digit number cell — as the first day of that month (social-insurance records are kept
    by month, and spells count calendar months, so any day of the month means the same)."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
        # A six-digit number is YYYYMM: as an Excel serial it would be a day after the year 2450.
        if 100_000 <= number <= 999_999:
            return _month(str(number)[:4], str(number)[4:], str(number))
        return date(value)
    if isinstance(value, str):
        raw = _SPACE_RUNS.sub("", unicodedata.normalize("NFKC", text(value)))
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(raw)
            if match:
                return _month(match.group(1), match.group(2), raw)
    try:
        return date(value)
    except CellError as exc:
        raise CellError(
            exc.code,
            _(
                "“%(v)s” is not a date or a month. Use 2024-05-01, 2024/5/1, 20240501, "
                "2024年5月1日, or a month: 2024-05, 202405, 2024年5月."
            )
            % {"v": text(value)[:30]},
        ) from exc


def _month(year: str, month: str, shown: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise CellError(
            "invalid_date", _("“%(v)s” is not a month (year and month 1–12).") % {"v": shown[:30]}
        ) from None


def _serial(number: float) -> dt.date:
    if not 1 <= number < 2_958_466:  # Excel's range: 1900-01-01 … 9999-12-31
        raise CellError("invalid_date", _("%(v)s is not a date.") % {"v": number})
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def datetime(value: Any) -> dt.datetime | str | None:
    """A datetime cell, an Excel serial with a fraction, or text left for the service to parse."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)  # noqa: DTZ001
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = _serial(float(value))
        seconds = round((float(value) % 1) * 86400)
        return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds)  # noqa: DTZ001
    raw = unicodedata.normalize("NFKC", text(value))
    match = re.fullmatch(
        r"(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", raw
    )
    if match:
        y, m, d, hh, mm, ss = match.groups()
        try:
            return dt.datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))  # noqa: DTZ001
        except ValueError:
            return raw
    return raw.replace("/", "-")


def flag(value: Any) -> bool | None:
    """是/否, yes/no, 1/0, true/false; None for an empty cell."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = unicodedata.normalize("NFKC", text(value)).lower()
    word = word[:-2] if word.endswith(".0") else word
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        "invalid_choice", _("“%(v)s” is not yes or no (是/否, yes/no, 1/0).") % {"v": word[:20]}
    )


def label_key(value: Any) -> str:
    """Text compared with choice labels: width-folded, lower-case, without spaces or brackets' content."""
    word = unicodedata.normalize("NFKC", text(value)).lower()
    return _SPACE_RUNS.sub("", word)


def digits_quiet(value: Any) -> str:
    """`digits` for display (masking an error report's value): never raises."""
    try:
        return digits(value, what="")
    except CellError:
        return str(value or "")
