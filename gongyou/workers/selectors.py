"""Reads of the registry, always starting from the policy's scoped queryset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, QuerySet

from gongyou.accounts.policies import Actor, Capability
from gongyou.core import crypto
from gongyou.core.errors import NotFound
from gongyou.core.models import AuditEvent
from gongyou.regions.selectors import region_range_q

from .enums import DuplicateReason
from .identity import IdentityError, normalise_national_id, normalise_phone, parse_national_id
from .models import Consent, SkillCertificate, Worker, WorkerMerge
from .policies import workers_visible_to


def national_id_lookup_hash(raw: str) -> str | None:
    """The lookup hash of any spelling that normalises to a valid number (15 or 18 digits)."""
    from gongyou.regions.selectors import province_codes

    try:
        number = parse_national_id(raw, provinces=province_codes()).number
    except IdentityError:
        number = normalise_national_id(raw)
        if not number:
            return None
    return crypto.blind_index(number, context="national_id")


def phone_lookup_hash(raw: str) -> str | None:
    number = normalise_phone(raw)
    return crypto.blind_index(number, context="phone") if number else None


@dataclass
class WorkerFilter:
    national_id: str | None = None
    phone: str | None = None
    name: str | None = None
    region: str | None = None  # current region subtree (6-digit code of any level)
    hukou_region: str | None = None
    sex: str | None = None
    education: str | None = None
    industry: str | None = None
    employment_form: str | None = None
    occupation: str | None = None
    migration_scope: str | None = None
    union_member: bool | None = None
    born_after: dt.date | None = None
    born_before: dt.date | None = None


def worker_ids_by_national_hash(hashes: Iterable[str]) -> dict[str, int]:
    """ID-number hash -> worker id, for the hashes that are registered (merged records
    included). Plain SQL in chunks: bulk writers ask for thousands at a time, and the ORM's
    per-value preparation of a long IN list costs more than the index lookups themselves."""
    wanted = list(dict.fromkeys(hashes))
    table = Worker._meta.db_table
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            cursor.execute(
                f"SELECT national_id_hash, id FROM {table}"  # noqa: S608 - constant names
                f" WHERE national_id_hash IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            found.update(cursor.fetchall())
    return found


_IN_CHUNK = 900  # under SQLite's oldest limit on parameters (999)


def _prefix(code: str) -> str:
    from gongyou.accounts.policies import region_prefix

    return region_prefix(code)


def worker_list(*, actor: Actor, filters: WorkerFilter | None = None) -> QuerySet[Worker]:
    qs = workers_visible_to(actor)
    f = filters or WorkerFilter()
    if f.national_id:
        qs = qs.filter(national_id_hash=national_id_lookup_hash(f.national_id) or "-")
    if f.phone:
        qs = qs.filter(phone_hash=phone_lookup_hash(f.phone) or "-")
    if f.name:
        qs = qs.filter(name__contains=f.name.strip())
    if f.region:
        qs = qs.filter(region_range_q("current_region_id", _prefix(f.region)))
    if f.hukou_region:
        qs = qs.filter(region_range_q("hukou_region_id", _prefix(f.hukou_region)))
    for field in ("sex", "education", "industry", "employment_form", "migration_scope"):
        value = getattr(f, field)
        if value:
            qs = qs.filter(**{field: value})
    if f.occupation:
        qs = qs.filter(occupation_id__startswith=f.occupation)
    if f.union_member is not None:
        qs = qs.filter(union_member=f.union_member)
    if f.born_after:
        qs = qs.filter(birth_date__gte=f.born_after)
    if f.born_before:
        qs = qs.filter(birth_date__lte=f.born_before)
    # No joins: region names come from the cached region table; pages that show the occupation
    # name add select_related("occupation") themselves (the API returns codes only).
    return qs.order_by("-id")


def worker_get(*, actor: Actor, worker_id: int) -> Worker:
    try:
        return (
            workers_visible_to(actor)
            .select_related(
                "current_region", "hukou_region", "occupation", "registered_by", "registered_org"
            )
            .get(pk=worker_id)
        )
    except (Worker.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def worker_certificates(*, worker: Worker) -> QuerySet[SkillCertificate]:
    return worker.certificates.select_related("occupation").order_by("-issued_on", "-id")


def worker_consents(*, worker: Worker) -> QuerySet[Consent]:
    return worker.consents.select_related("recorded_by").order_by("-recorded_at", "-id")


def worker_current_consent(*, worker: Worker) -> dict[str, Any]:
    """purpose -> latest decision."""
    latest: dict[str, Any] = {}
    for consent in worker_consents(worker=worker):
        latest.setdefault(consent.purpose, consent)
    return latest


TIMELINE_EXCLUDED_ACTIONS = ("worker.reveal",)


def worker_merged_ids(*, worker: Worker) -> list[int]:
    """The worker and every worker merged into them (directly or through another merge)."""
    ids, frontier = [worker.pk], [worker.pk]
    while frontier:
        frontier = list(
            Worker.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in ids]
        ids.extend(frontier)
    return ids


def worker_timeline(*, worker: Worker) -> QuerySet[AuditEvent]:
    """What happened to the worker, newest first (registration, changes, visits, later modules);
    while another worker is merged into this one, their events show here too."""
    return (
        AuditEvent.objects.filter(worker_id__in=worker_merged_ids(worker=worker))
        .exclude(action__in=TIMELINE_EXCLUDED_ACTIONS)
        .order_by("-at", "-id")
    )


# --- Duplicate review -------------------------------------------------------------------------


DUPLICATES_MAX = 500  # one review queue; merging pairs makes room for the next


@dataclass
class DuplicateCandidate:
    first: Worker
    second: Worker
    reasons: list[str]


def worker_duplicate_candidates(*, actor: Actor, limit: int = 50) -> list[DuplicateCandidate]:
    """Likely duplicates among the workers the actor sees, as pairs with their reasons: same name,
    birth date and hukou county (with different ID numbers: the number itself is unique), or the
    same mobile. Two GROUP BY ... HAVING COUNT(*) > 1 queries over the scoped set, each limited;
    a group of three or more yields its lowest and highest id (merge them and the next pair
    appears). Newest pairs first."""
    actor.require(Capability.MERGE_WORKERS)
    base = workers_visible_to(actor).order_by()
    groups: list[tuple[str, QuerySet[Any]]] = [
        (
            DuplicateReason.NAME_BIRTH_HUKOU,
            base.values("name", "birth_date", "hukou_region_id"),
        ),
        (DuplicateReason.PHONE, base.exclude(phone_hash="").values("phone_hash")),
    ]
    pairs: dict[tuple[int, int], list[str]] = {}
    for reason, grouped in groups:
        rows = (
            grouped.annotate(n=Count("id"), low=Min("id"), high=Max("id"))
            .filter(n__gt=1)
            .order_by("-high")
            .values_list("low", "high")[:limit]
        )
        for low, high in rows:
            pairs.setdefault((low, high), []).append(reason)
    ordered = sorted(pairs, key=lambda p: (-p[1], -p[0]))[:limit]
    workers = Worker.objects.in_bulk({pk for pair in ordered for pk in pair})
    return [
        DuplicateCandidate(first=workers[low], second=workers[high], reasons=pairs[(low, high)])
        for low, high in ordered
        if low in workers and high in workers
    ]


def worker_merges(*, worker: Worker) -> QuerySet[WorkerMerge]:
    """Merges into this worker, newest first (the kept worker's page shows them, with undo)."""
    return (
        WorkerMerge.objects.filter(kept=worker)
        .select_related("merged", "actor", "undone_by")
        .order_by("-at", "-id")
    )
