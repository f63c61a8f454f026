"""Reads of public-service data, and the answer "what can this worker (and family) use here".

The answer reuses the settlement engine: a catalogue version becomes an `engine.PolicyRules`
(route "no restriction" when the version is open to every resident, "conditions" otherwise), the
worker's facts come from `settlement.selectors.worker_facts_load`, and for a service for a child
the facts carry the child's birth date, so an `age` condition applies to the child while the
residence, permit and insurance conditions read the parent's record. A version that
`needs_points` adds one condition: the outcome of the city's settlement policy of purpose
`services` (Shanghai's residence-permit points) from the same engine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.errors import NotFound
from gongyou.regions.selectors import region_label, region_range_q
from gongyou.settlement import bulk as settlement_bulk
from gongyou.settlement import engine
from gongyou.settlement import selectors as settlement
from gongyou.settlement.enums import ConditionStatus, Outcome, Purpose, Route
from gongyou.workers.models import Worker
from gongyou.workers.selectors import worker_get

from .enums import (
    OPEN_REFERRALS,
    REGISTRATION_TRANSITIONS,
    Availability,
    Beneficiary,
    RegistrationStatus,
    Relation,
    VersionStatus,
)
from .models import (
    Activity,
    ActivityRegistration,
    FamilyMember,
    PublicService,
    Referral,
    ServiceVersion,
)
from .policies import (
    activities_visible_to,
    activity_can_manage,
    activity_transitions_now,
    catalogue_require_visible,
    family_require_visible,
    indicators_require_visible,
    referrals_visible_to,
    registrations_visible_to,
)

OUTCOME_TO_AVAILABILITY = {
    Outcome.ELIGIBLE: Availability.USABLE,
    Outcome.SUBJECT_TO_CHECKS: Availability.SUBJECT_TO_CHECKS,
    Outcome.NOT_YET: Availability.NOT_YET,
    Outcome.NOT_ELIGIBLE: Availability.NOT_ELIGIBLE,
    Outcome.UNKNOWN: Availability.UNKNOWN,
    Outcome.NO_POLICY: Availability.UNKNOWN,
}
AVAILABILITY_RANK = {
    Availability.USABLE: 0,
    Availability.SUBJECT_TO_CHECKS: 1,
    Availability.NOT_YET: 2,
    Availability.UNKNOWN: 3,
    Availability.NOT_ELIGIBLE: 4,
}
today = settlement.today
city_of = settlement.city_of
city_name = settlement.city_name


# -- catalogue -------------------------------------------------------------------------------


@dataclass
class CatalogueFilter:
    city: str | None = None
    kind: str | None = None
    q: str | None = None


def service_list(
    *, actor: Actor, filters: CatalogueFilter | None = None
) -> QuerySet[PublicService]:
    catalogue_require_visible(actor)
    f = filters or CatalogueFilter()
    qs = PublicService.objects.select_related("city")
    if f.city:
        qs = qs.filter(Q(city_id=f.city) | Q(city__name__contains=f.city))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.q:
        qs = qs.filter(name__icontains=f.q)
    return qs.order_by("city_id", "kind", "name")


def service_get(*, actor: Actor, service_id: int) -> PublicService:
    catalogue_require_visible(actor)
    service = PublicService.objects.select_related("city").filter(pk=service_id).first()
    if service is None:
        raise NotFound()
    return service


def service_versions(*, service: PublicService) -> QuerySet[ServiceVersion]:
    return service.versions.select_related("department", "created_by").order_by("-number")


def version_get(*, actor: Actor, version_id: int) -> ServiceVersion:
    catalogue_require_visible(actor)
    version = (
        ServiceVersion.objects.select_related("service", "service__city", "department")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise NotFound()
    return version


def _in_force(day: dt.date) -> Q:
    return Q(status=VersionStatus.PUBLISHED, effective_from__lte=day) & (
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )


def versions_in_force(
    *, city: str | None = None, day: dt.date | None = None
) -> list[ServiceVersion]:
    """The catalogue of a city (or every city) on a day: one version per service."""
    qs = ServiceVersion.objects.select_related("service", "service__city", "department").filter(
        _in_force(day or today())
    )
    if city:
        qs = qs.filter(service__city_id=city)
    return list(qs.order_by("service__city_id", "service__kind", "service__name"))


def version_in_force(
    *, service: PublicService, day: dt.date | None = None
) -> ServiceVersion | None:
    return (
        ServiceVersion.objects.select_related("service", "service__city", "department")
        .filter(_in_force(day or today()), service=service)
        .order_by("-effective_from")
        .first()
    )


def version_read(version: ServiceVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "service_id": version.service_id,
        "number": version.number,
        "status": version.status,
        "beneficiary": version.beneficiary,
        "department_id": version.department_id,
        "department": version.department_label,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "open_to_all": version.open_to_all,
        "conditions": version.conditions,
        "needs_points": version.needs_points,
        "documents": version.documents,
        "how_to_apply": version.how_to_apply,
        "source": version.source,
        "trust": version.trust,
        "summary": version.summary,
        "version": version.version,
        "published_at": version.published_at,
    }


def service_read(*, service: PublicService, day: dt.date | None = None) -> dict[str, Any]:
    current = version_in_force(service=service, day=day)
    return {
        "id": service.pk,
        "city": service.city_id,
        "city_name": service.city.name,
        "kind": service.kind,
        "kind_label": service.get_kind_display(),
        "name": service.name,
        "in_force": version_read(current) if current else None,
        "versions": [version_read(v) for v in service_versions(service=service)],
    }


# -- family ----------------------------------------------------------------------------------


def worker_for_services(*, actor: Actor, worker_id: int) -> Worker:
    worker = worker_get(actor=actor, worker_id=worker_id)
    family_require_visible(actor, worker)
    return worker


def family_list(*, worker: Worker) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.filter(worker=worker).order_by("relation", "birth_date", "id")


def family_member_get(*, worker: Worker, member_id: int) -> FamilyMember:
    member = FamilyMember.objects.filter(worker=worker, pk=member_id).first()
    if member is None:
        raise NotFound()
    return member


def age_of(member: FamilyMember, day: dt.date) -> int | None:
    return engine.age_on(member.birth_date, day) if member.birth_date else None


# -- the answer ------------------------------------------------------------------------------


def rules_for(version: ServiceVersion) -> engine.PolicyRules:
    """A catalogue version as the engine's input (no points items: points come from the city's
    `services` settlement policy when `needs_points`)."""
    service = version.service
    return engine.PolicyRules(
        version_id=version.pk,
        number=version.number,
        policy_id=service.pk,
        policy_name=service.name,
        city=service.city_id,
        city_name=service.city.name,
        purpose="public_service",
        route=Route.NO_RESTRICTION if version.open_to_all else Route.CONDITIONS,
        conditions=list(version.conditions or []),
        points_items=[],
        pass_mark=None,
        last_cutoff=None,
        cutoff_year=None,
        source=version.source,
        trust=version.trust,
        effective_from=version.effective_from,
        effective_to=version.effective_to,
    )


def _points_condition(points_answer: dict[str, Any]) -> dict[str, Any]:
    """The city's residence-permit points answer folded into one condition result."""
    outcome = points_answer["outcome"]
    policy = points_answer.get("policy") or {}
    pts = points_answer.get("points") or {}
    if outcome in (Outcome.ELIGIBLE, Outcome.SUBJECT_TO_CHECKS):
        status = ConditionStatus.MET
    elif outcome in (Outcome.NOT_YET, Outcome.NOT_ELIGIBLE):
        status = ConditionStatus.UNMET
    else:
        status = ConditionStatus.UNKNOWN
    total, mark = pts.get("total"), pts.get("pass_mark") or pts.get("last_cutoff")
    if outcome == Outcome.NO_POLICY:
        explanation = _("The city's residence-permit points scheme is not recorded.")
        missing = _("staff to check the residence-permit points level with the city")
    else:
        explanation = _(
            "Residence-permit points: %(total)s against the standard score %(mark)s (%(outcome)s)."
        ) % {
            "total": total if total is not None else "?",
            "mark": mark if mark is not None else "?",
            "outcome": Outcome(outcome).label,
        }
        missing = "; ".join(points_answer.get("path") or []) or _(
            "reach the residence-permit points standard score"
        )
    return {
        "type": "points_level",
        "label": _("Residence-permit points reach the standard score (%(policy)s)")
        % {"policy": policy.get("policy") or _("not recorded")},
        "progress": 1.0 if status != ConditionStatus.UNMET else 0.0,
        "status": status,
        "explanation": explanation,
        "missing": missing if status != ConditionStatus.MET else "",
        "blocking": outcome == Outcome.NOT_ELIGIBLE,
        "have": total,
        "need": mark,
        "trust": policy.get("trust") or "U",
        "source": policy.get("source") or "",
        "met_on": points_answer.get("eligible_on"),
        "points_policy_version": policy.get("version_id"),
    }


def _outcome(version: ServiceVersion, conditions: list[dict[str, Any]]) -> str:
    if version.open_to_all:
        return Availability.USABLE
    if not conditions:
        return Availability.UNKNOWN  # conditions not recorded yet
    if any(c["blocking"] for c in conditions):
        return Availability.NOT_ELIGIBLE
    statuses = {c["status"] for c in conditions}
    if ConditionStatus.UNMET in statuses:
        return Availability.NOT_YET
    if ConditionStatus.UNKNOWN in statuses:
        return Availability.SUBJECT_TO_CHECKS
    return Availability.USABLE


def service_answer(
    *,
    version: ServiceVersion,
    facts: engine.WorkerFacts,
    day: dt.date,
    points_answer: dict[str, Any] | None = None,
    member: FamilyMember | None = None,
) -> dict[str, Any]:
    """One service for one person: availability, every condition, what is missing, documents."""
    answer = engine.evaluate(facts, rules_for(version), day, project=True)
    conditions = list(answer["conditions"])
    if version.needs_points and points_answer is not None:
        conditions.append(_points_condition(points_answer))
    availability = _outcome(version, conditions)
    missing = [
        c["missing"] for c in conditions if c["status"] != ConditionStatus.MET and c["missing"]
    ]
    if availability == Availability.UNKNOWN and not conditions:
        missing = [
            _("the conditions of this service are not recorded: ask %(dept)s")
            % {"dept": version.department_label or _("the responsible department")}
        ]
    eligible_on = answer.get("eligible_on") if availability == Availability.NOT_YET else None
    if version.needs_points and availability == Availability.NOT_YET and points_answer:
        unmet_own = [c for c in answer["conditions"] if c["status"] == ConditionStatus.UNMET]
        eligible_on = None if unmet_own else points_answer.get("eligible_on")
    return {
        "service_id": version.service_id,
        "service": version.service.name,
        "kind": version.service.kind,
        "kind_label": version.service.get_kind_display(),
        "version_id": version.pk,
        "version_number": version.number,
        "beneficiary": version.beneficiary,
        "member_id": member.pk if member else None,
        "member_name": member.name if member else "",
        "availability": availability,
        "availability_label": str(Availability(availability).label),
        "conditions": conditions,
        "missing": missing,
        "eligible_on": eligible_on,
        "documents": list(version.documents or []),
        "how_to_apply": version.how_to_apply,
        "department": version.department_label,
        "department_id": version.department_id,
        "trust": version.trust,
        "source": version.source,
    }


def _children(worker: Worker) -> list[FamilyMember]:
    return [
        m
        for m in family_list(worker=worker)
        if m.relation == Relation.CHILD and m.birth_date is not None
    ]


def services_for_worker(
    *, worker: Worker, day: dt.date | None = None, city: str | None = None
) -> dict[str, Any]:
    """Every service in force in the worker's current city, for the worker and each child."""
    day = day or today()
    code = city or city_of(worker.current_region_id)
    base = {
        "worker_id": worker.pk,
        "worker_name": worker.name,
        "city": code or "",
        "city_name": city_name(code) if code else "",
        "as_of": day.isoformat(),
    }
    if not code:
        return {
            **base,
            "usable": [],
            "not_yet": [],
            "unknown": [],
            "documents": [],
            "note": _("The worker's current region is not inside a prefecture-level city."),
        }
    facts = settlement.worker_facts_load(worker=worker)
    versions = versions_in_force(city=code, day=day)
    points_answer = None
    if any(v.needs_points for v in versions):
        points_answer = settlement.answer_for(
            facts=facts, city=code, day=day, purpose=Purpose.SERVICES
        )
    children = _children(worker)
    answers: list[dict[str, Any]] = []
    for version in versions:
        if version.beneficiary == Beneficiary.CHILD:
            for child in children:
                assert child.birth_date is not None  # _children keeps only dated children
                child_facts = dataclasses.replace(facts, birth_date=child.birth_date)
                answers.append(
                    service_answer(
                        version=version,
                        facts=child_facts,
                        day=day,
                        points_answer=points_answer,
                        member=child,
                    )
                )
        else:
            answers.append(
                service_answer(version=version, facts=facts, day=day, points_answer=points_answer)
            )
    answers.sort(key=lambda a: (AVAILABILITY_RANK[a["availability"]], a["kind"], a["member_name"]))
    usable = [
        a
        for a in answers
        if a["availability"] in (Availability.USABLE, Availability.SUBJECT_TO_CHECKS)
    ]
    not_yet = [
        a for a in answers if a["availability"] in (Availability.NOT_YET, Availability.NOT_ELIGIBLE)
    ]
    unknown = [a for a in answers if a["availability"] == Availability.UNKNOWN]
    documents: list[str] = []
    for a in usable:
        for d in a["documents"]:
            if d not in documents:
                documents.append(d)
    note = ""
    if not versions:
        note = _("No public services are recorded for %(city)s yet.") % {"city": base["city_name"]}
    child_services = [v for v in versions if v.beneficiary == Beneficiary.CHILD]
    if child_services and not children:
        note = _(
            "Services for children are listed for the city; register the worker's children (with birth dates) to check them."
        )
    return {
        **base,
        "usable": usable,
        "not_yet": not_yet,
        "unknown": unknown,
        "documents": documents,
        "note": note,
        "child_services": [v.service.name for v in child_services] if not children else [],
    }


def services_for_worker_text(answer: dict[str, Any]) -> str:
    """A plain-text version the worker can receive (SMS, chat): short lines, no markup."""
    lines = [
        _("Public services in %(city)s for %(name)s (as of %(day)s)")
        % {"city": answer["city_name"], "name": answer["worker_name"], "day": answer["as_of"]},
        "",
    ]

    def who(a: dict[str, Any]) -> str:
        return f" [{a['member_name']}]" if a["member_name"] else ""

    if answer["usable"]:
        lines.append(_("You can use now:"))
        for a in answer["usable"]:
            extra = (
                _(" (subject to checks)")
                if a["availability"] == Availability.SUBJECT_TO_CHECKS
                else ""
            )
            lines.append(f"- {a['service']}{who(a)}{extra}")
            if a["department"]:
                lines.append("  " + _("Where: %(dept)s") % {"dept": a["department"]})
            if a["how_to_apply"]:
                lines.append("  " + _("How: %(how)s") % {"how": a["how_to_apply"]})
        lines.append("")
    if answer["not_yet"]:
        lines.append(_("Not yet:"))
        for a in answer["not_yet"]:
            lines.append(f"- {a['service']}{who(a)}")
            for m in a["missing"]:
                lines.append(f"  · {m}")
            if a["eligible_on"]:
                lines.append(
                    "  "
                    + _("Expected from %(day)s if things continue as now")
                    % {"day": a["eligible_on"]}
                )
        lines.append("")
    if answer["unknown"]:
        lines.append(_("Ask the department (conditions not recorded):"))
        for a in answer["unknown"]:
            dept = f" — {a['department']}" if a["department"] else ""
            lines.append(f"- {a['service']}{who(a)}{dept}")
        lines.append("")
    if answer["documents"]:
        lines.append(_("Documents to bring:"))
        lines.extend(f"- {d}" for d in answer["documents"])
    if answer["note"]:
        lines.extend(["", answer["note"]])
    return "\n".join(lines).strip() + "\n"


# -- referrals -------------------------------------------------------------------------------


@dataclass
class ReferralFilter:
    status: str | None = None
    city: str | None = None
    service_kind: str | None = None
    worker_id: int | None = None
    queue: bool = False  # only referrals to the actor's own organisation


def referral_list(*, actor: Actor, filters: ReferralFilter | None = None) -> QuerySet[Referral]:
    f = filters or ReferralFilter()
    qs = referrals_visible_to(actor).select_related(
        "worker", "family_member", "service", "department", "city"
    )
    if f.queue:
        qs = qs.filter(department_id=actor.organisation_id) if actor.organisation_id else qs.none()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.city:
        qs = qs.filter(city_id=f.city)
    if f.service_kind:
        qs = qs.filter(service__kind=f.service_kind)
    if f.worker_id:
        qs = qs.filter(worker_id=f.worker_id)
    return qs.order_by("-created_at", "-id")


def referral_get(*, actor: Actor, referral_id: int) -> Referral:
    referral = (
        referrals_visible_to(actor)
        .select_related(
            "worker", "family_member", "service", "service_version", "department", "city"
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise NotFound()
    return referral


def queue_count(*, actor: Actor) -> int:
    if not actor.organisation_id:
        return 0
    return Referral.objects.filter(
        department_id=actor.organisation_id, status__in=OPEN_REFERRALS
    ).count()


# -- indicators ------------------------------------------------------------------------------


def indicator_referrals_by_outcome(
    *, actor: Actor, start: dt.date | None = None, end: dt.date | None = None
) -> list[dict[str, Any]]:
    """Referrals made, by city, service kind and status (for the indicators app)."""
    indicators_require_visible(actor)
    qs = Referral.objects.filter(actor.region_q("city"))
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    rows = qs.values("city_id", "service__kind", "status").annotate(n=Count("id"))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["city_id"], r["service__kind"])
        row = out.setdefault(
            key,
            {
                "city": key[0],
                "city_name": city_name(key[0]),
                "service_kind": key[1],
                "made": 0,
                "by_status": {},
            },
        )
        row["made"] += r["n"]
        row["by_status"][r["status"]] = r["n"]
    for row in out.values():
        row["granted"] = row["by_status"].get("granted", 0)
    return sorted(out.values(), key=lambda r: (r["city"], r["service_kind"]))


USABLE_LIMIT = 20_000


def indicator_services_usable(
    *, actor: Actor, city: str, day: dt.date | None = None, limit: int = USABLE_LIMIT
) -> list[dict[str, Any]]:
    """For each service in force in `city`: how many of the registered workers living there can
    use it now (for a child service: workers with at least one child who can), of how many.

    Set-based where the answer does not depend on the worker: a version open to every resident
    is usable by all of them, one whose conditions are not recorded by none (it answers "cannot
    tell"). Only versions with conditions run the engine, on the facts of the first `limit`
    workers by registry number, read in chunks (settlement.bulk: one query per table per 2 000
    workers, not per worker); `evaluated` says on how many, and `share` is over those."""
    indicators_require_visible(actor)
    day = day or today()
    versions = versions_in_force(city=city, day=day)
    workers = Worker.objects.filter(
        actor.region_q("current_region"), merged_into_id__isnull=True
    ).filter(region_range_q("current_region", region_prefix(city)))
    total = workers.count()
    conditioned = [v for v in versions if not v.open_to_all and (v.conditions or v.needs_points)]
    counts: Counter[int] = Counter()
    evaluated = 0
    if conditioned and total:
        rows = (
            r
            for r in workers.order_by("id")
            .values_list("id", "birth_date", "education", "current_region_id", "hukou_region_id")
            .iterator(chunk_size=2000)
            if city_of(r[3]) == city
        )
        sample = list(itertools.islice(rows, limit))
        evaluated = len(sample)
        children: dict[int, list[FamilyMember]] = {}
        if any(v.beneficiary == Beneficiary.CHILD for v in conditioned):
            for kid in FamilyMember.objects.filter(
                worker_id__in=[r[0] for r in sample],
                relation=Relation.CHILD,
                birth_date__isnull=False,
            ).order_by("id"):
                children.setdefault(kid.worker_id, []).append(kid)
        points_version = None
        if any(v.needs_points for v in conditioned):
            points_version = settlement.version_in_force(
                city=city, purpose=Purpose.SERVICES, day=day
            )
        for facts in settlement_bulk.facts_for_workers(sample):
            points = None
            if points_version is not None:
                points = settlement.answer_for(
                    facts=facts, city=city, day=day, version=points_version
                )
            elif any(v.needs_points for v in conditioned):
                points = settlement.answer_for(
                    facts=facts, city=city, day=day, purpose=Purpose.SERVICES
                )
            for version in conditioned:
                people: list[FamilyMember | None] = [None]
                if version.beneficiary == Beneficiary.CHILD:
                    people = [*children.get(facts.worker_id, [])]
                for member in people:
                    person = facts  # the child's age for a child service, else the worker's
                    if member is not None:
                        assert member.birth_date is not None
                        person = dataclasses.replace(facts, birth_date=member.birth_date)
                    answer = service_answer(
                        version=version, facts=person, day=day, points_answer=points, member=member
                    )
                    if answer["availability"] in (
                        Availability.USABLE,
                        Availability.SUBJECT_TO_CHECKS,
                    ):
                        counts[version.pk] += 1
                        break
    out = []
    for v in versions:
        if v.open_to_all:
            base, usable = total, total
        elif v in conditioned:
            base, usable = evaluated, counts[v.pk]
        else:
            base, usable = total, 0
        out.append(
            {
                "service_id": v.service_id,
                "service": v.service.name,
                "kind": v.service.kind,
                "beneficiary": v.beneficiary,
                "recorded": v.open_to_all or v in conditioned,
                "workers": total,
                "evaluated": base,
                "usable": usable,
                "share": round(usable / base, 4) if base else None,
            }
        )
    return out


def family_member_read(member: FamilyMember, day: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": member.pk,
        "relation": member.relation,
        "name": member.name,
        "birth_date": member.birth_date,
        "age": age_of(member, day or today()),
        "school_stage": member.school_stage,
        "lives_with_worker": member.lives_with_worker,
        "note": member.note,
        "version": member.version,
    }


def referral_allowed(*, actor: Actor, referral: Referral) -> list[str]:
    """The statuses this actor may move the referral to now (for buttons and the API)."""
    from .enums import REFERRAL_TRANSITIONS
    from .policies import referral_can_transition

    return [
        s
        for s in REFERRAL_TRANSITIONS[referral.status]
        if referral_can_transition(actor, referral, s)
    ]


def referral_read(*, actor: Actor, referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "worker_id": referral.worker_id,
        "worker_name": referral.worker.name,
        "family_member_id": referral.family_member_id,
        "family_member_name": referral.family_member.name if referral.family_member_id else "",  # type: ignore[union-attr]
        "service_id": referral.service_id,
        "service": referral.service.name,
        "service_version_id": referral.service_version_id,
        "city": referral.city_id,
        "department_id": referral.department_id,
        "department": referral.department_label,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "availability": referral.availability,
        "note": referral.note,
        "reason": referral.reason,
        "outcome_note": referral.outcome_note,
        "outcome_at": referral.outcome_at,
        "created_at": referral.created_at,
        "version": referral.version,
        "allowed": sorted(referral_allowed(actor=actor, referral=referral)),
    }


# -- integration activities ------------------------------------------------------------------


@dataclass
class ActivityFilter:
    kind: str | None = None
    status: str | None = None
    region: str | None = None  # a region code: the activity's region lies in its subtree
    audience: str | None = None
    start: dt.date | None = None  # activities starting on or after this day
    end: dt.date | None = None  # ... and on or before this day
    q: str | None = None


def activity_list(*, actor: Actor, filters: ActivityFilter | None = None) -> QuerySet[Activity]:
    f = filters or ActivityFilter()
    qs = activities_visible_to(actor).select_related("organiser", "station", "region")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.audience:
        qs = qs.filter(audience=f.audience)
    if f.region:
        qs = qs.filter(region_range_q("region_id", region_prefix(f.region)))
    if f.start:
        qs = qs.filter(starts_at__gte=day_start(f.start))
    if f.end:
        qs = qs.filter(starts_at__lt=day_start(f.end + dt.timedelta(days=1)))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(venue__icontains=f.q))
    return qs.order_by("-starts_at", "-id")


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def activity_get(*, actor: Actor, activity_id: int) -> Activity:
    activity = (
        activities_visible_to(actor)
        .select_related("organiser", "station", "region")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise NotFound()
    return activity


def activity_registrations(*, activity: Activity) -> QuerySet[ActivityRegistration]:
    return activity.registrations.select_related("worker", "family_member").order_by(
        "created_at", "id"
    )


def registration_get(*, actor: Actor, registration_id: int) -> ActivityRegistration:
    registration = (
        registrations_visible_to(actor)
        .select_related("activity", "worker", "family_member")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        raise NotFound()
    return registration


def activity_list_counted(
    *, actor: Actor, filters: ActivityFilter | None = None
) -> QuerySet[Activity]:
    """`activity_list` with each activity's waiting, attended and feedback counts annotated, so
    a page of activities read by `activity_read` costs one query, not one per activity."""
    reg = "registrations"
    return activity_list(actor=actor, filters=filters).annotate(
        n_waiting=Count(reg, filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        n_attended=Count(reg, filter=Q(registrations__status=RegistrationStatus.ATTENDED)),
        n_rated=Count("registrations__rating"),
        n_stars=Sum("registrations__rating"),
    )


def activity_summary(*, activity: Activity) -> dict[str, Any]:
    """Counts by registration status, the waiting list and the feedback (one query, or none
    when `activity_list_counted` annotated them)."""
    counted: Any = activity
    if hasattr(counted, "n_waiting"):
        rated, stars = counted.n_rated, counted.n_stars or 0
        return {
            "waiting": counted.n_waiting,
            "attended": counted.n_attended,
            "feedback_count": rated,
            "rating_average": round(stars / rated, 2) if rated else None,
        }
    rows = activity.registrations.values("status").annotate(
        n=Count("id"), rated=Count("rating"), stars=Sum("rating")
    )
    by_status = {s: 0 for s in RegistrationStatus.values}
    rated = stars = 0
    for r in rows:
        by_status[r["status"]] = r["n"]
        rated += r["rated"]
        stars += r["stars"] or 0
    return {
        "by_status": by_status,
        "waiting": by_status[RegistrationStatus.WAITLISTED],
        "attended": by_status[RegistrationStatus.ATTENDED],
        "feedback_count": rated,
        "rating_average": round(stars / rated, 2) if rated else None,
    }


def activity_read(*, actor: Actor, activity: Activity) -> dict[str, Any]:
    summary = activity_summary(activity=activity)
    can_manage = activity_can_manage(actor, activity)
    return {
        "id": activity.pk,
        "kind": activity.kind,
        "kind_label": activity.get_kind_display(),
        "title": activity.title,
        "description": activity.description,
        "organiser_id": activity.organiser_id,
        "organiser": activity.organiser.name,
        "station_id": activity.station_id,
        "station": activity.station.name if activity.station_id else "",  # type: ignore[union-attr]
        "region": activity.region_id,
        "region_label": region_label(activity.region_id),
        "venue": activity.venue,
        "address": activity.address,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "places": activity.places,
        "places_taken": activity.places_taken,
        "places_free": activity.places_free,
        "waiting_list": activity.waiting_list,
        "waiting": summary["waiting"],
        "registration_opens_on": activity.registration_opens_on,
        "registration_closes_on": activity.registration_closes_on,
        "audience": activity.audience,
        "child_age_min": activity.child_age_min,
        "child_age_max": activity.child_age_max,
        "status": activity.status,
        "status_label": activity.get_status_display(),
        "cancel_reason": activity.cancel_reason,
        "attended": summary["attended"],
        "feedback_count": summary["feedback_count"],
        "rating_average": summary["rating_average"],
        "version": activity.version,
        "allowed": activity_transitions_now(activity) if can_manage else [],
    }


def registration_read(registration: ActivityRegistration) -> dict[str, Any]:
    member = registration.family_member
    return {
        "id": registration.pk,
        "activity_id": registration.activity_id,
        "worker_id": registration.worker_id,
        "worker_name": registration.worker.name,
        "family_member_id": registration.family_member_id,
        "family_member_name": member.name if member else "",
        "status": registration.status,
        "status_label": registration.get_status_display(),
        "holds_place": registration.holds_place,
        "note": registration.note,
        "reason": registration.reason,
        "attendance_at": registration.attendance_at,
        "rating": registration.rating,
        "comment": registration.comment,
        "feedback_at": registration.feedback_at,
        "created_at": registration.created_at,
        "version": registration.version,
        "allowed": sorted(REGISTRATION_TRANSITIONS[registration.status]),
    }


def worker_activities(*, actor: Actor, worker: Worker) -> QuerySet[ActivityRegistration]:
    """The worker's registrations (and their children's) in activities the actor can see."""
    return (
        registrations_visible_to(actor)
        .filter(worker=worker)
        .select_related("activity", "family_member")
        .order_by("-activity__starts_at", "-id")
    )


def indicator_activity_participation(
    *, actor: Actor, start: dt.date, end: dt.date, prefix: str = ""
) -> QuerySet[ActivityRegistration]:
    """Registrations (not cancelled) in visible activities starting in the period, in the
    region subtree `prefix` — the indicators app groups them by kind and region."""
    indicators_require_visible(actor)
    activities = activity_list(actor=actor, filters=ActivityFilter(start=start, end=end))
    if prefix:
        activities = activities.filter(region_range_q("region_id", prefix))
    return ActivityRegistration.objects.filter(activity__in=activities.values("pk")).exclude(
        status=RegistrationStatus.CANCELLED
    )
