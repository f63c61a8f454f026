"""Employers made through the real service, and valid credit codes built with the check function."""

from __future__ import annotations

import itertools
from typing import Any

from gongyou.employers.uscc import credit_code_check_character

_seq = itertools.count(1)


def make_credit_code(*, prefix: str = "91440300", n: int | None = None) -> str:
    """A valid code: authority 9 (market regulation), type 1 (enterprise), region, sequence."""
    body = f"{prefix}{(next(_seq) if n is None else n):09d}"
    return body + credit_code_check_character(body)


def make_employer(*, actor: Any, **overrides: Any) -> Any:
    from gongyou.employers.services import employer_register

    data: dict[str, Any] = {
        "name": f"深圳市建安工程有限公司{next(_seq)}",
        "credit_code": make_credit_code(),
        "industry": "construction",
        "region": "440305",
        "size_class": "small",
        "address": "深圳市南山区科技园2号",
    }
    data.update(overrides)
    return employer_register(actor=actor, data=data)
