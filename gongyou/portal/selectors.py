"""Reads for the portal. Worker pages pass the signed-in account: every query is scoped to the
account's own worker (never an id taken from the request). Staff queues start from the
policies' visible querysets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from gongyou.accounts.policies import Actor
from gongyou.cases.enums import CaseEventKind, CaseStatus, DeadlineStatus
from gongyou.cases.models import Case, CaseEvent, Deadline
from gongyou.core.errors import NotFound
from gongyou.regions.models import Region
from gongyou.regions.selectors import region_label, region_names
from gongyou.stations.enums import ServiceType
from gongyou.stations.models import Station, Visit
from gongyou.stations.selectors import StationFilter, station_list, station_list_near
from gongyou.workers.enums import ConsentPurpose
from gongyou.workers.models import Consent, SkillCertificate, Worker
from gongyou.workers.selectors import worker_current_consent, worker_merged_ids

from .enums import CorrectionStatus, RegistrationStatus
from .models import CorrectionRequest, PortalAccount, SelfRegistration
from .policies import (
    PUBLIC_DIRECTORY,
    account_require_linked,
    corrections_visible_to,
    self_registrations_visible_to,
)


def _worker_id(account: PortalAccount) -> int:
    """The account's own worker: the only scope of every worker page (404 when unlinked)."""
    account_require_linked(account)
    assert account.worker_id is not None
    return account.worker_id


def my_worker(*, account: PortalAccount) -> Worker:
    return Worker.objects.select_related("current_region", "hukou_region", "occupation").get(
        pk=_worker_id(account)
    )


def my_certificates(*, account: PortalAccount) -> QuerySet[SkillCertificate]:
    return (
        SkillCertificate.objects.filter(worker_id=_worker_id(account))
        .select_related("occupation")
        .order_by("-issued_on", "-id")
    )


def my_pending_registration(*, account: PortalAccount) -> SelfRegistration | None:
    return (
        SelfRegistration.objects.filter(account=account)
        .select_related("current_region")
        .order_by("-created_at", "-id")
        .first()
    )


# --- Cases --------------------------------------------------------------------------------

# What happens next, in plain words, for each status (shown to the worker).
NEXT_STEP: dict[str, Any] = {
    CaseStatus.RECEIVED: _l(
        "A union case handler will check your complaint and contact you, usually within a few working days."
    ),
    CaseStatus.ACCEPTED: _l(
        "Your case was accepted. A case handler is working on it and will contact you."
    ),
    CaseStatus.REJECTED: _l(
        "The union could not take this case. The reason is shown below; ask at a station what else you can do."
    ),
    CaseStatus.MEDIATION: _l(
        "The union is mediating between you and the employer. Keep your evidence and answer the handler's calls."
    ),
    CaseStatus.REFERRED_LABOUR_INSPECTION: _l(
        "Your case was passed to labour inspection, who can order the employer to pay."
    ),
    CaseStatus.REFERRED_ARBITRATION: _l(
        "Your case goes to labour-dispute arbitration. Mind the deadline below."
    ),
    CaseStatus.REFERRED_LEGAL_AID: _l(
        "Your case was passed to legal aid; a lawyer or legal-aid worker will contact you."
    ),
    CaseStatus.REFERRED_COURT: _l("Your case goes to a court. The union can help you prepare."),
    CaseStatus.REFERRED_POLICE: _l(
        "Your case was passed to the police (refusal to pay wages). The union keeps following it."
    ),
    CaseStatus.RESOLVED: _l(
        "Your case is resolved. Tell the handler if the agreement is not kept."
    ),
    CaseStatus.CLOSED: _l("Your case is closed."),
    CaseStatus.REOPENED: _l("Your case was reopened; a case handler will contact you."),
}
WORKER_EVENT_KINDS = (
    CaseEventKind.INTAKE,
    CaseEventKind.TRANSITION,
    CaseEventKind.REFERRAL,
    CaseEventKind.OUTCOME,
    CaseEventKind.ATTACHMENT,
)


def next_step(status: str) -> str:
    return str(NEXT_STEP.get(status, ""))


@dataclass
class MyCase:
    case: Case
    next_step: str
    deadline: Deadline | None
    events: list[CaseEvent] = field(default_factory=list)


def _my_cases_qs(account: PortalAccount) -> QuerySet[Case]:
    account_require_linked(account)
    assert account.worker_id is not None
    ids = worker_merged_ids(worker=Worker(pk=account.worker_id))
    return (
        Case.objects.filter(claimants__worker_id__in=ids)
        .distinct()
        .prefetch_related(
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(status=DeadlineStatus.OPEN).order_by(
                    "due_date", "id"
                ),
                to_attr="open_deadlines",
            )
        )
        .order_by("-received_at", "-id")
    )


def my_cases(*, account: PortalAccount) -> list[MyCase]:
    return [
        MyCase(
            case=c,
            next_step=next_step(c.status),
            deadline=(c.open_deadlines[0] if c.open_deadlines else None),  # type: ignore[attr-defined]
        )
        for c in _my_cases_qs(account)
    ]


def my_case(*, account: PortalAccount, case_id: int) -> MyCase:
    try:
        case = _my_cases_qs(account).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    events = list(
        CaseEvent.objects.filter(case=case, kind__in=WORKER_EVENT_KINDS).order_by("at", "id")
    )
    return MyCase(
        case=case,
        next_step=next_step(case.status),
        deadline=(case.open_deadlines[0] if case.open_deadlines else None),  # type: ignore[attr-defined]
        events=events,
    )


# --- Stations -----------------------------------------------------------------------------


@dataclass
class NearStation:
    station: Station
    distance_km: float | None
    services: list[str]
    region: str


def _near(station: Station, distance: float | None) -> NearStation:
    return NearStation(
        station=station,
        distance_km=distance,
        services=[
            str(ServiceType(s).label) for s in station.services or [] if s in ServiceType.values
        ],
        region=region_label(station.region_id),
    )


def stations_near(
    *,
    lat: float | None = None,
    lng: float | None = None,
    district: str | None = None,
    limit: int = 10,
) -> list[NearStation]:
    """Active stations nearest to a point, or in a district (county, city or province code)."""
    if lat is not None and lng is not None:
        ranked = station_list_near(
            actor=PUBLIC_DIRECTORY, lat=lat, lng=lng, limit=limit, max_km=100.0
        )
        return [_near(s, d) for s, d in ranked]
    if district:
        stations = station_list(actor=PUBLIC_DIRECTORY, filters=StationFilter(region=district))[
            :limit
        ]
        return [_near(s, None) for s in stations]
    return []


def district_search(*, q: str, limit: int = 15) -> list[tuple[str, str]]:
    """Counties and cities whose name contains `q`: (code, full label)."""
    q = q.strip()
    if not q:
        return []
    rows = (
        Region.objects.filter(name__contains=q, level__in=["county", "city"])
        .order_by("level", "code")
        .values_list("code", flat=True)[:limit]
    )
    return [(code, region_label(code)) for code in rows]


def region_choices_near(*, code: str | None) -> list[tuple[str, str]]:
    """The districts of the city around `code` (for a district picker), labelled."""
    if not code:
        return []
    names = region_names()
    city = code[:4] + "00"
    out = [
        (c, name)
        for c, (name, level, parent) in names.items()
        if parent == city and level == "county"
    ]
    return sorted(out)


# --- My data --------------------------------------------------------------------------------


def my_consents(*, account: PortalAccount) -> list[tuple[str, str, Consent | None]]:
    worker = my_worker(account=account)
    current = worker_current_consent(worker=worker)
    return [(p.value, str(p.label), current.get(p.value)) for p in ConsentPurpose]


def my_corrections(*, account: PortalAccount) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(worker_id=_worker_id(account)).order_by(
        "-created_at", "-id"
    )


def my_correction(*, account: PortalAccount, correction_id: int) -> CorrectionRequest:
    try:
        return my_corrections(account=account).get(pk=correction_id)
    except (CorrectionRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def my_data(*, account: PortalAccount) -> dict[str, Any]:
    """Everything the system holds about the worker, as plain JSON-ready data (PIPL Art. 45).
    ID number and mobile appear masked: a station shows them in full on sight of the ID card."""
    worker = my_worker(account=account)
    ids = worker_merged_ids(worker=worker)
    from gongyou.core.models import AuditEvent

    cases = list(_my_cases_qs(account))
    return {
        "exported_at": timezone.now().isoformat(),
        "worker": {
            "name": worker.name,
            "national_id": worker.national_id_masked,
            "sex": worker.sex,
            "birth_date": _iso(worker.birth_date),
            "mobile": worker.phone_masked,
            "hukou_region": {
                "code": worker.hukou_region_id,
                "name": region_label(worker.hukou_region_id),
            },
            "current_region": {
                "code": worker.current_region_id,
                "name": region_label(worker.current_region_id),
            },
            "current_address": worker.current_address,
            "migration_scope": worker.migration_scope,
            "education": worker.education,
            "employment_form": worker.employment_form,
            "industry": worker.industry,
            "occupation": worker.occupation_id,
            "union_member": worker.union_member,
            "union_joined_on": _iso(worker.union_joined_on),
            "registered_at": _iso(worker.created_at),
        },
        "certificates": [
            {
                "kind": c.kind,
                "occupation": c.occupation_id,
                "level": c.level,
                "certificate_no": c.certificate_no,
                "issued_by": c.issuing_organisation,
                "issued_on": _iso(c.issued_on),
                "expires_on": _iso(c.expires_on),
            }
            for c in SkillCertificate.objects.filter(worker_id__in=ids).order_by("issued_on", "id")
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "granted": c.granted,
                "method": c.method,
                "notice_version": c.notice_version,
                "recorded_at": _iso(c.recorded_at),
            }
            for c in Consent.objects.filter(worker_id__in=ids).order_by("recorded_at", "id")
        ],
        "visits": [
            {"at": _iso(v.at), "station": v.station.name, "service": v.service}
            for v in Visit.objects.filter(worker_id__in=ids)
            .select_related("station")
            .order_by("at", "id")
        ],
        "cases": [
            {
                "reference": c.reference,
                "type": c.type,
                "status": c.status,
                "summary": c.summary,
                "description": c.description,
                "received_at": _iso(c.received_at),
                "region": c.region_id,
                "channel": c.channel,
                "timeline": [
                    {"at": _iso(e.at), "kind": e.kind, "summary": e.summary}
                    for e in c.events.filter(kind__in=WORKER_EVENT_KINDS).order_by("at", "id")
                ],
                "open_deadlines": [
                    {"kind": d.kind, "due_date": _iso(d.due_date)}
                    for d in c.open_deadlines  # type: ignore[attr-defined]
                ],
            }
            for c in cases
        ],
        "trainings": [
            {
                "course": e.course.title,
                "starts_on": _iso(e.course.starts_on),
                "ends_on": _iso(e.course.ends_on),
                "status": e.status,
                "applied_at": _iso(e.created_at),
            }
            for e in _trainings(ids)
        ],
        "correction_requests": [
            {
                "field": r.field,
                "requested_value": r.requested_value,
                "explanation": r.explanation,
                "status": r.status,
                "asked_at": _iso(r.created_at),
                "reply": r.reply,
            }
            for r in CorrectionRequest.objects.filter(worker_id__in=ids).order_by(
                "created_at", "id"
            )
        ],
        "portal_account": {
            "mobile": account.phone_masked,
            "created_at": _iso(account.created_at),
            "linked_at": _iso(account.linked_at),
        },
        "history": [
            {"at": _iso(e.at), "action": e.action, "summary": e.summary}
            for e in AuditEvent.objects.filter(worker_id__in=ids)
            .exclude(action="worker.reveal")
            .order_by("at", "id")[:5000]
        ],
    }


# --- Staff queues -------------------------------------------------------------------------


def self_registration_queue(
    *, actor: Actor, status: str | None = RegistrationStatus.PENDING
) -> QuerySet[SelfRegistration]:
    qs = self_registrations_visible_to(actor).select_related(
        "account", "current_region", "hukou_region", "worker", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def self_registration_get(*, actor: Actor, registration_id: int) -> SelfRegistration:
    try:
        return self_registration_queue(actor=actor, status=None).get(pk=registration_id)
    except (SelfRegistration.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def correction_queue(
    *, actor: Actor, status: str | None = CorrectionStatus.OPEN
) -> QuerySet[CorrectionRequest]:
    qs = corrections_visible_to(actor).select_related("worker", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def correction_get(*, actor: Actor, correction_id: int) -> CorrectionRequest:
    try:
        return correction_queue(actor=actor, status=None).get(pk=correction_id)
    except (CorrectionRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def staff_queue_counts(*, actor: Actor) -> dict[str, int]:
    return {
        "registrations": self_registration_queue(actor=actor).count(),
        "corrections": correction_queue(actor=actor).count(),
    }


# --- Training (applying goes through training.services.enrolment_apply_by_worker) ----------


def _trainings(worker_ids: list[int]) -> list[Any]:
    from gongyou.training.models import Enrolment

    return list(
        Enrolment.objects.filter(worker_id__in=worker_ids)
        .select_related("course")
        .order_by("created_at", "id")
    )


def my_trainings(*, account: PortalAccount) -> list[Any]:
    from gongyou.training.models import Enrolment

    return list(
        Enrolment.objects.filter(worker_id=_worker_id(account))
        .select_related("course", "course__provider")
        .order_by("-created_at", "-id")
    )


def open_courses(*, account: PortalAccount, limit: int = 20) -> list[Any]:
    """Courses open for enrolment today in the worker's city (public course information)."""
    from gongyou.training.selectors import CourseFilter, course_list

    worker = my_worker(account=account)
    city = worker.current_region_id[:4] + "00"
    return list(
        course_list(actor=PUBLIC_DIRECTORY, filters=CourseFilter(region=city, open_only=True))[
            :limit
        ]
    )


def applied_course_ids(*, account: PortalAccount) -> set[int]:
    """Courses the worker has a live application or place on (to show "Applied" not a button)."""
    from gongyou.training.enums import INACTIVE
    from gongyou.training.models import Enrolment

    return set(
        Enrolment.objects.filter(worker_id=_worker_id(account))
        .exclude(status__in=INACTIVE)
        .values_list("course_id", flat=True)
    )


# --- Where can I settle (the settlement engine, for the worker's own record) ------------------


SETTLE_TOP = 3


@dataclass
class SettleCity:
    """One city's answer in short sentences for a phone."""

    city: str
    name: str
    outcome: str
    outcome_label: str
    route_label: str
    met: list[dict[str, Any]]
    unmet: list[dict[str, Any]]
    to_check: list[dict[str, Any]]
    points: dict[str, Any] | None
    policy: dict[str, Any] | None
    trust_label: str
    steps: list[str]
    note: str
    eligible_on: str | None
    reasons: list[str]
    national_source: str


def _settle_city(answer: dict[str, Any]) -> SettleCity:
    from gongyou.settlement.enums import ConditionStatus, Outcome, Route, Trust

    policy = answer.get("policy")
    route = (policy or {}).get("route") or answer.get("national_route") or ""
    trust = (policy or {}).get("trust") or ""
    conditions = answer.get("conditions") or []
    return SettleCity(
        city=answer["city"],
        name=answer.get("city_name") or answer["city"],
        outcome=answer["outcome"],
        outcome_label=str(Outcome(answer["outcome"]).label),
        route_label=str(Route(route).label) if route in Route.values else "",
        met=[c for c in conditions if c["status"] == ConditionStatus.MET],
        unmet=[c for c in conditions if c["status"] == ConditionStatus.UNMET],
        to_check=[c for c in conditions if c["status"] == ConditionStatus.UNKNOWN],
        points=answer.get("points"),
        policy=policy,
        trust_label=str(Trust(trust).label) if trust in Trust.values else "",
        steps=list(answer.get("path") or []),
        note=answer.get("note") or "",
        eligible_on=answer.get("eligible_on"),
        reasons=[str(r) for r in answer.get("reasons") or []],
        national_source=answer.get("national_source") or "",
    )


def my_settlement(*, account: PortalAccount, day: dt.date | None = None) -> dict[str, Any]:
    """The settlement engine's answer for the worker's own record: the current city and the
    best SETTLE_TOP other candidate cities."""
    from gongyou.settlement.selectors import eligibility_ranking_for_worker

    worker = my_worker(account=account)
    ranking = eligibility_ranking_for_worker(worker=worker, day=day, limit=SETTLE_TOP)
    current = ranking["current"]
    return {
        "as_of": ranking["as_of"],
        "hukou_label": ranking["hukou_label"],
        "lives_in_hukou_city": current is None
        and ranking["current_city"] is not None
        and ranking["current_city"] == ranking["hukou_city"],
        "current": _settle_city(current) if current else None,
        "top": [_settle_city(a) for a in ranking["top"]],
    }


# --- Jobs for me (the jobs app's ranking, for the worker's own record) ------------------------


def my_jobs(*, account: PortalAccount, limit: int = 30) -> list[Any]:
    from gongyou.jobs.selectors import vacancies_for_worker

    return vacancies_for_worker(worker=my_worker(account=account), limit=limit)


def my_job_applications(*, account: PortalAccount) -> list[Any]:
    from gongyou.jobs.models import Referral

    return list(
        Referral.objects.filter(worker_id=_worker_id(account))
        .select_related("vacancy", "vacancy__employer")
        .order_by("-created_at", "-id")[:20]
    )
