"""Bulk inserts that bypass the ORM: COPY on PostgreSQL, executemany on SQLite.

The paths measured in the performance notes (the ORM's `bulk_create` reaches about 13% of their
rate). Callers pass table and column names that are constants of their own code, never input,
and run inside their own transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models

# Collector thresholds for a bulk loop (generation 0 every 50,000 allocations instead of 700).
BULK_GC_THRESHOLD = (50_000, 50, 100)
# SQLite: WAL pages between automatic checkpoints during a bulk load (SQLite's default: 1,000).
BULK_WAL_CHECKPOINT_PAGES = 20_000


@contextlib.contextmanager
def bulk_load() -> Iterator[None]:
    """Settings for a loop that writes many rows in many transactions (an import), restored
    on leaving. Measured on a 200,000-row import (benchmarks/bench_import.py):

    - The cyclic garbage collector made rare: millions of short-lived rows, tuples and dicts
      otherwise trigger a collection every 700 of them, each walking the young containers and
      now and then all of the process's objects, Django's included (a tenth of the time). The
      rows are freed by reference counting as usual; the few cycles wait for the rarer
      thresholds or the restore.
    - SQLite: the write-ahead log checkpointed every 20,000 pages (80 MB) instead of 1,000, so a
      transaction of a few thousand rows is not followed by a checkpoint and its two fsyncs
      almost every time (5 %). Each commit is as durable as before (synchronous=NORMAL in WAL
      mode); the log is bigger between checkpoints."""
    before = gc.get_threshold()
    gc.set_threshold(*BULK_GC_THRESHOLD)
    checkpoint = None
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_autocheckpoint")
                checkpoint = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA wal_autocheckpoint={BULK_WAL_CHECKPOINT_PAGES:d}")
        yield
    finally:
        gc.set_threshold(*before)
        if checkpoint is not None:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute(f"PRAGMA wal_autocheckpoint={int(checkpoint):d}")


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert `rows` (tuples in the order of `columns`) into `table`."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                list(rows),
            )


# Fields whose `get_db_prep_save` returns a value already of their type unchanged (str for
# text, bool for flags, int for integers; foreign keys to those): exactly these classes, no
# subclasses. Every other field (dates, datetimes, JSON, IP addresses …) prepares its values.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
    models.AutoField,
    models.BigAutoField,
)


def _as_is(field: Any) -> bool:
    if field.is_relation:
        return type(field) is models.ForeignKey and _as_is(field.target_field)
    return type(field) in _AS_IS


def _columns(model: Any, attnames: Sequence[str]) -> list[str]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return [fields[name].column for name in attnames]


def value_preparer(
    model: Any, attnames: Sequence[str]
) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function preparing a row (a tuple of attribute values in the order of `attnames`, each
    of its field's Python type) for `insert_rows`: every value prepared by its field as `save()`
    would, skipping only the fields that return it unchanged. Needs no database connection
    (only the backend's adapters), so import preparers in other processes use it too."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    chosen = [fields[name] for name in attnames]
    prep = [
        (i, f.get_db_prep_save, type(f) is models.DateField)
        for i, f in enumerate(chosen)
        if not _as_is(f)
    ]
    conn = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: no proxy lookup per value
    adapt_date = conn.ops.adapt_datefield_value

    # The last value each prepared column saw, and what it became: a value shared by every row
    # (the batch's timestamp) is prepared once. Reused only for the very same object.
    last: dict[int, tuple[Any, Any]] = {}

    def prepared(row: Sequence[Any]) -> tuple[Any, ...]:
        out = list(row)
        for i, save, is_date in prep:
            value = out[i]
            if value is None and is_date:
                continue
            if is_date and type(value) is dt.date:
                out[i] = adapt_date(value)  # what DateField's preparation comes to
                continue
            seen = last.get(i)
            if seen is not None and seen[0] is value:
                out[i] = seen[1]
            else:
                out[i] = save(value, conn)
                last[i] = (value, out[i])
        return tuple(out)

    return prepared


def insert_prepared(
    model: Any, attnames: Sequence[str], rows: Sequence[Sequence[Any]]
) -> range | None:
    """Insert rows already prepared by `value_preparer(model, attnames)`. On SQLite, returns the
    ids the rows were given, in their order; elsewhere None (the caller looks them up).

    SQLite gives the rows of one `executemany` into a table whose key is Django's
    `AUTOINCREMENT` id consecutive ids in the order given (one above the largest ever used),
    and no other connection can write in between: the transaction holds the write lock. The
    count of rows in that id range is checked all the same."""
    table = model._meta.db_table
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # In autocommit each row is its own transaction: another writer could slip in between.
        raise RuntimeError("insert_prepared runs inside a transaction")
    insert_rows(table, _columns(model, attnames), rows)
    if connection.vendor != "sqlite" or not rows:
        return None
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        ids = range(last - len(rows) + 1, last + 1)
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {pk} BETWEEN %s AND %s",  # noqa: S608
            [ids.start, last],
        )
        if cursor.fetchone()[0] != len(rows):
            raise RuntimeError(f"the rows inserted into {table} did not get consecutive ids")
    return ids
