"""`mobile_clean` (the verdict remembered per five-digit prefix) decides exactly as
`parse_mobile`. The argument is in `workers.services`; this sweeps every prefix."""

from __future__ import annotations

import random

import pytest

from gongyou.workers import services
from gongyou.workers.identity import IdentityError, parse_mobile


def outcome(fn: object, raw: str) -> tuple[str, str]:
    try:
        return ("ok", fn(raw))  # type: ignore[operator]
    except IdentityError as exc:
        return (exc.code, exc.message)


def test_the_metadata_is_the_one_reasoned_about() -> None:
    # Fails after a phonenumbers upgrade that changes the CN metadata: the cache then turns
    # itself off; re-check the reasoning in workers.services and update the patterns.
    assert services._cn_metadata_checked()


@pytest.mark.parametrize("first", [str(d) for d in range(10)])
def test_every_prefix_decides_as_parse_mobile(first: str) -> None:
    rng = random.Random(int(first))
    services._mobile_prefixes.clear()
    for rest in range(1000):
        prefix = f"1{first}{rest:03d}"
        for _ in range(3):
            number = prefix + f"{rng.randrange(10**6):06d}"
            assert outcome(services.mobile_clean, number) == outcome(parse_mobile, number), number


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "138 0013 8000",
        "+86 13800138000",
        "008613800138000",
        "１３８００１３８０００",
        "1380013800",
        "138001380001",
        "12593138000",
        "17951000000",
        "23800138000",
        "1380013800a",
    ],
)
def test_other_shapes_go_to_parse_mobile(raw: str) -> None:
    assert outcome(services.mobile_clean, raw) == outcome(parse_mobile, raw)
