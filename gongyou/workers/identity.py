"""Resident ID numbers (GB 11643-1999) and mainland mobile numbers: normalise, validate, mask.

Pure functions, no database: the caller passes the set of valid province prefixes. An ID
number keeps the county code in force when it was issued, so only the province prefix must be
known; the county code is kept whether or not today's table has it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

import phonenumbers

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SPACES = re.compile(r"[\s\u3000\u00a0'\"‘’“”`\-]+")
_PHONE_NOISE = re.compile(r"[\s\u3000()（）\-'.]+")


class IdentityError(ValueError):
    """A bad ID or phone number; `code` is stable for the API, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class NationalId:
    number: str  # 18 characters, upper-case X
    birth_date: dt.date
    sex: str  # "M" or "F"
    region_code: str  # first 6 digits: the hukou county code when the number was issued
    upgraded_from_15: bool = False

    @property
    def masked(self) -> str:
        return mask_national_id(self.number)


def check_character(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise_national_id(raw: str) -> str:
    """Full-width to half-width, drop spaces (inner too) and stray quotes, upper-case x."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    return _SPACES.sub("", text).upper()


def upgrade_15_to_18(number15: str) -> str:
    """Old 15-digit numbers: insert the century (18 for sequences 996–999, centenarians) and a check character."""
    century = "18" if number15[12:15] in {"996", "997", "998", "999"} else "19"
    body = number15[:6] + century + number15[6:15]
    return body + check_character(body)


def parse_national_id(
    raw: str, *, provinces: Collection[str], today: dt.date | None = None
) -> NationalId:
    from django.utils.translation import gettext as _

    number = normalise_national_id(raw)
    if not number:
        raise IdentityError("required", _("Enter the ID number."))
    upgraded = False
    if len(number) == 15:
        if not number.isdigit():
            raise IdentityError("invalid_characters", _("A 15-digit ID number has digits only."))
        number, upgraded = upgrade_15_to_18(number), True
    if len(number) != 18:
        raise IdentityError(
            "invalid_length",
            _("An ID number has 18 characters (or 15 for an old one); this one has %(n)d.")
            % {"n": len(number)},
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError(
            "invalid_characters", _("An ID number is 17 digits followed by a digit or X.")
        )
    if number[:2] not in provinces:
        raise IdentityError(
            "invalid_region",
            _("The first two digits (%(p)s) are not a mainland province code.") % {"p": number[:2]},
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentityError(
            "invalid_birth_date",
            _("Digits 7–14 (%(d)s) are not a real date.") % {"d": number[6:14]},
        ) from None
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    if birth > today:
        raise IdentityError(
            "birth_date_in_future",
            _("The birth date %(d)s is in the future.") % {"d": birth.isoformat()},
        )
    if birth.year < 1900:
        raise IdentityError(
            "birth_date_too_early",
            _("The birth date %(d)s is before 1900.") % {"d": birth.isoformat()},
        )
    if check_character(number[:17]) != number[17]:
        raise IdentityError(
            "invalid_check_digit",
            _("The last character does not match the check digit: the number has a typing error."),
        )
    return NationalId(
        number=number,
        birth_date=birth,
        sex="M" if int(number[16]) % 2 else "F",
        region_code=number[:6],
        upgraded_from_15=upgraded,
    )


def mask_national_id(number: str) -> str:
    return (
        number[:6] + "*" * (len(number) - 10) + number[-4:]
        if len(number) > 10
        else "*" * len(number)
    )


def normalise_phone(raw: str) -> str:
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = _PHONE_NOISE.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    return text


def parse_mobile(raw: str) -> str:
    """A valid mainland mobile number as 11 digits, or IdentityError."""
    from django.utils.translation import gettext as _

    number = normalise_phone(raw)
    if not number:
        raise IdentityError("required", _("Enter the mobile number."))
    if not number.isdigit():
        raise IdentityError("invalid_characters", _("A mobile number has digits only."))
    if len(number) != 11 or not number.startswith("1"):
        raise IdentityError(
            "invalid_phone", _("A mainland mobile number has 11 digits and starts with 1.")
        )
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        raise IdentityError(
            "invalid_phone", _("This is not a valid mainland mobile number.")
        ) from None
    kind = phonenumbers.number_type(parsed)
    if not phonenumbers.is_valid_number(parsed) or kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise IdentityError(
            "invalid_phone",
            _("%(n)s is not an assigned mainland mobile number range.") % {"n": number[:3]},
        )
    return number


def mask_phone(number: str) -> str:
    return number[:3] + "****" + number[-4:] if len(number) == 11 else "*" * len(number)
