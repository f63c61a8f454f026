"""Bulk inserts that bypass the ORM: COPY on PostgreSQL, executemany on SQLite.

The paths measured in the performance notes (the ORM's `bulk_create` reaches about 13% of their
rate). Callers pass table and column names that are constants of their own code, never input,
and run inside their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
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


def insert_instances(model: Any, instances: Iterable[Any], attnames: Sequence[str]) -> None:
    """Insert unsaved model instances through `insert_rows`, each value prepared by its field
    exactly as `save()` would (JSON, dates, booleans), without the ORM's per-row cost."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    chosen = [fields[name] for name in attnames]
    insert_rows(
        model._meta.db_table,
        [f.column for f in chosen],
        (
            tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in chosen)
            for obj in instances
        ),
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


def insert_values(model: Any, attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Like `insert_instances`, for rows given as tuples of attribute values (in the order of
    `attnames`, each of its field's Python type) instead of model instances: each value is
    prepared by its field as `save()` would, skipping only the fields that return it unchanged."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    chosen = [fields[name] for name in attnames]
    prep = [(i, f.get_db_prep_save) for i, f in enumerate(chosen) if not _as_is(f)]

    # The last value each prepared column saw, and what it became: a value shared by every row
    # (the batch's timestamp) is prepared once. Reused only for the very same object.
    last: dict[int, tuple[Any, Any]] = {}

    def prepared(row: Sequence[Any]) -> tuple[Any, ...]:
        out = list(row)
        for i, save in prep:
            value = out[i]
            seen = last.get(i)
            if seen is not None and seen[0] is value:
                out[i] = seen[1]
            else:
                out[i] = save(value, connection)
                last[i] = (value, out[i])
        return tuple(out)

    insert_rows(model._meta.db_table, [f.column for f in chosen], map(prepared, rows))
