"""Reads of settlement data, and the public entry points of the engine.

`worker_facts_load` and `policy_rules_in_force` turn database rows into the engine's plain
inputs; `eligibility_for_city`, `eligibility_ranking` and `policy_answer` are what pages, the API
and other apps (public services, issue 11) call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.classifications.enums import CertificateKind
from gongyou.core.errors import FieldError, NotFound
from gongyou.regions.models import Region
from gongyou.regions.selectors import region_label, region_names
from gongyou.workers.models import SkillCertificate, Worker
from gongyou.workers.selectors import worker_get

from . import engine
from .enums import OUTCOME_RANK, Outcome, Purpose, Route, VersionStatus
from .models import (
    CityGroup,
    ContributionSpell,
    DeclaredFact,
    EligibilityResult,
    PolicyVersion,
    ResidenceSpell,
    SettlementPolicy,
)
from .policies import history_require_visible, policies_require_visible

# The 2024 national rule by city-size class (domain-facts §1.1, [V]).
NATIONAL_ROUTE_BY_CLASS: dict[str, str] = {
    "small_ii": Route.NO_RESTRICTION,
    "small_i": Route.NO_RESTRICTION,
    "medium": Route.NO_RESTRICTION,
    "large_ii": Route.NO_RESTRICTION,
    "large_i": Route.RELAXED,
    "very_large": Route.POINTS,
    "super_large": Route.POINTS,
}
NATIONAL_SOURCE = (
    "State Council, Five-Year Action Plan for Deeply Implementing the People-Centred New "
    "Urbanization Strategy (2024-07-28, public 2024-07-31)"
)


def today() -> dt.date:
    return timezone.localdate()


def city_of(code: str | None) -> str | None:
    """The prefecture-level city containing `code` (itself if it is one); None above or unknown."""
    names = region_names()
    current = code
    while current and current in names:
        _name, level, parent = names[current]
        if level == "city":
            return current
        current = parent
    return None


def city_name(code: str) -> str:
    names = region_names()
    return names[code][0] if code in names else code


# -- histories -------------------------------------------------------------------------------


def worker_for_settlement(*, actor: Actor, worker_id: int) -> Worker:
    worker = worker_get(actor=actor, worker_id=worker_id)
    history_require_visible(actor, worker)
    return worker


def contribution_list(*, worker: Worker) -> QuerySet[ContributionSpell]:
    return ContributionSpell.objects.filter(worker=worker).order_by("start", "kind", "id")


def residence_list(*, worker: Worker) -> QuerySet[ResidenceSpell]:
    return ResidenceSpell.objects.filter(worker=worker).order_by("start", "id")


def declared_facts(*, worker: Worker) -> QuerySet[DeclaredFact]:
    return DeclaredFact.objects.filter(worker=worker).order_by("key")


def contribution_get(*, worker: Worker, spell_id: int) -> ContributionSpell:
    spell = ContributionSpell.objects.filter(worker=worker, pk=spell_id).first()
    if spell is None:
        raise NotFound()
    return spell


def residence_get(*, worker: Worker, spell_id: int) -> ResidenceSpell:
    spell = ResidenceSpell.objects.filter(worker=worker, pk=spell_id).first()
    if spell is None:
        raise NotFound()
    return spell


def history_summary(*, worker: Worker, day: dt.date | None = None) -> list[dict[str, Any]]:
    """Per city: months of social insurance (any kind, overlaps counted once) and of residence
    (and with a permit), up to `day`."""
    day = day or today()
    month = engine.month_of(day)
    facts = worker_facts_load(worker=worker)
    cities: dict[str, dict[str, int]] = {}

    def add(key: str, city: str, spell: engine.Spell, keep: bool = True) -> None:
        if not keep or spell.start > month:
            return
        last = month if spell.end is None else min(spell.end, month)
        row = cities.setdefault(city, {"si": 0, "res": 0, "permit": 0})
        row[key] |= engine.months_mask(spell.start, last)

    for s in facts.contributions:
        add("si", s.city, s)
    for s in facts.residences:
        add("res", s.city, s)
        add("permit", s.city, s, s.permit)
    return [
        {
            "city": code,
            "city_name": city_name(code),
            "insurance_months": masks["si"].bit_count(),
            "residence_months": masks["res"].bit_count(),
            "permit_months": masks["permit"].bit_count(),
        }
        for code, masks in sorted(cities.items())
    ]


def worker_facts_load(*, worker: Worker) -> engine.WorkerFacts:
    def month(d: dt.date | None) -> int | None:
        return engine.month_of(d) if d else None

    certificates = [
        engine.Certificate(level=int(level or 5), issued_on=issued, expires_on=expires)
        for level, issued, expires in SkillCertificate.objects.filter(
            worker=worker, kind=CertificateKind.SKILL_LEVEL, level__isnull=False
        ).values_list("level", "issued_on", "expires_on")
    ]
    return engine.WorkerFacts(
        worker_id=worker.pk,
        birth_date=worker.birth_date,
        education=worker.education or "",
        certificates=certificates,
        contributions=[
            engine.Spell(city=c, start=engine.month_of(s), end=month(e), kind=k)
            for c, s, e, k in ContributionSpell.objects.filter(worker=worker).values_list(
                "city_id", "start", "end", "kind"
            )
        ],
        residences=[
            engine.Spell(city=c, start=engine.month_of(s), end=month(e), permit=p, tenure=t)
            for c, s, e, p, t in ResidenceSpell.objects.filter(worker=worker).values_list(
                "city_id", "start", "end", "permit_held", "tenure"
            )
        ],
        declared=dict(DeclaredFact.objects.filter(worker=worker).values_list("key", "value")),
        current_city=city_of(worker.current_region_id) or "",
        hukou_city=city_of(worker.hukou_region_id) or "",
    )


# -- policies --------------------------------------------------------------------------------


@dataclass
class PolicyFilter:
    city: str | None = None
    purpose: str | None = None
    route: str | None = None


def policy_list(*, actor: Actor, filters: PolicyFilter | None = None) -> QuerySet[SettlementPolicy]:
    policies_require_visible(actor)
    f = filters or PolicyFilter()
    qs = SettlementPolicy.objects.select_related("city")
    if f.city:
        qs = qs.filter(Q(city_id=f.city) | Q(city__name__contains=f.city))
    if f.purpose:
        qs = qs.filter(purpose=f.purpose)
    if f.route:
        qs = qs.filter(versions__status=VersionStatus.PUBLISHED, versions__route=f.route).distinct()
    return qs.order_by("city_id", "purpose")


def policy_get(*, actor: Actor, policy_id: int) -> SettlementPolicy:
    policies_require_visible(actor)
    policy = SettlementPolicy.objects.select_related("city").filter(pk=policy_id).first()
    if policy is None:
        raise NotFound()
    return policy


def policy_versions(*, policy: SettlementPolicy) -> QuerySet[PolicyVersion]:
    return policy.versions.select_related("group", "created_by").order_by("-number")


def version_get(*, actor: Actor, version_id: int) -> PolicyVersion:
    policies_require_visible(actor)
    version = (
        PolicyVersion.objects.select_related("policy", "policy__city", "group")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise NotFound()
    return version


def version_in_force(
    *, city: str, purpose: str = Purpose.HUKOU, day: dt.date | None = None
) -> PolicyVersion | None:
    day = day or today()
    return (
        PolicyVersion.objects.select_related("policy", "policy__city", "group")
        .filter(
            policy__city_id=city,
            policy__purpose=purpose,
            status=VersionStatus.PUBLISHED,
            effective_from__lte=day,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


def versions_in_force(
    *, purpose: str = Purpose.HUKOU, day: dt.date | None = None
) -> dict[str, PolicyVersion]:
    """city code -> version in force on `day`, for every city (one query)."""
    day = day or today()
    out: dict[str, PolicyVersion] = {}
    for v in (
        PolicyVersion.objects.select_related("policy", "policy__city", "group")
        .filter(policy__purpose=purpose, status=VersionStatus.PUBLISHED, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("effective_from")
    ):
        out[v.policy.city_id] = v
    return out


def rules_for(version: PolicyVersion) -> engine.PolicyRules:
    group_cities: frozenset[str] = frozenset()
    if version.group_id:
        group_cities = frozenset(version.group.cities.values_list("code", flat=True))  # type: ignore[union-attr]
    return engine.PolicyRules(
        version_id=version.pk,
        number=version.number,
        policy_id=version.policy_id,
        policy_name=version.policy.name,
        city=version.policy.city_id,
        city_name=version.policy.city.name,
        purpose=version.policy.purpose,
        route=version.route,
        conditions=list(version.conditions or []),
        points_items=list(version.points_items or []),
        pass_mark=version.pass_mark,
        last_cutoff=version.last_cutoff,
        cutoff_year=version.cutoff_year,
        source=version.source,
        trust=version.trust,
        effective_from=version.effective_from,
        effective_to=version.effective_to,
        group_name=version.group.name if version.group_id else "",  # type: ignore[union-attr]
        group_cities=group_cities,
    )


def city_groups() -> QuerySet[CityGroup]:
    return CityGroup.objects.prefetch_related("cities").order_by("name")


def city_group_get(*, group_id: int) -> CityGroup:
    group = CityGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise NotFound()
    return group


# -- answers ---------------------------------------------------------------------------------


def _no_policy(facts: engine.WorkerFacts, city: str, day: dt.date, purpose: str) -> dict[str, Any]:
    region = Region.objects.filter(pk=city).only("size_class", "size_year", "size_trust").first()
    size_class = region.size_class if region else ""
    route = NATIONAL_ROUTE_BY_CLASS.get(size_class) if purpose == Purpose.HUKOU else None
    if route:
        note = _(
            "No policy is recorded for this city. Under the 2024 national rule its size class "
            "(%(cls)s, %(year)s) points to the route “%(route)s”."
        ) % {
            "cls": region.get_size_class_display(),  # type: ignore[union-attr]
            "year": region.size_year,  # type: ignore[union-attr]
            "route": Route(route).label,
        }
    else:
        note = _("No policy is recorded for this city, and its size class is not known.")
    return {
        "worker_id": facts.worker_id,
        "city": city,
        "city_name": city_name(city),
        "as_of": day.isoformat(),
        "outcome": Outcome.NO_POLICY,
        "conditions": [],
        "points": None,
        "policy": None,
        "national_route": route,
        "national_source": NATIONAL_SOURCE if route else "",
        "note": note,
        "eligible_on": None,
        "months_to_eligible": None,
        "path": [],
    }


def answer_for(
    *,
    facts: engine.WorkerFacts,
    city: str,
    day: dt.date,
    purpose: str = Purpose.HUKOU,
    version: PolicyVersion | None = None,
    project: bool = True,
) -> dict[str, Any]:
    """The engine's answer for one city (or the `version` given, e.g. a draft being previewed)."""
    version = version or version_in_force(city=city, purpose=purpose, day=day)
    if version is None:
        return _no_policy(facts, city, day, purpose)
    answer = engine.evaluate(facts, rules_for(version), day, project=project)
    answer["note"] = ""
    return answer


def eligibility_for_city(
    *,
    actor: Actor,
    worker_id: int,
    city: str,
    day: dt.date | None = None,
    purpose: str = Purpose.HUKOU,
) -> dict[str, Any]:
    worker = worker_for_settlement(actor=actor, worker_id=worker_id)
    code = city_of(city)
    if code is None:
        from gongyou.core.errors import ValidationFailed

        raise ValidationFailed(
            fields={"city": FieldError("not_a_city", _("Give a prefecture-level city code."))}
        )
    return answer_for(
        facts=worker_facts_load(worker=worker), city=code, day=day or today(), purpose=purpose
    )


def candidate_cities(*, worker: Worker, facts: engine.WorkerFacts) -> list[tuple[str, list[str]]]:
    """(city, why) for the current city, the hukou province's cities and cities in the history;
    the worker's own hukou city is left out (they are settled there)."""
    reasons: dict[str, list[str]] = {}

    def add(code: str | None, why: str) -> None:
        if code and code != facts.hukou_city:
            reasons.setdefault(code, [])
            if why not in reasons[code]:
                reasons[code].append(why)

    add(facts.current_city, _("current city"))
    for s in facts.contributions:
        add(s.city, _("social-insurance history"))
    for s in facts.residences:
        add(s.city, _("residence history"))
    province = (worker.hukou_region_id or "")[:2]
    for code, (_name, level, _parent) in region_names().items():
        if level == "city" and code.startswith(province):
            add(code, _("hukou province"))
    return list(reasons.items())


def _rank_key(answer: dict[str, Any]) -> tuple[Any, ...]:
    gap = answer.get("points") or {}
    return (
        OUTCOME_RANK[answer["outcome"]],
        answer.get("months_to_eligible") or 10_000,
        -answer.get("progress", 0.0),
        Decimal(gap.get("gap") or 0),
        answer["city"],
    )


def eligibility_ranking(
    *, actor: Actor, worker_id: int, day: dt.date | None = None
) -> dict[str, Any]:
    """Where can this worker settle: every candidate city's answer, closest first."""
    worker = worker_for_settlement(actor=actor, worker_id=worker_id)
    return _ranking(worker, day or today())


def eligibility_ranking_for_worker(
    *, worker: Worker, day: dt.date | None = None, limit: int | None = None
) -> dict[str, Any]:
    """The same answer as `eligibility_ranking`, for the worker's OWN record (the worker portal).

    The caller passes the signed-in worker's own `Worker` (never an id from a request), so no
    staff scope applies; nothing about any other worker is read. A merged record has no answer
    of its own. `limit` keeps the current city plus the best `limit` other cities; `current`
    is the current city's answer (None when the worker lives in their hukou city)."""
    if worker.merged_into_id is not None:
        raise NotFound()
    ranking = _ranking(worker, day or today())
    current = next((a for a in ranking["answers"] if a["city"] == ranking["current_city"]), None)
    others = [a for a in ranking["answers"] if a is not current]
    if limit is not None:
        others = others[:limit]
    ranking["current"] = current
    ranking["top"] = others
    return ranking


def _ranking(worker: Worker, day: dt.date) -> dict[str, Any]:
    facts = worker_facts_load(worker=worker)
    answers = []
    for code, why in candidate_cities(worker=worker, facts=facts):
        answer = answer_for(facts=facts, city=code, day=day)
        answer["reasons"] = why
        answers.append(answer)
    answers.sort(key=_rank_key)
    services = [
        answer_for(facts=facts, city=code, day=day, purpose=Purpose.SERVICES)
        for code in sorted({a["city"] for a in answers})
        if version_in_force(city=code, purpose=Purpose.SERVICES, day=day) is not None
    ]
    return {
        "worker_id": worker.pk,
        "as_of": day.isoformat(),
        "current_city": facts.current_city,
        "hukou_city": facts.hukou_city,
        "hukou_label": region_label(worker.hukou_region_id),
        "answers": answers,
        "services": services,
    }


def results_by_city(*, batch: str | None = None) -> list[dict[str, Any]]:
    """Share eligible per city from the latest batch run (feeds indicators)."""
    from django.db.models import Count

    qs = EligibilityResult.objects.all()
    if batch is None:
        latest = qs.order_by("-computed_at").values_list("batch", flat=True).first()
        if latest is None:
            return []
        batch = latest
    rows = (
        qs.filter(batch=batch)
        .values("city_id", "outcome")
        .annotate(n=Count("id"))
        .order_by("city_id", "outcome")
    )
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        row = out.setdefault(
            r["city_id"],
            {
                "city": r["city_id"],
                "city_name": city_name(r["city_id"]),
                "total": 0,
                "by_outcome": {},
            },
        )
        row["by_outcome"][r["outcome"]] = r["n"]
        row["total"] += r["n"]
    for row in out.values():
        eligible = row["by_outcome"].get(Outcome.ELIGIBLE, 0) + row["by_outcome"].get(
            Outcome.SUBJECT_TO_CHECKS, 0
        )
        row["eligible"] = eligible
        row["share_eligible"] = round(eligible / row["total"], 4) if row["total"] else 0.0
    return [{"batch": batch, **row} for row in out.values()]


def policy_read(*, actor: Actor, policy_id: int) -> dict[str, Any]:
    """A policy with all its versions (newest first) and the id of the one in force today."""
    policy = policy_get(actor=actor, policy_id=policy_id)
    in_force = version_in_force(city=policy.city_id, purpose=policy.purpose)
    return {
        "id": policy.pk,
        "city_id": policy.city_id,
        "city_name": policy.city.name,
        "purpose": policy.purpose,
        "name": policy.name,
        "versions": list(policy_versions(policy=policy)),
        "in_force": in_force.pk if in_force else None,
    }


def policy_list_rows(*, actor: Actor, filters: PolicyFilter | None = None) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "city_id": p.city_id,
            "city_name": p.city.name,
            "purpose": p.purpose,
            "name": p.name,
        }
        for p in policy_list(actor=actor, filters=filters)
    ]


def city_group_read(group: CityGroup) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "cities": sorted(c.code for c in group.cities.all()),
        "source": group.source,
        "trust": group.trust,
        "note": group.note,
        "version": group.version,
    }


def city_group_list(*, actor: Actor) -> list[dict[str, Any]]:
    policies_require_visible(actor)
    return [city_group_read(g) for g in city_groups()]
