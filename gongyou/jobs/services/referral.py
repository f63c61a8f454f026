"""Referrals (officer referrals, applications, fair referrals), their one transition service,
and placements (from a hire, or recorded directly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.errors import Conflict, FieldErrors, NotFound, PermissionDenied
from gongyou.employers.models import Employer
from gongyou.employers.selectors import employers_by_ids
from gongyou.workers.models import Worker
from gongyou.workers.policies import worker_is_visible

from ..enums import (
    REFERRAL_TRANSITIONS,
    ReferralSource,
    ReferralStatus,
    SeekerStatus,
    VacancyStatus,
)
from ..matching import Target, score_entry
from ..models import JobFair, Placement, Referral, SeekerProfile, Vacancy
from ..policies import (
    jobs_roles,
    placement_require_can_record,
    referral_is_visible,
    referral_require_can_create,
    vacancy_is_visible,
)
from .common import (
    EmployerFlagged,
    TransitionNotAllowed,
    bump,
    clean_choice,
    clean_day,
    clean_int,
    clean_occupation,
    clean_region,
    clean_text,
    clean_version,
    lock,
    organisation_of,
    user_of,
)
from .seeker import certificates_by_worker, seeker_entries, seeker_set_status

REFERRAL_FIELDS = ["vacancy", "worker", "status", "source", "fair", "note", "score"]
PLACEMENT_FIELDS = [
    "worker",
    "employer",
    "vacancy",
    "referral",
    "occupation",
    "region",
    "start_date",
    "monthly_wage",
    "wage_before",
]


class ReferralExists(Conflict):
    code = "referral_exists"
    default_message = gettext_lazy("The worker already has an open referral to this vacancy.")


class VacancyNotOpen(Conflict):
    code = "vacancy_not_open"
    default_message = gettext_lazy("The vacancy is not open for referrals.")


def best_score(*, worker: Worker, vacancy: Vacancy) -> tuple[int | None, list[dict[str, Any]]]:
    """The worker's best score for the vacancy over the occupations they offer, live from the
    profile and certificates (None when they offer nothing in the vacancy's group)."""
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
    target = Target.of(vacancy)
    scores = [s for s in (score_entry(e, target) for e in entries) if not s.excluded]
    if not scores:
        return None, []
    top = max(scores, key=lambda s: s.total)
    return top.total, top.explanation


def _require_open(vacancy: Vacancy, employer: Employer) -> None:
    if employer.arrears_flagged:
        raise EmployerFlagged()
    if vacancy.status != VacancyStatus.OPEN or vacancy.closing_date < timezone.localdate():
        raise VacancyNotOpen()


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    vacancy: Vacancy,
    worker: Worker,
    source: Any = ReferralSource.OFFICER,
    note: Any = "",
    fair: JobFair | None = None,
) -> Referral:
    """Put a worker forward for an open vacancy of an employer not flagged for wage arrears."""
    referral_require_can_create(actor)
    if not vacancy_is_visible(actor, vacancy) or not worker_is_visible(actor, worker):
        raise NotFound()
    errors = FieldErrors()
    source = clean_choice("source", source, ReferralSource.values, errors, required=True)
    text = clean_text("note", note, errors, required=False, limit=500)
    if source == ReferralSource.JOB_FAIR and fair is None:
        errors.add("fair_id", "required", _("Choose the job fair."))
    errors.raise_if_any()
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    _require_open(vacancy, Employer.objects.get(pk=vacancy.employer_id))
    if Referral.objects.filter(
        vacancy=vacancy, worker=worker, status__in=REFERRAL_TRANSITIONS.keys()
    ).exists():
        raise ReferralExists()
    score, explanation = best_score(worker=worker, vacancy=vacancy)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                vacancy=vacancy,
                worker=worker,
                source=source,
                fair=fair,
                note=text,
                score=score,
                explanation=explanation,
                organisation_id=organisation_of(actor),
                referred_by=user_of(actor),
            )
    except IntegrityError:
        raise ReferralExists() from None
    audit_record(
        actor=user_of(actor),
        action="referral.create",
        entity=referral,
        after=snapshot(referral, REFERRAL_FIELDS),
        worker_id=worker.pk,
        region_code=vacancy.region_id,
        summary=_("Referred to %(title)s") % {"title": vacancy.title},
    )
    return referral


class _PortalChannel:
    """The audit actor of a worker's own application: no staff user (the audit row's actor is
    empty), labelled with the channel and the worker."""

    pk = None
    organisation_id = None

    def __init__(self, worker_id: int) -> None:
        self.worker_id = worker_id

    def get_username(self) -> str:
        return f"portal: worker {self.worker_id}"


@transaction.atomic
def referral_apply_by_worker(*, worker: Worker, vacancy: Vacancy, note: Any = "") -> Referral:
    """A worker applies for an open vacancy themselves (the worker portal).

    The caller passes the signed-in worker's own record. The application is a referral with
    source "application" (status "referred"), recorded for the organisation that posted the
    vacancy, so it lands in that office's referral queue (and the queue of staff covering the
    vacancy's or the worker's region) like an officer's referral. Same rules as
    `referral_create`: the vacancy must be open and the employer not flagged for wage arrears;
    a second open application or referral for the same vacancy is refused."""
    if worker.merged_into_id is not None:
        raise NotFound()
    errors = FieldErrors()
    text = clean_text("note", note, errors, required=False, limit=500)
    errors.raise_if_any()
    locked = Vacancy.objects.select_for_update().filter(pk=vacancy.pk).first()
    if locked is None or locked.status == VacancyStatus.DRAFT:
        raise NotFound()
    vacancy = locked
    _require_open(vacancy, Employer.objects.get(pk=vacancy.employer_id))
    duplicate = ReferralExists(_("You have already applied for this job (or been put forward)."))
    if Referral.objects.filter(
        vacancy=vacancy, worker=worker, status__in=REFERRAL_TRANSITIONS.keys()
    ).exists():
        raise duplicate
    score, explanation = best_score(worker=worker, vacancy=vacancy)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                vacancy=vacancy,
                worker=worker,
                source=ReferralSource.APPLICATION,
                note=text,
                score=score,
                explanation=explanation,
                organisation_id=vacancy.organisation_id,
                referred_by=None,
            )
    except IntegrityError:
        raise duplicate from None
    audit_record(
        actor=_PortalChannel(worker.pk),
        action="referral.create",
        entity=referral,
        after={**snapshot(referral, REFERRAL_FIELDS), "channel": "portal"},
        worker_id=worker.pk,
        region_code=vacancy.region_id,
        summary=_("Applied for %(title)s (own application, worker portal)")
        % {"title": vacancy.title},
    )
    return referral


@transaction.atomic
def referral_transition(
    *,
    actor: Actor,
    referral: Referral,
    to_status: Any,
    reason: Any = "",
    version: Any,
    start_date: Any = None,
    monthly_wage: Any = None,
) -> Referral:
    """Move a referral along REFERRAL_TRANSITIONS. Declining and withdrawing need a reason;
    hiring needs the start date and monthly wage and records the placement."""
    if not referral_is_visible(actor, referral):
        raise NotFound()
    errors = FieldErrors()
    target = clean_choice("to_status", to_status, ReferralStatus.values, errors, required=True)
    needs_reason = target in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN)
    text = clean_text("reason", reason, errors, required=needs_reason, limit=500)
    version_n = clean_version(version, errors)
    start, wage = None, None
    if target == ReferralStatus.HIRED:
        start = clean_day("start_date", start_date, errors, required=True)
        wage = clean_int("monthly_wage", monthly_wage, errors, required=True, low=1)
    elif start_date not in (None, "") or monthly_wage not in (None, ""):
        errors.add("start_date", "not_applicable", _("Only a hire has a start date and wage."))
    errors.raise_if_any()
    referral = lock(referral, version_n)
    allowed = REFERRAL_TRANSITIONS.get(referral.status, {})
    if target not in allowed:
        raise TransitionNotAllowed(
            _("A referral cannot go from “%(a)s” to “%(b)s”.")
            % {"a": ReferralStatus(referral.status).label, "b": ReferralStatus(target).label},
            extra={"allowed": sorted(k for k, r in allowed.items() if jobs_roles(actor) & r)},
        )
    if not jobs_roles(actor) & allowed[target]:
        raise PermissionDenied(_("Your role cannot make this change."))
    before = referral.status
    referral.status, referral.last_reason = target, text
    bump(referral, "status", "last_reason")
    vacancy = Vacancy.objects.select_for_update().get(pk=referral.vacancy_id)
    audit_record(
        actor=user_of(actor),
        action="referral.transition",
        entity=referral,
        before={"status": before},
        after={"status": target, **({"reason": text} if text else {})},
        worker_id=referral.worker_id,
        region_code=vacancy.region_id,
        summary=f"{vacancy.title}: {ReferralStatus(before).label} → {ReferralStatus(target).label}",
    )
    if target == ReferralStatus.HIRED:
        assert start is not None and wage is not None
        _placement_create(
            actor=actor,
            worker=Worker.objects.get(pk=referral.worker_id),
            employer_id=vacancy.employer_id,
            vacancy=vacancy,
            referral=referral,
            occupation_id=vacancy.occupation_id,
            region_id=vacancy.region_id,
            start_date=start,
            monthly_wage=wage,
            wage_before=None,
        )
        _fill_if_complete(actor, vacancy)
    return referral


def _fill_if_complete(actor: Actor, vacancy: Vacancy) -> None:
    hired = Referral.objects.filter(vacancy=vacancy, status=ReferralStatus.HIRED).aggregate(
        n=Count("pk")
    )["n"]
    if vacancy.status == VacancyStatus.OPEN and hired >= vacancy.headcount:
        vacancy.status = VacancyStatus.FILLED
        bump(vacancy, "status")
        audit_record(
            actor=user_of(actor),
            action="vacancy.transition",
            entity=vacancy,
            before={"status": VacancyStatus.OPEN},
            after={"status": VacancyStatus.FILLED, "reason": "headcount reached"},
            region_code=vacancy.region_id,
            summary=_("%(title)s: every place filled (%(n)d hired)")
            % {"title": vacancy.title, "n": hired},
        )


def wage_before_for(*, worker_id: int, start_date: dt.date) -> int | None:
    """The wage before a placement: the last wage of the worker's previous placement (the latest
    answered follow-up's wage, else its starting wage), else the profile's last wage."""
    previous = (
        Placement.objects.filter(worker_id=worker_id, start_date__lt=start_date)
        .order_by("-start_date", "-id")
        .first()
    )
    if previous is not None:
        answered = previous.followups.filter(current_wage__isnull=False).order_by("-month").first()
        return answered.current_wage if answered else previous.monthly_wage
    return (
        SeekerProfile.objects.filter(worker_id=worker_id)
        .values_list("previous_wage", flat=True)
        .first()
    )


def _placement_create(
    *,
    actor: Actor,
    worker: Worker,
    employer_id: int,
    vacancy: Vacancy | None,
    referral: Referral | None,
    occupation_id: str | None,
    region_id: str,
    start_date: dt.date,
    monthly_wage: int,
    wage_before: int | None,
) -> Placement:
    if wage_before is None:
        wage_before = wage_before_for(worker_id=worker.pk, start_date=start_date)
    placement = Placement.objects.create(
        worker=worker,
        employer_id=employer_id,
        vacancy=vacancy,
        referral=referral,
        occupation_id=occupation_id,
        region_id=region_id,
        start_date=start_date,
        monthly_wage=monthly_wage,
        wage_before=wage_before,
        organisation_id=(referral.organisation_id if referral else organisation_of(actor)),
        officer=(referral.referred_by if referral else user_of(actor)),
    )
    audit_record(
        actor=user_of(actor),
        action="placement.record",
        entity=placement,
        after=snapshot(placement, PLACEMENT_FIELDS),
        worker_id=worker.pk,
        region_code=region_id,
        summary=_("Placed from %(d)s at %(w)d yuan a month")
        % {"d": start_date.isoformat(), "w": monthly_wage},
    )
    seeker_set_status(
        actor=actor, worker_id=worker.pk, status=SeekerStatus.PLACED, reason=_("Placed in a job")
    )
    return placement


@transaction.atomic
def placement_record(*, actor: Actor, worker: Worker, data: dict[str, Any]) -> Placement:
    """Record a job the worker found without a referral (employer, start date, wage)."""
    placement_require_can_record(actor)
    if not worker_is_visible(actor, worker):
        raise NotFound()
    errors = FieldErrors()
    raw = data.get("employer_id")
    employer = None
    if raw in (None, ""):
        errors.add("employer_id", "required", _("Choose the employer."))
    elif not str(raw).isdigit():
        errors.add("employer_id", "invalid_type", _("An id is a whole number."))
    else:
        employer = employers_by_ids(actor=actor, ids=[int(str(raw))]).get(int(str(raw)))
        if employer is None:
            errors.add("employer_id", "not_found", _("No such employer in your area."))
    occupation = clean_occupation(
        "occupation", data.get("occupation"), errors, required=False, occupation_only=True
    )
    region = clean_region(
        "region", data.get("region") or (employer.region_id if employer else ""), errors
    )
    start = clean_day("start_date", data.get("start_date"), errors, required=True)
    wage = clean_int("monthly_wage", data.get("monthly_wage"), errors, required=True, low=1)
    before = clean_int("wage_before", data.get("wage_before"), errors, required=False, low=1)
    errors.raise_if_any()
    assert employer is not None and start is not None and wage is not None
    return _placement_create(
        actor=actor,
        worker=worker,
        employer_id=employer.pk,
        vacancy=None,
        referral=None,
        occupation_id=occupation or None,
        region_id=region,
        start_date=start,
        monthly_wage=wage,
        wage_before=before,
    )
