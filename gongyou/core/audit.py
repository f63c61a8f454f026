"""The one way to write an audit row (called by services inside their transaction)."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from typing import Any, ParamSpec

from django.db import models

from .models import AuditEvent

P = ParamSpec("P")

# Set by core.middleware.RequestContextMiddleware so services need no `request`.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited state of `instance`: field name -> JSON value (FKs as their id)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(instance, attname))
    return out


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_build(
    *,
    actor: Any,
    action: str,
    entity: models.Model | None = None,
    entity_type: str = "",
    entity_id: str | int = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    worker_id: int | None = None,
    region_code: str = "",
    summary: str = "",
    purpose: str = "",
) -> AuditEvent:
    """The unsaved audit row for a change; `audit_record` saves it, bulk writers insert many at
    once (always inside the transaction of the change)."""
    if entity is not None:
        entity_type = entity_type or entity._meta.label_lower
        entity_id = entity_id or str(entity.pk)
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "get_username", lambda: "")() if actor is not None else "")
        or "system",
        organisation_id=getattr(actor, "organisation_id", None),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        worker_id=worker_id,
        region_code=region_code or "",
        summary=summary[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        purpose=purpose[:200],
        ip_address=current_ip.get(),
    )


def _saving(build: Callable[P, AuditEvent]) -> Callable[P, AuditEvent]:
    @functools.wraps(build)
    def record(*args: P.args, **kwargs: P.kwargs) -> AuditEvent:
        event = build(*args, **kwargs)
        event.save()
        return event

    return record


# Write one audit row (the arguments of `audit_build`) in the caller's transaction.
audit_record = _saving(audit_build)


def audit_record_for_workers(
    *,
    actor: Any,
    action: str,
    worker_ids: Iterable[int],
    entity: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    region_code: str = "",
    summary: str = "",
) -> list[AuditEvent]:
    """One change that concerns several workers (a collective case): one row per worker, so each
    worker's timeline shows it, written in one insert; one row without a worker if there are none."""
    ids: list[int | None] = list(dict.fromkeys(worker_ids)) or [None]
    return AuditEvent.objects.bulk_create(
        [
            audit_build(
                actor=actor,
                action=action,
                entity=entity,
                before=before,
                after=after,
                worker_id=worker_id,
                region_code=region_code,
                summary=summary,
            )
            for worker_id in ids
        ]
    )


def insert_with_audit(obj: models.Model, event: AuditEvent) -> None:
    """Insert a new `obj` and its audit row (`event`, whose entity id becomes obj's new key),
    atomically.

    On PostgreSQL this is one statement (`WITH o AS (INSERT … RETURNING id) INSERT INTO audit …
    SELECT … FROM o`): one round trip instead of BEGIN, two INSERTs and COMMIT, which is most of
    the database cost of the hottest write, visit logging (benchmarks/RESULTS.md). Elsewhere, or
    for a model whose key is not generated, the two ORM saves run in one transaction. Inside an
    outer transaction a savepoint keeps an IntegrityError (say, a replayed idempotency key)
    recoverable, as `transaction.atomic()` does for the portable path.
    """
    from django.db import connections, router, transaction
    from django.db.models.sql import InsertQuery

    model = type(obj)
    using = router.db_for_write(model, instance=obj)
    connection = connections[using]
    pk = model._meta.pk
    if (
        connection.vendor != "postgresql"
        or obj.pk is not None
        or pk is None
        or not getattr(pk, "db_returning", False)
    ):
        with transaction.atomic(using=using):
            obj.save(using=using)
            event.entity_id = str(obj.pk)
            event.save(using=using)
        return

    fields = [f for f in model._meta.local_concrete_fields if not f.generated and f is not pk]
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [pk]
    [(obj_sql, obj_params)] = compiler.as_sql()

    audit_fields = [
        f
        for f in AuditEvent._meta.local_concrete_fields
        if not f.generated and f is not AuditEvent._meta.pk
    ]
    audit_query = InsertQuery(AuditEvent)
    audit_query.insert_values(audit_fields, [event])
    audit_compiler = audit_query.get_compiler(using=using)
    columns, selects, params = [], [], []
    for field in audit_fields:
        columns.append(connection.ops.quote_name(field.column))
        if field.attname == "entity_id":
            selects.append(f"o.{connection.ops.quote_name(pk.column)}::text")
            continue
        value = audit_compiler.prepare_value(field, audit_compiler.pre_save_val(field, event))
        sql, field_params = audit_compiler.field_as_sql(
            field, getattr(field, "get_placeholder", None), value
        )
        selects.append(sql)
        params.extend(field_params)
    # Identifiers come from model metadata, values are parameters.
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = (
        f"WITH o AS ({obj_sql}) INSERT INTO {table}"  # noqa: S608
        f" ({', '.join(columns)}) SELECT {', '.join(selects)} FROM o"
        f" RETURNING {connection.ops.quote_name(AuditEvent._meta.pk.column)},"
        f" (SELECT {connection.ops.quote_name(pk.column)} FROM o)"
    )
    savepoint = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(sql, [*obj_params, *params])
        audit_id, obj_id = cursor.fetchone()
    obj.pk = obj_id
    obj._state.adding = False
    obj._state.db = using
    event.pk = audit_id
    event.entity_id = str(obj_id)
    event._state.adding = False
    event._state.db = using
