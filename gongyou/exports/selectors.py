"""Reads of export jobs, and the rows of an export: only ever the list selectors' scoped
querysets (worker_list, station_list, visit_list, case_queue) with the job's filters."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pydantic
from django.db.models import QuerySet

from gongyou.accounts.policies import Actor
from gongyou.cases.selectors import CaseFilter, case_queue
from gongyou.core.errors import FieldErrors, NotFound
from gongyou.stations.selectors import StationFilter, VisitFilter, station_list, visit_list
from gongyou.workers.selectors import WorkerFilter, worker_list

from .columns import COLUMNS, Column
from .enums import ExportKind
from .models import ExportJob
from .policies import exports_visible_to

FILTERS: dict[str, type] = {
    ExportKind.WORKERS: WorkerFilter,
    ExportKind.STATIONS: StationFilter,
    ExportKind.VISITS: VisitFilter,
    ExportKind.CASES: CaseFilter,
}
AnyFilter = WorkerFilter | StationFilter | VisitFilter | CaseFilter


def export_filters_parse(*, kind: str, data: dict[str, Any], strict: bool = True) -> Any:
    """The kind's filter dataclass from JSON-like values, validated by pydantic.

    Unknown keys are a field error when `strict` (the API); pages pass a list's query string,
    which carries other parameters (page, near-me coordinates), so they are ignored there.
    """
    cls = FILTERS[kind]
    names = {f.name for f in dataclasses.fields(cls)}
    errors = FieldErrors()
    for key in data:
        if key not in names and strict:
            errors.add(f"filters.{key}", "unknown_filter", f"Unknown filter for {kind}: {key}.")
    values = {k: v for k, v in data.items() if k in names}
    parsed: Any = None
    try:
        parsed = pydantic.TypeAdapter(cls).validate_python(values)
    except pydantic.ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "filters"
            errors.add(f"filters.{field}", "invalid", str(err["msg"]))
    errors.raise_if_any()
    return parsed


def export_filters_dump(filters: Any) -> dict[str, Any]:
    """Every field of the dataclass, JSON-ready (dates and datetimes in ISO 8601)."""

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value

    return {k: plain(v) for k, v in dataclasses.asdict(filters).items()}


def export_rows_queryset(
    *, actor: Actor, kind: str, filters: Any, search: str = ""
) -> QuerySet[Any]:
    """The kind's list, exactly as the list selector scopes, filters and orders it."""
    if kind == ExportKind.WORKERS:
        return worker_list(actor=actor, filters=filters)
    if kind == ExportKind.STATIONS:
        return station_list(actor=actor, filters=filters)
    if kind == ExportKind.VISITS:
        return visit_list(actor=actor, filters=filters)
    return case_queue(actor=actor, filters=filters, text=search or None)


def export_rows(
    *, actor: Actor, job: ExportJob, chunk_size: int = 5000
) -> tuple[tuple[Column, ...], list[str], Any]:
    """(columns, source paths, iterator of value tuples) for the job: `values_list` in chunks,
    no model instances; a revealed export reads the ciphertext columns instead of the masks."""
    columns = COLUMNS[job.kind]
    filters = export_filters_parse(kind=job.kind, data=job.filters or {}, strict=False)
    sources: list[str] = []
    for column in columns:
        source = column.reveal_source if (job.reveal and column.reveal) else column.source
        if source not in sources:
            sources.append(source)
    qs = export_rows_queryset(actor=actor, kind=job.kind, filters=filters, search=job.search)
    return columns, sources, qs.values_list(*sources).iterator(chunk_size=chunk_size)


def export_list(*, actor: Actor) -> QuerySet[ExportJob]:
    return exports_visible_to(actor).select_related("created_by").order_by("-created_at", "-id")


def export_get(*, actor: Actor, job_id: int) -> ExportJob:
    try:
        return exports_visible_to(actor).select_related("created_by").get(pk=job_id)
    except (ExportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
