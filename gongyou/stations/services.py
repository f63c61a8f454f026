"""Writes for stations and visits (atomic, audited)."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.accounts.selectors import organisation_list
from gongyou.core.audit import audit_build, audit_record, diff, insert_with_audit, snapshot
from gongyou.core.errors import Conflict, FieldError, FieldErrors
from gongyou.regions.selectors import region_is_known
from gongyou.workers.policies import workers_visible_to

from .enums import DEFAULT_SERVICES, ServiceType, StationType
from .models import Station, Visit
from .policies import station_is_visible, station_require_can_log, station_require_can_manage

STATION_FIELDS = [
    "code",
    "name",
    "type",
    "organisation",
    "region",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "open_24h",
    "services",
    "phone",
    "is_active",
]
EDITABLE = [f for f in STATION_FIELDS if f != "code"]
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_BACKDATE = dt.timedelta(days=30)


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    default_message = gettext_lazy("This Idempotency-Key was already used for a different visit.")


def _clean_station(
    data: dict[str, Any], errors: FieldErrors, *, actor: Actor, partial: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def present(name: str) -> bool:
        return not partial or name in data

    if present("name"):
        name = str(data.get("name") or "").strip()
        if not name:
            errors.add("name", "required", _("Enter the station's name."))
        elif len(name) > 100:
            errors.add("name", "too_long", _("At most 100 characters."))
        out["name"] = name
    if present("type"):
        kind = str(data.get("type") or "")
        if kind not in StationType.values:
            errors.add("type", "invalid_choice", _("Choose a station type."))
        out["type"] = kind
    if present("region"):
        region = str(data.get("region") or "").strip()
        if not re.fullmatch(r"\d{6}", region) or not region_is_known(region):
            errors.add("region", "unknown_region", _("Choose a known region (6-digit code)."))
        elif not actor.covers_region(region):
            errors.add("region", "out_of_scope", _("The region is outside your area."))
        out["region_id"] = region
    if present("organisation"):
        org_id = data.get("organisation")
        org = (
            organisation_list(actor=actor).filter(pk=int(str(org_id))).first()
            if str(org_id or "").isdigit()
            else None
        )
        if org is None or not actor.covers_region(org.region_id):
            errors.add(
                "organisation", "unknown_organisation", _("Choose an organisation in your area.")
            )
        out["organisation"] = org
    if present("address"):
        address = str(data.get("address") or "").strip()
        if not address:
            errors.add("address", "required", _("Enter the address."))
        out["address"] = address[:200]
    for field, low, high in (("latitude", 3.0, 54.0), ("longitude", 73.0, 136.0)):
        if field in data:
            value = data.get(field)
            if value in (None, ""):
                out[field] = None
                continue
            try:
                number = float(str(value))
            except (TypeError, ValueError):
                errors.add(field, "invalid_number", _("Enter a number."))
                continue
            if not low <= number <= high:
                errors.add(
                    field,
                    "out_of_range",
                    _("Must be between %(low)s and %(high)s (mainland China).")
                    % {"low": low, "high": high},
                )
            out[field] = number
    if "opening_hours" in data:
        out["opening_hours"] = str(data.get("opening_hours") or "").strip()[:200]
    if "open_24h" in data:
        out["open_24h"] = bool(data.get("open_24h"))
    if "phone" in data:
        out["phone"] = re.sub(r"\s+", "", str(data.get("phone") or ""))[:20]
    if "is_active" in data:
        out["is_active"] = bool(data.get("is_active"))
    if "services" in data:
        services = data.get("services") or []
        if isinstance(services, str):
            services = [s for s in re.split(r"[,\s]+", services) if s]
        bad = [s for s in services if s not in ServiceType.values]
        if bad:
            errors.add(
                "services",
                "invalid_choice",
                _("Unknown services: %(s)s") % {"s": ", ".join(map(str, bad))[:100]},
            )
        out["services"] = sorted(set(services), key=ServiceType.values.index) if not bad else []
    return out


def _next_code(region: str) -> str:
    prefix = f"ST{region}-"
    last = (
        Station.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def station_create(*, actor: Actor, data: dict[str, Any]) -> Station:
    station_require_can_manage(actor)
    errors = FieldErrors()
    values = _clean_station(data, errors, actor=actor, partial=False)
    code = str(data.get("code") or "").strip().upper()
    if code and not re.fullmatch(r"[A-Z0-9\-]{3,32}", code):
        errors.add("code", "invalid_format", _("3–32 letters, digits or hyphens."))
    elif code and Station.objects.filter(code=code).exists():
        errors.add("code", "duplicate", _("Another station already has this code."))
    errors.raise_if_any()
    if "services" not in data or not values.get("services"):
        values["services"] = [str(s) for s in DEFAULT_SERVICES[values["type"]]]
    station = Station(code=code or _next_code(values["region_id"]), **values)
    station.save()
    audit_record(
        actor=actor.user,
        action="station.create",
        entity=station,
        after=snapshot(station, STATION_FIELDS),
        region_code=station.region_id,
        summary=station.name,
    )
    return station


@transaction.atomic
def station_update(*, actor: Actor, station: Station, data: dict[str, Any]) -> Station:
    station_require_can_manage(actor, station)
    station = Station.objects.select_for_update().get(pk=station.pk)
    errors = FieldErrors()
    for field in sorted(set(data) - set(EDITABLE)):
        errors.add(field, "not_editable", _("This field cannot be changed."))
    values = _clean_station(data, errors, actor=actor, partial=True)
    errors.raise_if_any()
    before = snapshot(station, STATION_FIELDS)
    for field, value in values.items():
        setattr(station, field, value)
    changed_before, changed_after = diff(before, snapshot(station, STATION_FIELDS))
    if changed_after:
        station.save()
        audit_record(
            actor=actor.user,
            action="station.update",
            entity=station,
            before=changed_before,
            after=changed_after,
            region_code=station.region_id,
            summary=station.name,
        )
        _station_cache.pop(station.pk, None)
    return station


# Per-process cache of the stations that visit logging reads (otherwise one SELECT per visit,
# the hottest write): a change made in another process is seen within
# VISIT_STATION_CACHE_SECONDS, one made here (station_update) at once.
_station_cache: dict[int, tuple[float, Station]] = {}
_STATION_CACHE_MAX = 50_000


def _station_for_visit(pk: int) -> Station | None:
    ttl = float(getattr(settings, "VISIT_STATION_CACHE_SECONDS", 10))
    hit = _station_cache.get(pk)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    station = next(iter(Station.objects.filter(pk=pk).order_by()[:1]), None)
    if station is not None and ttl > 0:
        if len(_station_cache) >= _STATION_CACHE_MAX:
            _station_cache.clear()
        _station_cache[pk] = (time.monotonic() + ttl, station)
    return station


def _parse_at(value: Any, errors: FieldErrors) -> dt.datetime | None:
    if value in (None, ""):
        return None
    at = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if at is None:
        errors.add(
            "at",
            "invalid_datetime",
            _("Enter the time as ISO 8601, e.g. 2026-11-29T09:30:00+08:00."),
        )
        return None
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    now = timezone.now()
    if at > now + MAX_CLOCK_SKEW:
        errors.add("at", "in_future", _("The visit time is in the future."))
    elif at < now - MAX_BACKDATE:
        errors.add("at", "too_old", _("Visits older than 30 days cannot be logged."))
    return at


def visit_log(
    *,
    actor: Actor,
    station_id: Any,
    service: Any,
    worker_id: Any = None,
    note: str = "",
    at: Any = None,
    idempotency_key: str | None = None,
) -> tuple[Visit, bool]:
    """Log one visit. Returns (visit, created); a retried Idempotency-Key returns the first visit."""
    errors = FieldErrors()
    station = None
    if not str(station_id or "").isdigit():
        errors.add("station_id", "required", _("Choose the station."))
    else:
        station = _station_for_visit(int(station_id))
        if station is None or not station_is_visible(actor, station):
            errors.add("station_id", "unknown_station", _("No such station in your area."))
            station = None
    if service not in ServiceType.values:
        errors.add(
            "service", "invalid_choice", _("Unknown service; see GET /api/v1/service-types.")
        )
    elif station is not None and station.services and service not in station.services:
        errors.add("service", "not_offered", _("This station does not offer that service."))
    worker = None
    if worker_id not in (None, ""):
        if not str(worker_id).isdigit():
            errors.add("worker_id", "invalid", _("A worker id is a number."))
        else:
            worker = workers_visible_to(actor).filter(pk=int(worker_id)).first()
            if worker is None:
                errors.add("worker_id", "unknown_worker", _("No such worker in your area."))
                worker = None
    note = str(note or "").strip()
    if len(note) > 500:
        errors.add("note", "too_long", _("At most 500 characters."))
    when = _parse_at(at, errors)
    key = (idempotency_key or "").strip() or None
    if key is not None and (len(key) > 100 or not re.fullmatch(r"[\x21-\x7e]+", key)):
        errors.add(
            "idempotency_key", "invalid", _("An Idempotency-Key is 1–100 visible ASCII characters.")
        )
    # A retry is normally caught by the unique key at insert (no extra query on the hot path);
    # look it up first only when this request would otherwise fail validation.
    if errors and key is not None:
        first = Visit.objects.filter(idempotency_key=key).first()
        if first is not None:
            return _replay(actor, first, station_id, service, worker_id), False
    errors.raise_if_any()
    assert station is not None
    station_require_can_log(actor, station)
    visit = Visit(
        station=station,
        service=service,
        worker=worker,
        staff=actor.user,
        note=note,
        idempotency_key=key,
        at=when or timezone.now(),
    )
    try:
        insert_with_audit(
            visit,
            audit_build(
                actor=actor.user,
                action="visit.log",
                entity_type=Visit._meta.label_lower,
                worker_id=worker.pk if worker else None,
                region_code=station.region_id,
                after={
                    "station": station.pk,
                    "service": service,
                    "worker": worker.pk if worker else None,
                    "at": visit.at,
                },
                summary=_("Visit to %(station)s: %(service)s")
                % {"station": station.name, "service": ServiceType(service).label},
            ),
        )
    except IntegrityError:
        if key is None:
            raise
        first = Visit.objects.filter(idempotency_key=key).first()
        if first is None:
            raise
        return _replay(actor, first, station_id, service, worker_id), False
    return visit, True


def _replay(actor: Actor, first: Visit, station_id: Any, service: Any, worker_id: Any) -> Visit:
    if not station_is_visible(actor, first.station):
        raise IdempotencyKeyReused()
    same = (
        str(first.station_id) == str(station_id)
        and first.service == service
        and str(first.worker_id or "") == str(worker_id or "")
    )
    if not same:
        raise IdempotencyKeyReused(
            fields={
                "idempotency_key": FieldError("reused", _("Already used for a different visit."))
            }
        )
    return first
