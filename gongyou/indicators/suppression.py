"""Small-count suppression for published tables: a count of people or records below the
threshold is hidden, so a published table cannot single anyone out. When a row would show one
hidden cell next to its total, the next smallest cell is hidden too (otherwise the hidden one
could be worked out by subtraction)."""

from __future__ import annotations

from django.conf import settings

from .registry import Row, Table

DEFAULT_THRESHOLD = 5


def threshold() -> int:
    return int(getattr(settings, "INDICATORS_SUPPRESS_BELOW", DEFAULT_THRESHOLD))


def _suppress_row(row: Row, keys: list[str], limit: int) -> None:
    small = [k for k in keys if isinstance(row.values.get(k), int) and 0 < row.values[k] < limit]
    row.suppressed.update(small)
    if len(row.suppressed) == 1 and "_total" in row.values:
        rest = sorted(
            (row.values[k], k)
            for k in keys
            if k not in row.suppressed
            and k != "_total"
            and isinstance(row.values.get(k), int)
            and row.values[k] > 0
        )
        if rest:
            row.suppressed.add(rest[0][1])


def suppress(table: Table, *, limit: int | None = None) -> Table:
    """Mark the small cells of every row (the caller renders them as '<N')."""
    limit = threshold() if limit is None else limit
    keys = [c.key for c in table.columns if c.suppressible]
    for row in [*table.rows, *([table.total] if table.total else [])]:
        _suppress_row(row, keys, limit)
    table.published = True
    return table
