"""Reads of jobs, always from the policy's scoped querysets: vacancies, the two-way ranking,
referrals, placements, follow-up to-dos, job fairs, and the figures the indicators app reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.errors import NotFound
from gongyou.regions.selectors import region_range_q
from gongyou.workers.models import Worker
from gongyou.workers.policies import workers_visible_to

from .enums import REFERRAL_OPEN, FollowUpStatus, ReferralStatus, VacancyStatus
from .matching import Target, score_annotations, score_entry
from .models import (
    FollowUp,
    JobFair,
    MatchEntry,
    Placement,
    Referral,
    SeekerProfile,
    Vacancy,
)
from .policies import (
    fairs_visible_to,
    followups_visible_to,
    placements_visible_to,
    referrals_visible_to,
    vacancies_visible_to,
    vacancy_can_see_candidates,
)
from .services.seeker import certificates_by_worker, seeker_entries

# --- Vacancies ------------------------------------------------------------------------------


@dataclass
class VacancyFilter:
    q: str | None = None
    status: str | None = None
    region: str | None = None
    occupation: str | None = None
    employer_id: int | None = None
    wage_at_least: int | None = None
    open_only: bool = False


def vacancy_list(*, actor: Actor, filters: VacancyFilter | None = None) -> QuerySet[Vacancy]:
    f = filters or VacancyFilter()
    qs = vacancies_visible_to(actor)
    if f.q:
        qs = qs.filter(Q(title__contains=f.q.strip()) | Q(employer__name__contains=f.q.strip()))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.open_only:
        qs = qs.filter(status=VacancyStatus.OPEN, closing_date__gte=timezone.localdate())
    if f.region:
        qs = qs.filter(region_range_q("region_id", region_prefix(f.region)))
    if f.occupation:
        qs = qs.filter(occupation__code__startswith=f.occupation)
    if f.employer_id:
        qs = qs.filter(employer_id=f.employer_id)
    if f.wage_at_least:
        qs = qs.filter(wage_max__gte=f.wage_at_least)
    return qs.select_related("employer", "occupation").order_by("-id")


def vacancy_get(*, actor: Actor, vacancy_id: int) -> Vacancy:
    try:
        return (
            vacancies_visible_to(actor)
            .select_related("employer", "occupation", "organisation", "created_by")
            .get(pk=vacancy_id)
        )
    except (Vacancy.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


# --- Ranking --------------------------------------------------------------------------------


@dataclass
class Candidate:
    worker: Worker
    score: int
    components: list[dict[str, Any]]
    occupation_code: str
    open_referral: Referral | None = None


@dataclass
class Ranking:
    candidates: list[Candidate] = field(default_factory=list)
    blocked: str = ""  # why there is no ranking (flagged employer), "" = none


CANDIDATE_OVERFETCH = 4
"""Index rows fetched per wanted candidate (a worker has at most MAX_OCCUPATIONS rows)."""


def vacancy_candidates(*, actor: Actor, vacancy: Vacancy, limit: int = 50) -> Ranking:
    """The vacancy's best `limit` seekers in the actor's scope, scored in SQL over the match
    index (pre-filter: the vacancy's occupation mid group and the workers' maximum distance),
    then explained component by component for the page."""
    if not vacancy_can_see_candidates(actor):
        return Ranking()
    if vacancy.employer.arrears_flagged:
        return Ranking(blocked=vacancy.employer.arrears_flag_reason or "flagged")
    target = Target.of(vacancy)
    annotations, where = score_annotations(target)
    qs = MatchEntry.objects.annotate(**annotations).filter(where)
    if actor.region_prefix:
        qs = qs.filter(actor.region_q("current_region_code", "hukou_region_code"))
    rows = list(
        qs.order_by("-match_score", "worker_id").values(  # type: ignore[misc]
            "worker_id",
            "occupation_code",
            "mid_group",
            "skill_level",
            "latitude",
            "longitude",
            "max_distance_km",
            "wage_expectation",
            "available_from",
            "pref1",
            "pref2",
            "pref3",
            "match_score",
        )[: limit * CANDIDATE_OVERFETCH]
    )
    best: dict[int, dict[str, Any]] = {}
    for row in rows:
        best.setdefault(row["worker_id"], row)
    chosen = list(best.values())[:limit]
    workers = workers_visible_to(actor).in_bulk([r["worker_id"] for r in chosen])
    referrals = {
        r.worker_id: r
        for r in Referral.objects.filter(
            vacancy=vacancy, worker_id__in=list(workers), status__in=REFERRAL_OPEN
        )
    }
    out: list[Candidate] = []
    for row in chosen:
        worker = workers.get(row["worker_id"])
        if worker is None:
            continue
        score = score_entry(row, target)
        out.append(
            Candidate(
                worker=worker,
                score=row["match_score"],
                components=score.explanation,
                occupation_code=row["occupation_code"],
                open_referral=referrals.get(worker.pk),
            )
        )
    return Ranking(candidates=out)


@dataclass
class VacancyMatch:
    vacancy: Vacancy
    score: int
    components: list[dict[str, Any]]
    open_referral: Referral | None = None


MAX_VACANCIES_SCORED = 5000


def worker_vacancies(*, actor: Actor, worker: Worker, limit: int = 50) -> list[VacancyMatch]:
    """Open vacancies ranked for the worker (live from their profile and certificates): open,
    not past closing, employer not flagged for wage arrears, in a mid group the worker offers."""
    return _ranked_vacancies(worker, vacancies_visible_to(actor), limit)


def vacancies_for_worker(*, worker: Worker, limit: int = 30) -> list[VacancyMatch]:
    """The worker's own "jobs for me" (the worker portal): the same ranking and explanation as
    `worker_vacancies`, over published vacancies only (open, not past closing, employer not
    flagged for wage arrears). The caller passes the signed-in worker's own record; open
    vacancies are public, so no staff scope applies, and only this worker's referrals are read."""
    if worker.merged_into_id is not None:
        raise NotFound()
    return _ranked_vacancies(worker, Vacancy.objects.filter(status=VacancyStatus.OPEN), limit)


def _ranked_vacancies(worker: Worker, base: QuerySet[Vacancy], limit: int) -> list[VacancyMatch]:
    profile = SeekerProfile.objects.filter(worker=worker).first()
    entries = seeker_entries(
        profile=profile or SeekerProfile(worker=worker),
        worker={
            "id": worker.pk,
            "occupation_id": worker.occupation_id,
            "current_region_id": worker.current_region_id,
            "hukou_region_id": worker.hukou_region_id,
        },
        certificates=certificates_by_worker([worker.pk]).get(worker.pk, []),
    )
    groups = {e["mid_group"] for e in entries}
    if not groups:
        return []
    vacancies = (
        base.filter(
            status=VacancyStatus.OPEN,
            closing_date__gte=timezone.localdate(),
            employer__arrears_flagged=False,
            mid_group__in=groups,
        )
        .select_related("employer", "occupation")
        .order_by("closing_date", "id")[:MAX_VACANCIES_SCORED]
    )
    matches: list[VacancyMatch] = []
    for vacancy in vacancies:
        target = Target.of(vacancy)
        scores = [s for s in (score_entry(e, target) for e in entries) if not s.excluded]
        if scores:
            top = max(scores, key=lambda s: s.total)
            matches.append(VacancyMatch(vacancy, top.total, top.explanation))
    matches.sort(key=lambda m: (-m.score, m.vacancy.closing_date, m.vacancy.pk))
    matches = matches[:limit]
    open_refs = {
        r.vacancy_id: r
        for r in Referral.objects.filter(
            worker=worker, status__in=REFERRAL_OPEN, vacancy_id__in=[m.vacancy.pk for m in matches]
        )
    }
    for m in matches:
        m.open_referral = open_refs.get(m.vacancy.pk)
    return matches


def seeker_profile_of(*, worker: Worker) -> SeekerProfile | None:
    return SeekerProfile.objects.filter(worker=worker).first()


def worker_for_jobs(*, actor: Actor, worker_id: int) -> Worker:
    """A worker in the actor's scope, for jobs staff (employer users never open worker records)."""
    if not vacancy_can_see_candidates(actor):
        raise NotFound()
    try:
        return (
            workers_visible_to(actor)
            .select_related("current_region", "occupation")
            .get(pk=worker_id)
        )
    except (Worker.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


# --- Referrals, placements, follow-ups ---------------------------------------------------------


@dataclass
class ReferralFilter:
    status: str | None = None
    open_only: bool = False
    vacancy_id: int | None = None
    worker_id: int | None = None
    mine: bool = False


def referral_list(*, actor: Actor, filters: ReferralFilter | None = None) -> QuerySet[Referral]:
    f = filters or ReferralFilter()
    qs = referrals_visible_to(actor)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.open_only:
        qs = qs.filter(status__in=REFERRAL_OPEN)
    if f.vacancy_id:
        qs = qs.filter(vacancy_id=f.vacancy_id)
    if f.worker_id:
        qs = qs.filter(worker_id=f.worker_id)
    if f.mine:
        qs = qs.filter(referred_by_id=getattr(actor.user, "pk", 0))
    return qs.select_related("vacancy", "vacancy__employer", "worker").order_by(
        "-updated_at", "-id"
    )


def referral_get(*, actor: Actor, referral_id: int) -> Referral:
    try:
        return (
            referrals_visible_to(actor)
            .select_related("vacancy", "vacancy__employer", "worker", "referred_by")
            .get(pk=referral_id)
        )
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def placement_list(*, actor: Actor, worker_id: int | None = None) -> QuerySet[Placement]:
    qs = placements_visible_to(actor)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    return qs.select_related("employer", "worker", "occupation").order_by("-start_date", "-id")


@dataclass
class FollowUpFilter:
    status: str | None = FollowUpStatus.DUE
    mine: bool = False
    due_by: dt.date | None = None


def followup_list(*, actor: Actor, filters: FollowUpFilter | None = None) -> QuerySet[FollowUp]:
    f = filters or FollowUpFilter()
    qs = followups_visible_to(actor)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.mine:
        qs = qs.filter(placement__officer_id=getattr(actor.user, "pk", 0))
    if f.due_by:
        qs = qs.filter(due_on__lte=f.due_by)
    return qs.select_related(
        "placement", "placement__worker", "placement__employer", "placement__officer"
    ).order_by("due_on", "id")


def followup_get(*, actor: Actor, followup_id: int) -> FollowUp:
    try:
        return followup_list(actor=actor, filters=FollowUpFilter(status=None)).get(pk=followup_id)
    except (FollowUp.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


# --- Job fairs --------------------------------------------------------------------------------


def fair_list(*, actor: Actor, upcoming: bool = False) -> QuerySet[JobFair]:
    qs = fairs_visible_to(actor)
    if upcoming:
        qs = qs.filter(ends_on__gte=timezone.localdate())
    return qs.annotate(
        n_employers=Count("employers", distinct=True),
        n_registrations=Count("registrations", distinct=True),
    ).order_by("-starts_on", "-id")


def fair_get(*, actor: Actor, fair_id: int) -> JobFair:
    try:
        return fairs_visible_to(actor).get(pk=fair_id)
    except (JobFair.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def fair_detail(*, actor: Actor, fair: JobFair) -> dict[str, Any]:
    visible_workers = workers_visible_to(actor).values("pk")
    return {
        "employers": list(fair.employers.select_related("employer").order_by("employer__name")),
        "vacancies": list(
            fair.vacancies.select_related("vacancy", "vacancy__employer").order_by("vacancy__title")
        ),
        "registrations": list(
            fair.registrations.filter(worker_id__in=visible_workers)
            .select_related("worker")
            .order_by("-registered_at")
        ),
        "registration_count": fair.registrations.count(),
    }


# --- Figures for the indicators app ----------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive


def _placements_in(actor: Actor, period: Period, region: str | None) -> QuerySet[Placement]:
    qs = placements_visible_to(actor).filter(
        start_date__gte=period.start, start_date__lte=period.end
    )
    if region:
        qs = qs.filter(region_range_q("region_id", region_prefix(region)))
    return qs


def placements_count(*, actor: Actor, period: Period, region: str | None = None) -> int:
    """Placements that started in the period (from referrals and recorded directly)."""
    return _placements_in(actor, period, region).count()


@dataclass(frozen=True)
class Retention:
    answered: int  # follow-ups answered (the worker was reached)
    retained: int  # of which still in the job
    unreachable: int
    due: int  # still to do

    @property
    def rate(self) -> float | None:
        return self.retained / self.answered if self.answered else None


def retention(
    *, actor: Actor, period: Period, month: int = 6, region: str | None = None
) -> Retention:
    """N-month retention of the placements that started in the period: among the N-month
    follow-ups answered with the worker reached, the share still in the job. Unreachable and
    not-yet-answered follow-ups are reported beside the rate, not counted in it."""
    rows = dict(
        FollowUp.objects.filter(
            placement__in=_placements_in(actor, period, region).values("pk"), month=month
        )
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    retained = FollowUp.objects.filter(
        placement__in=_placements_in(actor, period, region).values("pk"),
        month=month,
        status=FollowUpStatus.ANSWERED,
        still_employed=True,
    ).count()
    return Retention(
        answered=rows.get(FollowUpStatus.ANSWERED, 0),
        retained=retained,
        unreachable=rows.get(FollowUpStatus.UNREACHABLE, 0),
        due=rows.get(FollowUpStatus.DUE, 0),
    )


@dataclass(frozen=True)
class WageChange:
    placements: int  # with both wages known
    average_before: float | None
    average_after: float | None


def wage_before_after(
    *,
    actor: Actor,
    period: Period,
    worker_ids: QuerySet[Any] | list[int] | None = None,
    region: str | None = None,
) -> WageChange:
    """Average monthly wage before and after, over placements that started in the period and
    have a wage before (`Placement.wage_before`: the previous placement's last known wage, else
    the profile's last wage). The indicators app passes `worker_ids` = the workers who finished
    training to get "wage before and after training"."""
    qs = _placements_in(actor, period, region).filter(wage_before__isnull=False)
    if worker_ids is not None:
        qs = qs.filter(worker_id__in=worker_ids)
    agg = qs.aggregate(n=Count("pk"), before=Avg("wage_before"), after=Avg("monthly_wage"))
    return WageChange(agg["n"], agg["before"], agg["after"])


def referral_status_counts(*, actor: Actor, vacancy: Vacancy) -> dict[str, int]:
    rows = (
        referrals_visible_to(actor)
        .filter(vacancy=vacancy)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(ReferralStatus.values, 0)
    counts.update(dict(rows))
    return counts
