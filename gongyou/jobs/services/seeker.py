"""Job-seeker profiles and the match index built from them.

The index (MatchEntry) holds, per seeking worker, one row per occupation they offer with every
column the score reads; it is rebuilt for a worker whenever their profile is saved, and the
daily refresh rebuilds workers whose registry record or certificates changed since.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.classifications.enums import CertificateKind
from gongyou.core.audit import audit_record, diff, snapshot
from gongyou.core.errors import FieldErrors
from gongyou.workers.models import SkillCertificate, Worker

from ..enums import SeekerStatus
from ..matching import MAX_OCCUPATIONS, mid_group_of
from ..models import MatchEntry, SeekerProfile
from ..policies import seeker_require_can_edit
from .common import (
    RecordChanged,
    bump,
    clean_choice,
    clean_day,
    clean_int,
    clean_occupation,
    clean_region,
    clean_text,
    region_coordinates,
    user_of,
)

PROFILE_FIELDS = [
    "status",
    "desired_occupations",
    "wage_expectation",
    "previous_wage",
    "available_from",
    "preferred_regions",
    "max_distance_km",
    "note",
]
MAX_PREFERRED = 3


def _codes(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace("，", ",").replace(" ", ",").split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def _clean(data: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "status" in data:
        out["status"] = clean_choice(
            "status", data.get("status"), SeekerStatus.values, errors, required=True
        )
    if "desired_occupations" in data:
        codes = list(dict.fromkeys(_codes(data["desired_occupations"])))
        if len(codes) > MAX_OCCUPATIONS:
            errors.add(
                "desired_occupations",
                "too_many",
                _("At most %(n)d occupations.") % {"n": MAX_OCCUPATIONS},
            )
        for code in codes:
            clean_occupation(
                "desired_occupations", code, errors, required=False, occupation_only=False
            )
        out["desired_occupations"] = codes[:MAX_OCCUPATIONS]
    for name in ("wage_expectation", "previous_wage"):
        if name in data:
            out[name] = clean_int(name, data.get(name), errors, required=False, low=1)
    if "available_from" in data:
        out["available_from"] = clean_day(
            "available_from", data.get("available_from"), errors, required=False
        )
    if "preferred_regions" in data:
        codes = list(dict.fromkeys(_codes(data["preferred_regions"])))
        if len(codes) > MAX_PREFERRED:
            errors.add(
                "preferred_regions",
                "too_many",
                _("At most %(n)d regions.") % {"n": MAX_PREFERRED},
            )
        for code in codes:
            clean_region("preferred_regions", code, errors)
        out["preferred_regions"] = codes[:MAX_PREFERRED]
    if "max_distance_km" in data:
        out["max_distance_km"] = clean_int(
            "max_distance_km", data.get("max_distance_km"), errors, required=False, low=1, high=5000
        )
    if "note" in data:
        out["note"] = clean_text("note", data.get("note"), errors, required=False, limit=300)
    return out


@transaction.atomic
def seeker_profile_save(*, actor: Actor, worker: Worker, data: dict[str, Any]) -> SeekerProfile:
    """Register the worker as a job seeker, or change the fields present in `data` (an existing
    profile needs `version`). The match index follows in the same transaction."""
    seeker_require_can_edit(actor, worker)
    errors = FieldErrors()
    values = _clean(data, errors)
    profile = SeekerProfile.objects.select_for_update().filter(worker=worker).first()
    if profile is not None:
        version = data.get("version")
        if version in (None, ""):
            errors.add(
                "version", "required", _("Send the version you read (optimistic concurrency).")
            )
        elif str(version) != str(profile.version):
            errors.raise_if_any()
            raise RecordChanged(extra={"current_version": profile.version})
    errors.raise_if_any()
    if profile is None:
        profile = SeekerProfile(worker=worker, updated_by=user_of(actor), **values)
        profile.save()
        audit_record(
            actor=user_of(actor),
            action="seeker.register",
            entity=profile,
            after=snapshot(profile, PROFILE_FIELDS),
            worker_id=worker.pk,
            region_code=worker.current_region_id,
            summary=_("Registered as a job seeker"),
        )
    else:
        before = snapshot(profile, PROFILE_FIELDS)
        for name, value in values.items():
            setattr(profile, name, value)
        old, new = diff(before, snapshot(profile, PROFILE_FIELDS))
        if new:
            profile.updated_by = user_of(actor)
            bump(profile, "updated_by", *values.keys())
            audit_record(
                actor=user_of(actor),
                action="seeker.update",
                entity=profile,
                before=old,
                after=new,
                worker_id=worker.pk,
                region_code=worker.current_region_id,
                summary=_("Job-seeker profile changed"),
            )
    seeker_index_refresh(worker_ids=[worker.pk])
    return profile


# --- The match index ---------------------------------------------------------------------------


def seeker_entries(
    *,
    profile: SeekerProfile | dict[str, Any],
    worker: dict[str, Any],
    certificates: Iterable[tuple[str, int | None]],
) -> list[dict[str, Any]]:
    """The index rows of one seeker (no database access): `worker` has occupation_id,
    current_region_id and hukou_region_id; `certificates` are (occupation code, level) of valid
    skill-level certificates. Occupations: desired first, then current, then certified."""
    get = profile.get if isinstance(profile, dict) else lambda k: getattr(profile, k)
    codes: list[str] = list(get("desired_occupations") or [])
    if worker.get("occupation_id"):
        codes.append(worker["occupation_id"])
    certs = list(certificates)
    codes.extend(code for code, _level in certs)
    codes = list(dict.fromkeys(c for c in codes if c.count("-") >= 1))[:MAX_OCCUPATIONS]
    best: dict[str, int] = {}
    for code, level in certs:
        if level is not None:
            group = mid_group_of(code)
            best[group] = min(level, best.get(group, 99))
    lat, lon = region_coordinates().get(worker["current_region_id"], (None, None))
    prefs = [region_prefix(c) for c in (get("preferred_regions") or [])][:3]
    prefs += [""] * (3 - len(prefs))
    return [
        {
            "worker_id": worker["id"],
            "occupation_code": code,
            "mid_group": mid_group_of(code),
            "skill_level": best.get(mid_group_of(code)),
            "current_region_code": worker["current_region_id"],
            "hukou_region_code": worker["hukou_region_id"],
            "latitude": lat,
            "longitude": lon,
            "max_distance_km": get("max_distance_km"),
            "wage_expectation": get("wage_expectation"),
            "available_from": get("available_from"),
            "pref1": prefs[0],
            "pref2": prefs[1],
            "pref3": prefs[2],
        }
        for code in codes
    ]


def certificates_by_worker(
    worker_ids: list[int], *, today: dt.date | None = None
) -> dict[int, list[tuple[str, int | None]]]:
    """Valid (unexpired) skill-level certificates of these workers: worker -> [(code, level)]."""
    today = today or timezone.localdate()
    out: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    rows = SkillCertificate.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        worker_id__in=worker_ids,
        kind=CertificateKind.SKILL_LEVEL,
    ).values_list("worker_id", "occupation_id", "level")
    for worker_id, code, level in rows:
        out[worker_id].append((code, level))
    return out


WORKER_COLUMNS = ("id", "occupation_id", "current_region_id", "hukou_region_id", "merged_into_id")


def seeker_index_refresh(*, worker_ids: list[int] | None = None, batch: int = 5000) -> int:
    """Rebuild the index rows of these workers (None = every profile that is stale: never
    indexed, or the worker or a certificate changed since). Only seeking, unmerged workers get
    rows. Derived data: not audited. Returns the number of workers rebuilt."""
    if worker_ids is None:
        stale = SeekerProfile.objects.filter(
            Q(indexed_at__isnull=True)
            | Q(worker__updated_at__gt=F("indexed_at"))
            | Exists(
                SkillCertificate.objects.filter(
                    worker_id=OuterRef("worker_id"), updated_at__gt=OuterRef("indexed_at")
                )
            )
        )
        worker_ids = list(stale.values_list("worker_id", flat=True))
    done = 0
    for start in range(0, len(worker_ids), batch):
        done += _refresh_batch(worker_ids[start : start + batch])
    return done


@transaction.atomic
def _refresh_batch(ids: list[int]) -> int:
    now = timezone.now()
    profiles = {
        p["worker_id"]: p
        for p in SeekerProfile.objects.filter(worker_id__in=ids).values(
            "worker_id", "status", *PROFILE_FIELDS[1:]
        )
    }
    workers = {w["id"]: w for w in Worker.objects.filter(pk__in=ids).values(*WORKER_COLUMNS)}
    certs = certificates_by_worker(ids)
    rows: list[MatchEntry] = []
    for worker_id in ids:
        profile, worker = profiles.get(worker_id), workers.get(worker_id)
        if profile is None or worker is None:
            continue
        if profile["status"] != SeekerStatus.SEEKING or worker["merged_into_id"]:
            continue
        rows.extend(
            MatchEntry(**e)
            for e in seeker_entries(profile=profile, worker=worker, certificates=certs[worker_id])
        )
    MatchEntry.objects.filter(worker_id__in=ids).delete()
    MatchEntry.objects.bulk_create(rows, batch_size=2000)
    SeekerProfile.objects.filter(worker_id__in=ids).update(indexed_at=now)
    return len(ids)


def seeker_set_status(*, actor: Actor | None, worker_id: int, status: str, reason: str) -> None:
    """Set a profile's status from another service (a hire places the seeker); audited."""
    profile = SeekerProfile.objects.select_for_update().filter(worker_id=worker_id).first()
    if profile is None or profile.status == status:
        return
    before = profile.status
    profile.status = status
    bump(profile, "status")
    audit_record(
        actor=user_of(actor) if actor else None,
        action="seeker.update",
        entity=profile,
        before={"status": before},
        after={"status": status},
        worker_id=worker_id,
        summary=reason,
    )
    seeker_index_refresh(worker_ids=[worker_id])
