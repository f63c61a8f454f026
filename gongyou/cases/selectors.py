"""Reads of cases, always from the policy's scoped queryset; the working-day calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.errors import NotFound
from gongyou.employers.models import Employer
from gongyou.regions.selectors import region_range_q

from .deadlines import WorkCalendar
from .enums import DeadlineStatus
from .models import Case, CaseEvent, Claimant, Deadline, HolidayCalendarDay, Notification
from .policies import cases_visible_to, notifications_visible_to

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
        qs = qs.filter(respondents__employer_id=f.employer_id).distinct()
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
                "respondents__project",
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
