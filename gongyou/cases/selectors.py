"""Reads of cases, always from the policy's scoped queryset; the working-day calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.errors import NotFound
from gongyou.employers.models import Employer
from gongyou.regions.selectors import region_range_q

from .deadlines import WorkCalendar
from .enums import DeadlineStatus
from .models import (
    Attachment,
    Case,
    CaseEvent,
    Claimant,
    Deadline,
    HolidayCalendarDay,
    Notification,
    Project,
    Respondent,
)
from .policies import (
    case_require_visible,
    cases_visible_to,
    notifications_visible_to,
    projects_visible_to,
)

OPEN_DEADLINE = Q(deadlines__status=DeadlineStatus.OPEN)


def work_calendar() -> WorkCalendar:
    """The package calendar with the administrators' rows on top (a small table)."""
    return WorkCalendar(
        overrides=dict(HolidayCalendarDay.objects.values_list("date", "is_working_day"))
    )


def near_days() -> int:
    return int(settings.CASES_DEADLINE_NEAR_DAYS)


@dataclass
class CaseFilter:
    status: str | None = None
    type: str | None = None
    region: str | None = None
    assigned_to: str | None = None  # "me" or a user id
    referred: str | None = None  # "me": referred to my organisation
    overdue: bool | None = None
    near: bool | None = None
    reference: str | None = None
    worker_id: int | None = None
    employer_id: int | None = None
    project_id: int | None = None


@dataclass
class ProjectFilter:
    name: str | None = None
    region: str | None = None
    flagged: bool | None = None
    employer_id: int | None = None  # general contractor or subcontractor


def case_list(
    *, actor: Actor, filters: CaseFilter | None = None, today: dt.date | None = None
) -> QuerySet[Case]:
    """My queue: nearest open deadline first (cases without one last), then newest."""
    f = filters or CaseFilter()
    today = today or timezone.localdate()
    qs = cases_visible_to(actor).annotate(next_due=Min("deadlines__due_date", filter=OPEN_DEADLINE))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.type:
        qs = qs.filter(type=f.type)
    if f.region:
        qs = qs.filter(region_range_q("region_id", region_prefix(f.region)))
    if f.assigned_to == "me":
        qs = qs.filter(assigned_to_id=getattr(actor.user, "pk", 0))
    elif f.assigned_to and f.assigned_to.isdigit():
        qs = qs.filter(assigned_to_id=int(f.assigned_to))
    if f.referred == "me":
        qs = qs.filter(referred_to_id=actor.organisation_id or 0)
    if f.overdue is not None:
        qs = qs.filter(next_due__lt=today) if f.overdue else qs.exclude(next_due__lt=today)
    if f.near is not None:
        window = Q(next_due__gte=today, next_due__lte=today + dt.timedelta(days=near_days()))
        qs = qs.filter(window) if f.near else qs.exclude(window)
    if f.reference:
        qs = qs.filter(reference=f.reference.strip().upper())
    if f.worker_id:
        qs = qs.filter(pk__in=Claimant.objects.filter(worker_id=f.worker_id).values("case_id"))
    if f.employer_id:
        qs = qs.filter(
            pk__in=Respondent.objects.filter(employer_id=f.employer_id).values("case_id")
        )
    if f.project_id:
        qs = qs.filter(pk__in=Respondent.objects.filter(project_id=f.project_id).values("case_id"))
    return qs.select_related("region", "organisation", "assigned_to", "referred_to").order_by(
        F("next_due").asc(nulls_last=True), "-received_at", "-id"
    )


def case_get(*, actor: Actor, case_id: int) -> Case:
    try:
        return cases_visible_to(actor).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def case_detail(*, actor: Actor, case_id: int) -> Case:
    """One case with claimants (and their workers), respondents, deadlines and timeline."""
    try:
        return (
            cases_visible_to(actor)
            .select_related("region", "organisation", "assigned_to", "referred_to")
            .prefetch_related(
                Prefetch("claimants", Claimant.objects.select_related("worker").order_by("id")),
                "respondents__employer",
                "respondents__project__general_contractor",
                "respondents__project__subcontractors",
                Prefetch("deadlines", Deadline.objects.order_by("due_date", "id")),
                Prefetch("events", CaseEvent.objects.order_by("at", "id")),
            )
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def employer_cases(*, actor: Actor, employer: Employer) -> QuerySet[Case]:
    """The employer's history: visible cases naming it as a respondent, newest first."""
    return (
        cases_visible_to(actor)
        .filter(respondents__employer=employer)
        .distinct()
        .annotate(next_due=Min("deadlines__due_date", filter=OPEN_DEADLINE))
        .select_related("region", "organisation", "assigned_to", "referred_to")
        .order_by("-received_at", "-id")
    )


def project_list(*, actor: Actor, filters: ProjectFilter | None = None) -> QuerySet[Project]:
    """Construction projects in the user's area; `flagged=True` is the early-warning list."""
    f = filters or ProjectFilter()
    qs = projects_visible_to(actor)
    if f.name:
        qs = qs.filter(name__contains=f.name.strip())
    if f.region:
        qs = qs.filter(region_range_q("region_id", region_prefix(f.region)))
    if f.flagged is not None:
        qs = qs.filter(arrears_flagged=f.flagged)
    if f.employer_id:
        qs = qs.filter(
            Q(general_contractor_id=f.employer_id)
            | Q(
                pk__in=Project.subcontractors.through.objects.filter(
                    employer_id=f.employer_id
                ).values("project_id")
            )
        )
    return (
        qs.select_related("general_contractor")
        .prefetch_related("subcontractors")
        .order_by("-arrears_flagged", "name", "id")
    )


def project_get(*, actor: Actor, project_id: int) -> Project:
    try:
        return (
            projects_visible_to(actor)
            .select_related("general_contractor")
            .prefetch_related("subcontractors")
            .get(pk=project_id)
        )
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def project_cases(*, actor: Actor, project: Project) -> QuerySet[Case]:
    """The project's history: visible cases naming it, newest first."""
    return (
        cases_visible_to(actor)
        .filter(pk__in=Respondent.objects.filter(project=project).values("case_id"))
        .annotate(next_due=Min("deadlines__due_date", filter=OPEN_DEADLINE))
        .select_related("region", "organisation", "assigned_to", "referred_to")
        .order_by("-received_at", "-id")
    )


def notification_list(*, actor: Actor, unread: bool | None = None) -> QuerySet[Notification]:
    qs = notifications_visible_to(actor)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    return qs.select_related("case").order_by("-created_at", "-id")


def calendar_day_list(*, year: int | None = None) -> QuerySet[HolidayCalendarDay]:
    qs = HolidayCalendarDay.objects.all()
    if year:
        qs = qs.filter(date__year=year)
    return qs.order_by("date")


def deadlines_missing_calendar_count() -> int:
    """Open deadlines counted without a holiday calendar (the calendar page's warning)."""
    return Deadline.objects.filter(status=DeadlineStatus.OPEN, calendar_missing=True).count()


def attachment_list(*, actor: Actor, case: Case) -> QuerySet[Attachment]:
    case_require_visible(actor, case)
    return case.attachments.select_related("uploaded_by").order_by("-uploaded_at", "-id")


# --- Pages (appended for the case pages) -----------------------------------------------------


def case_queue(
    *,
    actor: Actor,
    filters: CaseFilter | None = None,
    text: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[Case]:
    """The queue page: `case_list` (same scope and ordering), a free-text match on the reference
    or a claimant's name, and per row the claimant count, first claimant and first respondent
    as subqueries (no join fan-out, one query per page)."""
    qs = case_list(actor=actor, filters=filters, today=today)
    words = (text or "").strip()
    if words:
        named = Claimant.objects.filter(worker__name__contains=words).values("case_id")
        qs = qs.filter(Q(reference__icontains=words) | Q(pk__in=named))
    claimants = Claimant.objects.filter(case=OuterRef("pk"))
    respondents = Respondent.objects.filter(case=OuterRef("pk")).order_by("id")
    return qs.annotate(
        claimant_count=Subquery(
            claimants.values("case_id").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField(),
        ),
        first_claimant=Subquery(claimants.order_by("id").values("worker__name")[:1]),
        first_respondent=Subquery(respondents.values("employer__name")[:1]),
    )


def case_queue_counts(*, actor: Actor, today: dt.date | None = None) -> dict[str, int]:
    """How many visible cases are overdue and how many are near a deadline (two COUNTs)."""
    return {
        "overdue": case_list(actor=actor, filters=CaseFilter(overdue=True), today=today).count(),
        "near": case_list(actor=actor, filters=CaseFilter(near=True), today=today).count(),
    }


def case_handler_choices(*, case: Case, limit: int = 300) -> list[Any]:
    """Active case handlers and admins who can see `case` (whom it may be assigned to): users of
    the owning organisation or of one whose area covers its region; never a partner
    department's (they read a referred case, the handling side works it)."""
    from gongyou.accounts.models import User
    from gongyou.accounts.policies import actor_for

    from .policies import HANDLE_ROLES, actor_is_partner, case_is_visible

    code = case.region_id or ""
    areas = {code, f"{code[:4]}00", f"{code[:2]}0000"}
    users = (
        User.objects.filter(is_active=True, organisation__isnull=False)
        .filter(
            Q(organisation__region__isnull=True)
            | Q(organisation__region_id__in=areas)
            | Q(organisation_id__in=[case.organisation_id, case.referred_to_id or 0])
        )
        .select_related("organisation", "station")
        .order_by("username")
    )
    out = []
    for user in users[: limit * 3]:
        candidate = actor_for(user)
        if (
            set(user.roles or []) & HANDLE_ROLES
            and not actor_is_partner(candidate)
            and case_is_visible(candidate, case)
        ):
            out.append(user)
    return out[:limit]


def case_organisation_choices(*, actor: Actor, partner: bool, limit: int = 500) -> list[Any]:
    """Active organisations in the actor's area a case may be referred to (partner departments)
    or transferred to (trade-union federations)."""
    from gongyou.accounts.enums import OrganisationKind
    from gongyou.accounts.selectors import organisation_list

    federations = [
        OrganisationKind.NATIONAL_FEDERATION,
        OrganisationKind.PROVINCIAL_FEDERATION,
        OrganisationKind.CITY_FEDERATION,
        OrganisationKind.DISTRICT_FEDERATION,
        OrganisationKind.PARK_FEDERATION,
    ]
    kinds = [OrganisationKind.PARTNER_DEPARTMENT] if partner else federations
    return list(organisation_list(actor=actor).filter(is_active=True, kind__in=kinds)[:limit])


def notification_unread_count(*, actor: Actor) -> int:
    """The nav badge: one COUNT on the (recipient, read_at) index."""
    return notifications_visible_to(actor).filter(read_at__isnull=True).count()
