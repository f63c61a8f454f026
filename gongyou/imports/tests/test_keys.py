"""imports.keys.KeySet answers like a set, whatever the keys and however full."""

from __future__ import annotations

import random

from gongyou.imports.keys import KeySet


def test_keyset_answers_like_a_set_through_growth() -> None:
    rnd = random.Random(7)
    keys: list[object] = [rnd.randrange(10**16, 10**17) for _ in range(5000)]
    # Keys that differ only in their last digits (ID numbers of one county and birth date).
    keys += [11010519900101000 + i for i in range(3000)]
    # Keys that are not positive 63-bit ints go to the plain set.
    keys += [("c", ("人社局", "N1")), "s:ST01", 0, -3, 2**63, True, 1.0]
    found, expected = KeySet(), set()
    for key in keys:
        assert (key in found) == (key in expected)
        found.add(key)
        expected.add(key)
        assert key in found
    found |= keys[:100]  # adding again changes nothing
    assert len(found) == len(expected)
    probes = [rnd.randrange(10**16, 10**17) for _ in range(5000)] + keys
    assert [p in found for p in probes] == [p in expected for p in probes]


def test_keyset_sized_for_the_file_does_not_grow() -> None:
    found = KeySet(expected=3000)
    table = found._table
    found.update(range(1, 3001))
    assert found._table is table and len(found) == 3000 and 3000 in found and 3001 not in found
