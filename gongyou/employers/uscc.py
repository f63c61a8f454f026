"""Unified social credit codes (统一社会信用代码, GB 32100-2015): normalise, validate, check character.

Pure functions, no database. Layout: 1 registration-authority code, 1 organisation-type code,
6 digits of the registering authority's administrative division, 9 characters of the entity
identifier, 1 check character. The check character is MOD 31 over the first 17 characters with
weights 3^i mod 31 (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28).
"""

from __future__ import annotations

import re
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_SEPARATORS = re.compile(r"[\s\u3000\u00a0'\"‘’“”`\-]+")


class CreditCodeError(ValueError):
    """A bad code; `code` is stable for the API, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normalise_credit_code(raw: str) -> str:
    """Full-width to half-width, drop spaces (inner too), hyphens and stray quotes, upper-case."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(raw or ""))).upper()


def credit_code_check_character(body17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(raw: str) -> str:
    """The normalised code, or CreditCodeError naming the first problem found."""
    from django.utils.translation import gettext as _

    code = normalise_credit_code(raw)
    if not code:
        raise CreditCodeError("required", _("Enter the unified social credit code."))
    if len(code) != 18:
        raise CreditCodeError(
            "invalid_length",
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(code)},
        )
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        raise CreditCodeError(
            "invalid_characters",
            _("These characters never occur in a unified social credit code: %(c)s")
            % {"c": " ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise CreditCodeError(
            "invalid_region_part",
            _("Characters 3–8 are the registering authority's region code and must be digits."),
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise CreditCodeError(
            "invalid_check_character",
            _(
                "The last character does not match the check character: the code has a typing error."
            ),
        )
    return code
