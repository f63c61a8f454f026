"""The keys of the rows an import has already taken, for duplicate detection across a file.

A file of millions of rows leaves millions of keys, kept for the whole run. In a Python set an
int key costs about 60 bytes (its object and its slot), which alone would take a 4-million-row
file past the import's memory goal. So the keys that are ints of at most 63 bits — a worker
row's key, the 17-digit body of its ID number — go into an open-addressing table of 8-byte
slots, never more than half full (at most 16 bytes a key); any other key (certificate,
station, visit, history) goes into an ordinary set.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

_EMPTY = 0  # a slot never holds 0: only positive ints go into the table
_LIMIT = 1 << 63
_MIX = 0x9E3779B97F4A7C15  # Fibonacci hashing: spreads keys that differ only in low digits
_WORD = (1 << 64) - 1


class KeySet:
    """A set of keys with `in`, `add`, `update` and `|=`."""

    def __init__(self, expected: int = 0) -> None:
        bits = 10
        while (1 << bits) < 2 * expected:
            bits += 1
        self._reset(bits)
        self._other: set[Any] = set()

    def _reset(self, bits: int) -> None:
        self._bits = bits
        self._shift = 64 - bits
        self._mask = (1 << bits) - 1
        self._table = array("q", [_EMPTY]) * (1 << bits)
        self._count = 0

    def _slot(self, key: int) -> int:
        """The slot holding `key`, or the empty slot where it would go."""
        table, mask = self._table, self._mask
        i = ((key * _MIX) & _WORD) >> self._shift
        while True:
            held = table[i]
            if held in (key, _EMPTY):
                return i
            i = (i + 1) & mask

    def __contains__(self, key: Any) -> bool:
        if type(key) is int and 0 < key < _LIMIT:
            return self._table[self._slot(key)] == key
        return key in self._other

    def add(self, key: Any) -> None:
        if not (type(key) is int and 0 < key < _LIMIT):
            self._other.add(key)
            return
        i = self._slot(key)
        if self._table[i] == key:
            return
        self._table[i] = key
        self._count += 1
        if 2 * self._count > len(self._table):
            self._grow()

    def _grow(self) -> None:
        old, count = self._table, self._count
        self._reset(self._bits + 1)
        table = self._table
        for key in old:
            if key != _EMPTY:
                table[self._slot(key)] = key
        self._count = count

    def update(self, keys: Iterable[Any]) -> None:
        for key in keys:
            self.add(key)

    def __ior__(self, keys: Iterable[Any]) -> KeySet:
        self.update(keys)
        return self

    def __len__(self) -> int:
        return self._count + len(self._other)
