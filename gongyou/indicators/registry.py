"""The indicator registry: every indicator is defined here in code, with its definition text.

An indicator is a key, a title, what it counts, from which records, with which filters, its
unit, who may see it, and a `compute(ctx)` that returns a Table of values for the context's
region (broken down by the next region level) and period. Every compute starts from the owning
app's policy (its `*_visible_to(actor)` queryset or a selector built on it), so the user's data
scope is always applied; on top of that the selected region restricts by the record's own
region (see docs/decisions/0010).

Adding an indicator is one `register(Indicator(...))` call in a module of `definitions/`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gongyou.accounts.policies import Actor

CHILD_LENGTH = {0: 2, 2: 4, 4: 6, 6: 6}


@dataclass(frozen=True)
class Context:
    """What to compute: for whom, for which region subtree (a code prefix), for which period."""

    actor: Actor
    prefix: str  # '' national, 2 province, 4 city, 6 county
    start: dt.date
    end: dt.date  # inclusive; stock indicators are counted as of this day
    today: dt.date

    @property
    def child_length(self) -> int:
        return CHILD_LENGTH[len(self.prefix)]

    @property
    def has_children(self) -> bool:
        return len(self.prefix) < 6

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Counts of people or records: hidden below the threshold in published tables.
    suppressible: bool = True
    percent: bool = False


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, Any]
    region: str | None = None  # the region code to drill into, when the row is a region
    suppressed: set[str] = field(default_factory=set)


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    published: bool = False  # small cells hidden

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def total_value(self, key: str) -> Any:
        return self.total.values.get(key) if self.total is not None else None


@dataclass(frozen=True)
class Indicator:
    key: str
    title: Any
    group: str
    counts: Any  # what is counted
    source: Any  # from which records
    filters: Any  # which filters apply
    unit: Any
    period: str  # "stock" (as of the end date) or "flow" (within the period)
    compute: Callable[[Context], Table]
    available: Callable[[Actor], bool]
    caveat: Any = ""
    chart: str = "bar"  # how the dashboard draws its total row: bar, none


GROUPS: dict[str, Any] = {}
_REGISTRY: dict[str, Indicator] = {}


def register_group(key: str, title: Any) -> None:
    GROUPS[key] = title


def register(indicator: Indicator) -> Indicator:
    if indicator.key in _REGISTRY:
        raise ValueError(f"indicator {indicator.key} is registered twice")
    if indicator.group not in GROUPS:
        raise ValueError(f"indicator {indicator.key}: unknown group {indicator.group}")
    _REGISTRY[indicator.key] = indicator
    return indicator


def all_indicators() -> list[Indicator]:
    return list(_REGISTRY.values())


def indicator_lookup(key: str) -> Indicator | None:
    return _REGISTRY.get(key)
