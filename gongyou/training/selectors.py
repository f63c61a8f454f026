"""Reads of training records, always from the policy's scoped querysets: course search,
enrolments, claim totals, progress against targets, the eligibility answer, a worker's pathway."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor, region_prefix
from gongyou.classifications.enums import CertificateKind, EducationLevel, SkillLevel
from gongyou.classifications.selectors import occupation_names
from gongyou.core.errors import FieldErrors, NotFound
from gongyou.regions.selectors import region_label, region_range_q
from gongyou.workers.models import Worker
from gongyou.workers.selectors import worker_certificates, worker_get, worker_timeline

from .eligibility import EligibilityAnswer, evaluate
from .enums import (
    CLAIM_TRANSITIONS,
    COMPLETED,
    ENROLMENT_TRANSITIONS,
    FUNDED,
    STUDY_TRANSITIONS,
    TRAINED,
    ClaimStatus,
    DiplomaKind,
    EnrolmentStatus,
)
from .models import (
    Campaign,
    CampaignTarget,
    Course,
    EligibilityRule,
    Enrolment,
    Institution,
    Programme,
    StudyEnrolment,
    SubsidyClaim,
)
from .policies import (
    campaigns_visible_to,
    claims_visible_to,
    courses_visible_to,
    enrolments_visible_to,
    study_visible_to,
)
from .services.common import clean_int


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


# --- Campaigns ---------------------------------------------------------------------------------


def campaign_list(
    *, actor: Actor, kind: str | None = None, q: str | None = None
) -> QuerySet[Campaign]:
    qs = campaigns_visible_to(actor).select_related("lead_organisation", "region")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__contains=q.strip())
    return qs.order_by("-starts_on", "-id")


def campaign_get(*, actor: Actor, campaign_id: Any) -> Campaign:
    return _get(
        campaigns_visible_to(actor)
        .select_related("lead_organisation", "region")
        .prefetch_related("co_organisers"),
        campaign_id,
    )


def campaign_targets(*, campaign: Campaign) -> QuerySet[CampaignTarget]:
    return campaign.targets.order_by("region_id")


@dataclass
class ProgressRow:
    region: str
    region_name: str
    targets: dict[str, int]
    actual: dict[str, int]

    @property
    def cells(self) -> list[tuple[str, int, int, int | None]]:
        """(measure, target, actual, percent of target) in a fixed order."""
        out = []
        for key in ("trained", "completed", "certified", "funded_study"):
            target, actual = self.targets.get(key, 0), self.actual.get(key, 0)
            out.append((key, target, actual, round(actual * 100 / target) if target else None))
        return out


def _counts(campaign: Campaign, prefix: str) -> dict[str, int]:
    enrolments = Enrolment.objects.filter(course__campaign=campaign)
    studies = StudyEnrolment.objects.filter(programme__campaign=campaign)
    if prefix:
        enrolments = enrolments.filter(region_range_q("course__region_id", prefix))
        studies = studies.filter(region_range_q("region_id", prefix))
    people = enrolments.aggregate(
        trained=Count("worker", distinct=True, filter=Q(status__in=TRAINED)),
        completed=Count("worker", distinct=True, filter=Q(status__in=COMPLETED)),
        certified=Count("worker", distinct=True, filter=Q(status=EnrolmentStatus.CERTIFIED)),
    )
    people["funded_study"] = studies.filter(status__in=FUNDED, subsidy__gt=0).aggregate(
        n=Count("worker", distinct=True)
    )["n"]
    return {k: int(v or 0) for k, v in people.items()}


def campaign_progress(*, actor: Actor, campaign: Campaign) -> list[ProgressRow]:
    """Targets and what the records show, per target region (and the whole campaign first).
    Trained = started training (not withdrawn or dropped); completed = finished the hours;
    certified = got the certificate; funded for study = admitted with a union subsidy. People
    are counted once per measure even if they took several courses."""
    rows = []
    targets = list(campaign_targets(campaign=campaign))
    total_targets = {
        k: sum(getattr(t, k) for t in targets)
        for k in ("trained", "completed", "certified", "funded_study")
    }
    rows.append(
        ProgressRow(
            region=campaign.region_id or "",
            region_name=_("Whole campaign"),
            targets=total_targets,
            actual=_counts(campaign, region_prefix(campaign.region_id)),
        )
    )
    for t in targets:
        if not actor.covers_region(t.region_id) and actor.region_prefix:
            continue
        rows.append(
            ProgressRow(
                region=t.region_id,
                region_name=region_label(t.region_id),
                targets={k: getattr(t, k) for k in total_targets},
                actual=_counts(campaign, region_prefix(t.region_id)),
            )
        )
    return rows


# --- Courses -----------------------------------------------------------------------------------


@dataclass
class CourseFilter:
    occupation: str | None = None
    level: int | None = None
    region: str | None = None
    starts_from: dt.date | None = None
    starts_to: dt.date | None = None
    provider: int | None = None
    campaign: int | None = None
    open_only: bool = False
    q: str | None = None


def course_list(*, actor: Actor, filters: CourseFilter | None = None) -> QuerySet[Course]:
    f = filters or CourseFilter()
    qs = courses_visible_to(actor)
    if f.occupation:
        code = f.occupation.strip()
        qs = qs.filter(Q(occupation_id=code) | Q(occupation__parent_id=code))
    if f.level:
        qs = qs.filter(target_level=f.level)
    if f.region:
        qs = qs.filter(region_range_q("region_id", region_prefix(f.region.strip())))
    if f.starts_from:
        qs = qs.filter(starts_on__gte=f.starts_from)
    if f.starts_to:
        qs = qs.filter(starts_on__lte=f.starts_to)
    if f.provider:
        qs = qs.filter(provider_id=f.provider)
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.q:
        qs = qs.filter(title__contains=f.q.strip())
    if f.open_only:
        today = timezone.localdate()
        qs = qs.filter(enrol_opens_on__lte=today, enrol_closes_on__gte=today)
    return qs.select_related("provider", "occupation", "campaign").order_by("starts_on", "id")


def course_get(*, actor: Actor, course_id: Any) -> Course:
    return _get(
        courses_visible_to(actor).select_related("provider", "occupation", "campaign"), course_id
    )


def organisation_options(*, actor: Actor) -> QuerySet[Organisation]:
    """Active organisations of the actor's area and national ones (campaign lead, co-organisers)."""
    return Organisation.objects.filter(
        Q(region__isnull=True) | actor.region_q("region_id"), is_active=True
    ).order_by("region_id", "name")


def provider_options(*, actor: Actor) -> QuerySet[Organisation]:
    """Training providers an officer may put a course under (their area, or national)."""
    return Organisation.objects.filter(
        Q(region__isnull=True) | actor.region_q("region_id"),
        kind=OrganisationKind.TRAINING_PROVIDER,
        is_active=True,
    ).order_by("name")


# --- Enrolments --------------------------------------------------------------------------------


@dataclass
class EnrolmentFilter:
    course: int | None = None
    worker: int | None = None
    status: str | None = None


def enrolment_list(*, actor: Actor, filters: EnrolmentFilter | None = None) -> QuerySet[Enrolment]:
    f = filters or EnrolmentFilter()
    qs = enrolments_visible_to(actor)
    if f.course:
        qs = qs.filter(course_id=f.course)
    if f.worker:
        qs = qs.filter(worker_id=f.worker)
    if f.status:
        qs = qs.filter(status=f.status)
    return qs.select_related("course", "worker").order_by("-id")


def enrolment_get(*, actor: Actor, enrolment_id: Any) -> Enrolment:
    return _get(
        enrolments_visible_to(actor).select_related(
            "course", "course__provider", "course__occupation", "worker", "certificate"
        ),
        enrolment_id,
    )


def enrolment_next_statuses(*, actor: Actor, enrolment: Enrolment) -> list[str]:
    return [
        s
        for s, roles in ENROLMENT_TRANSITIONS.get(enrolment.status, {}).items()
        if actor.roles & roles
    ]


def claim_next_statuses(*, actor: Actor, claim: SubsidyClaim) -> list[str]:
    return [
        s for s, roles in CLAIM_TRANSITIONS.get(claim.status, {}).items() if actor.roles & roles
    ]


def study_next_statuses(*, actor: Actor, study: StudyEnrolment) -> list[str]:
    return [
        s for s, roles in STUDY_TRANSITIONS.get(study.status, {}).items() if actor.roles & roles
    ]


def course_status_counts(*, course: Course) -> dict[str, int]:
    rows = course.enrolments.values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


# --- Claims ------------------------------------------------------------------------------------


@dataclass
class ClaimFilter:
    status: str | None = None
    provider: int | None = None
    campaign: int | None = None
    course: int | None = None


def claim_list(*, actor: Actor, filters: ClaimFilter | None = None) -> QuerySet[SubsidyClaim]:
    f = filters or ClaimFilter()
    qs = claims_visible_to(actor)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.provider:
        qs = qs.filter(provider_id=f.provider)
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.course:
        qs = qs.filter(course_id=f.course)
    return qs.select_related("course", "worker", "provider", "campaign").order_by("-id")


def claim_get(*, actor: Actor, claim_id: Any) -> SubsidyClaim:
    return _get(claims_visible_to(actor).select_related("course", "worker", "provider"), claim_id)


@dataclass
class ClaimTotal:
    key: int | None
    name: str
    claims: int
    amounts: dict[str, Decimal] = field(default_factory=dict)

    @property
    def outstanding(self) -> Decimal:
        """Submitted or approved, not yet paid."""
        return self.amounts.get(ClaimStatus.SUBMITTED, Decimal(0)) + self.amounts.get(
            ClaimStatus.APPROVED, Decimal(0)
        )


def claim_totals(*, actor: Actor, by: str, filters: ClaimFilter | None = None) -> list[ClaimTotal]:
    """Claim amounts per provider (`by="provider"`) or campaign (`by="campaign"`) and status."""
    key = "provider" if by == "provider" else "campaign"
    rows = (
        claim_list(actor=actor, filters=filters)
        .order_by()
        .values(f"{key}_id", f"{key}__name", "status")
        .annotate(n=Count("id"), total=Sum("amount"))
    )
    out: dict[Any, ClaimTotal] = {}
    for r in rows:
        k = r[f"{key}_id"]
        total = out.setdefault(
            k, ClaimTotal(key=k, name=r[f"{key}__name"] or _("No campaign"), claims=0)
        )
        total.claims += r["n"]
        total.amounts[r["status"]] = Decimal(r["total"] or 0).quantize(Decimal("0.01"))
    return sorted(out.values(), key=lambda t: t.name)


# --- Eligibility -------------------------------------------------------------------------------


def rule_list(
    *, actor: Actor, occupation: str | None = None, level: int | None = None
) -> QuerySet[EligibilityRule]:
    if not actor.roles:
        return EligibilityRule.objects.none()
    qs = EligibilityRule.objects.select_related("occupation")
    if occupation is not None:
        qs = qs.filter(occupation_id=occupation or None)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("occupation_id", "-level", "id")


def rule_get(*, actor: Actor, rule_id: Any) -> EligibilityRule:
    return _get(rule_list(actor=actor), rule_id)


def rules_for(*, occupation: str, level: int) -> tuple[list[EligibilityRule], str]:
    """The routes to `level` in `occupation`: its own standard's, else the general template."""
    own = list(EligibilityRule.objects.filter(occupation_id=occupation, level=level, active=True))
    if own:
        return own, "occupation"
    general = EligibilityRule.objects.filter(occupation__isnull=True, level=level, active=True)
    return list(general.order_by("id")), "general"


def eligibility_check(
    *,
    actor: Actor,
    worker_id: Any,
    occupation: Any,
    level: Any,
    years_in_occupation: Any = None,
    apprenticeship: bool = False,
    diplomas: Any = (),
    today: dt.date | None = None,
) -> EligibilityAnswer:
    """May the worker apply for `level` in `occupation`? Years in the occupation are an input:
    the registry holds no work history."""
    errors = FieldErrors()
    wid = clean_int("worker_id", worker_id, errors, high=2**62)
    worker: Worker | None = None
    if wid is not None:
        try:
            worker = worker_get(actor=actor, worker_id=wid)
        except NotFound:
            errors.add("worker_id", "unknown_worker", _("No worker with this number in your area."))
    code = str(occupation or "").strip()
    if not code:
        errors.add("occupation", "required", _("Choose the occupation."))
    elif code not in occupation_names():
        errors.add("occupation", "unknown_occupation", _("Choose a known occupation code."))
    level_n = clean_int("level", level, errors, low=1, high=5)
    years = clean_int("years_in_occupation", years_in_occupation, errors, required=False, high=60)
    kinds = [diplomas] if isinstance(diplomas, str) else list(diplomas or [])
    kinds = [k for k in kinds if k]
    if any(k not in DiplomaKind.values for k in kinds):
        errors.add("diplomas", "invalid_choice", _("Choose diplomas from the list."))
    errors.raise_if_any()
    assert worker is not None and level_n is not None
    rules, standard = rules_for(occupation=code, level=level_n)
    return evaluate(
        rules=rules,
        occupation=code,
        level=level_n,
        certificates=worker_certificates(worker=worker),
        years_in_occupation=years,
        apprenticeship=bool(apprenticeship),
        diplomas=kinds,
        today=today or timezone.localdate(),
        standard=standard,
    )


# --- Education upgrade -------------------------------------------------------------------------


def institution_list(*, actor: Actor) -> QuerySet[Institution]:
    if not actor.roles:
        return Institution.objects.none()
    return Institution.objects.order_by("name")


def programme_list(
    *, actor: Actor, institution: int | None = None, level: str | None = None
) -> QuerySet[Programme]:
    if not actor.roles:
        return Programme.objects.none()
    qs = Programme.objects.select_related("institution", "campaign")
    if institution:
        qs = qs.filter(institution_id=institution)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-starts_on", "name")


def programme_get(*, actor: Actor, programme_id: Any) -> Programme:
    return _get(programme_list(actor=actor), programme_id)


def study_list(
    *,
    actor: Actor,
    programme: int | None = None,
    worker: int | None = None,
    status: str | None = None,
) -> QuerySet[StudyEnrolment]:
    qs = study_visible_to(actor)
    if programme:
        qs = qs.filter(programme_id=programme)
    if worker:
        qs = qs.filter(worker_id=worker)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("programme", "programme__institution", "worker")
        .prefetch_related("credits")
        .order_by("-id")
    )


def study_get(*, actor: Actor, study_id: Any) -> StudyEnrolment:
    return _get(
        study_visible_to(actor)
        .select_related("programme", "programme__institution", "worker")
        .prefetch_related("credits"),
        study_id,
    )


# --- Pathway -----------------------------------------------------------------------------------


@dataclass
class PathwayStep:
    on: dt.date
    kind: str  # certificate | course | study | education
    title: str
    detail: str
    link: tuple[str, int] | None = None


@dataclass
class Pathway:
    worker: Worker
    levels: list[tuple[str, str, int, str]]  # occupation code, name, best level, label
    steps: list[PathwayStep]
    enrolments: list[Enrolment]
    studies: list[StudyEnrolment]


def _education(value: Any) -> str:
    return str(EducationLevel(value).label) if value in EducationLevel.values else "—"


def worker_pathway(*, actor: Actor, worker_id: Any) -> Pathway:
    """Skill levels and education over time: certificates, courses, study, education changes."""
    worker = worker_get(actor=actor, worker_id=worker_id)
    names = occupation_names()
    certs = list(worker_certificates(worker=worker))
    best: dict[str, int] = {}
    for c in certs:
        if c.kind == CertificateKind.SKILL_LEVEL and c.level:
            best[c.occupation_id] = min(best.get(c.occupation_id, 9), c.level)
    levels = [
        (code, names.get(code, code), lvl, str(SkillLevel(lvl).label))
        for code, lvl in sorted(best.items())
    ]
    enrolments = list(
        enrolments_visible_to(actor)
        .filter(worker=worker)
        .select_related("course", "course__occupation")
        .order_by("-created_at")
    )
    studies = list(
        StudyEnrolment.objects.filter(worker=worker)
        .select_related("programme", "programme__institution")
        .order_by("-created_at")
    )
    steps: list[PathwayStep] = []
    for c in certs:
        label = str(SkillLevel(c.level).label) if c.level else str(CertificateKind(c.kind).label)
        steps.append(
            PathwayStep(
                c.issued_on,
                "certificate",
                f"{names.get(c.occupation_id, c.occupation_id)} · {label}",
                f"{c.certificate_no} · {c.issuing_organisation}",
            )
        )
    for e in enrolments:
        steps.append(
            PathwayStep(
                timezone.localtime(e.created_at).date(),
                "course",
                e.course.title,
                str(EnrolmentStatus(e.status).label),
                ("training:enrolment", e.pk),
            )
        )
    for s in studies:
        steps.append(
            PathwayStep(
                s.graduated_on or timezone.localtime(s.created_at).date(),
                "study",
                str(s.programme),
                f"{s.programme.get_level_display()} · {s.get_status_display()}",
            )
        )
    for event in worker_timeline(worker=worker).filter(action="worker.update"):
        after = event.after or {}
        if "education" in after:
            steps.append(
                PathwayStep(
                    timezone.localtime(event.at).date(),
                    "education",
                    _("Education level"),
                    f"{_education((event.before or {}).get('education'))} → "
                    f"{_education(after['education'])}",
                )
            )
    steps.sort(key=lambda s: s.on, reverse=True)
    return Pathway(
        worker=worker, levels=levels, steps=steps, enrolments=enrolments, studies=studies
    )


def totals_by_status(qs: QuerySet[Any]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return dict(counts)
