"""Whole-registry reads: engine inputs for many workers in a few queries, and the impact of a
draft policy version on the registered workers of its city.

Spells, certificates and facts are read for a chunk of workers at a time (one query per table
per chunk), never one ORM query per worker; the engine then runs on plain Python values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from gongyou.accounts.policies import Actor
from gongyou.classifications.enums import CertificateKind
from gongyou.regions.selectors import region_names
from gongyou.workers.models import SkillCertificate, Worker

from . import compiled, engine
from .enums import Outcome, Purpose
from .models import ContributionSpell, DeclaredFact, PolicyVersion, ResidenceSpell
from .policies import policy_require_can_edit
from .selectors import city_of, rules_for, today, version_in_force

CHUNK = 2000
ELIGIBLE = frozenset({Outcome.ELIGIBLE, Outcome.SUBJECT_TO_CHECKS})


def _city_map() -> dict[str, str]:
    """Every region code -> its prefecture-level city (computed once per run)."""
    return {code: c for code in region_names() if (c := city_of(code))}


def facts_for_workers(
    workers: Iterable[tuple[int, dt.date, str, str, str]],
) -> Iterator[engine.WorkerFacts]:
    """`workers` yields (id, birth_date, education, current_region, hukou_region)."""
    cities = _city_map()
    chunk: list[tuple[int, dt.date, str, str, str]] = []
    for row in workers:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _chunk(chunk, cities)
            chunk = []
    if chunk:
        yield from _chunk(chunk, cities)


def _chunk(
    rows: list[tuple[int, dt.date, str, str, str]], cities: dict[str, str]
) -> Iterator[engine.WorkerFacts]:
    ids = [r[0] for r in rows]
    contributions: dict[int, list[engine.Spell]] = defaultdict(list)
    residences: dict[int, list[engine.Spell]] = defaultdict(list)
    certificates: dict[int, list[engine.Certificate]] = defaultdict(list)
    declared: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for w, c, s, e, k in ContributionSpell.objects.filter(worker_id__in=ids).values_list(
        "worker_id", "city_id", "start", "end", "kind"
    ):
        contributions[w].append(
            engine.Spell(
                city=c, start=engine.month_of(s), end=engine.month_of(e) if e else None, kind=k
            )
        )
    for w, c, s, e, p, t in ResidenceSpell.objects.filter(worker_id__in=ids).values_list(
        "worker_id", "city_id", "start", "end", "permit_held", "tenure"
    ):
        residences[w].append(
            engine.Spell(
                city=c,
                start=engine.month_of(s),
                end=engine.month_of(e) if e else None,
                permit=p,
                tenure=t,
            )
        )
    for w, level, issued, expires in SkillCertificate.objects.filter(
        worker_id__in=ids, kind=CertificateKind.SKILL_LEVEL, level__isnull=False
    ).values_list("worker_id", "level", "issued_on", "expires_on"):
        certificates[w].append(
            engine.Certificate(level=int(level or 5), issued_on=issued, expires_on=expires)
        )
    for w, key, value in DeclaredFact.objects.filter(worker_id__in=ids).values_list(
        "worker_id", "key", "value"
    ):
        declared[w][key] = value
    for wid, birth, education, current, hukou in rows:
        yield engine.WorkerFacts(
            worker_id=wid,
            birth_date=birth,
            education=education or "",
            certificates=certificates.get(wid, []),
            contributions=contributions.get(wid, []),
            residences=residences.get(wid, []),
            declared=declared.get(wid, {}),
            current_city=cities.get(current, ""),
            hukou_city=cities.get(hukou, ""),
        )


def registry_rows(*, city: str | None = None) -> Iterator[tuple[int, dt.date, str, str, str]]:
    qs = Worker.objects.filter(merged_into__isnull=True)
    if city:
        from gongyou.regions.selectors import region_range_q

        qs = qs.filter(region_range_q("current_region_id", city[:4]))
    yield from (
        qs.order_by("id")
        .values_list("id", "birth_date", "education", "current_region_id", "hukou_region_id")
        .iterator(chunk_size=CHUNK)
    )


def version_impact(
    *, actor: Actor, version: PolicyVersion, day: dt.date | None = None
) -> dict[str, Any]:
    """Before publishing: of the registered workers living in the policy's city, how many the
    draft would make eligible or ineligible compared with the version in force on `day`."""
    policy_require_can_edit(actor, version.policy.city_id)
    day = day or max(today(), version.effective_from)
    city = version.policy.city_id
    current = version_in_force(city=city, purpose=version.policy.purpose, day=day)
    if current is not None and current.pk == version.pk:
        current = None
    new_check = compiled.compile_rules(rules_for(version))
    old_check = compiled.compile_rules(rules_for(current)) if current is not None else None
    counts = {
        "workers": 0,
        "newly_eligible": 0,
        "newly_ineligible": 0,
        "eligible_before": 0,
        "eligible_after": 0,
    }
    by_outcome: dict[str, int] = defaultdict(int)
    for facts in facts_for_workers(registry_rows(city=city)):
        if facts.current_city != city:
            continue
        counts["workers"] += 1
        feats = compiled.features(facts, day)
        after = new_check(feats)[0]
        before = old_check(feats)[0] if old_check else Outcome.NO_POLICY
        by_outcome[after] += 1
        was, now = before in ELIGIBLE, after in ELIGIBLE
        counts["eligible_before"] += was
        counts["eligible_after"] += now
        counts["newly_eligible"] += now and not was
        counts["newly_ineligible"] += was and not now
    return {
        "version_id": version.pk,
        "compared_with": current.pk if current else None,
        "compared_with_number": current.number if current else None,
        "as_of": day.isoformat(),
        "city": city,
        "purpose": version.policy.purpose,
        **counts,
        "by_outcome": dict(by_outcome),
    }


__all__ = ["ELIGIBLE", "Purpose", "facts_for_workers", "registry_rows", "version_impact"]
