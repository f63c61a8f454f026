"""The one way to write an audit row (called by services inside their transaction)."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Callable, Iterable, Mapping
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
