"""Deadline writes: start per stage, meet, extend where the law allows; the holiday calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import FieldErrors, NotFound

from ..deadlines import (
    ALTERNATIVES,
    FOLLOW_ON,
    RULES,
    STAGE_MEETS,
    STAGE_OF,
    STAGE_STARTS,
    WorkCalendar,
    rule_due_date,
)
from ..enums import FINISHED, CaseEventKind, DeadlineKind, DeadlineStatus, DeadlineUnit
from ..models import Case, Deadline, HolidayCalendarDay
from ..policies import calendar_require_can_edit, case_require_can_handle
from ..selectors import work_calendar
from .common import bump, clean_id, clean_text, clean_version, lock, record


def deadline_start(*, case: Case, kind: str, start: dt.date, cal: WorkCalendar) -> Deadline:
    """Open one statutory deadline (internal: called by the case services in their transaction)."""
    rule = RULES[kind]
    due = rule_due_date(kind=kind, start=start, cal=cal)
    return Deadline.objects.create(
        case=case,
        kind=kind,
        legal_basis=rule.legal_basis,
        trust=rule.trust,
        start_date=start,
        unit=rule.unit,
        length=rule.length,
        due_date=due.due,
        calendar_missing=due.calendar_missing,
    )


def deadlines_at_intake(*, case: Case, cal: WorkCalendar) -> list[Deadline]:
    started = []
    if case.infringement_known_on:
        started.append(
            deadline_start(
                case=case,
                kind=DeadlineKind.ARBITRATION_LIMITATION,
                start=case.infringement_known_on,
                cal=cal,
            )
        )
    if case.type == "work_injury" and case.incident_on:
        for kind in (
            DeadlineKind.INJURY_APPLICATION_EMPLOYER,
            DeadlineKind.INJURY_APPLICATION_WORKER,
        ):
            started.append(deadline_start(case=case, kind=kind, start=case.incident_on, cal=cal))
    return started


def deadlines_on_transition(*, case: Case, to_status: str, today: dt.date) -> dict[str, list[str]]:
    """Meet, stop and start deadlines for the stage the case enters; returns what changed."""
    changes: dict[str, list[str]] = {"met": [], "stopped": [], "started": []}
    now = timezone.now()
    open_kinds = set()
    for d in case.deadlines.filter(status=DeadlineStatus.OPEN):
        if d.kind in STAGE_MEETS.get(to_status, ()):
            d.status, d.met_on, d.met_at = DeadlineStatus.MET, today, now
            changes["met"].append(d.kind)
        elif to_status in FINISHED or (d.kind in STAGE_OF and STAGE_OF[d.kind] != to_status):
            d.status = DeadlineStatus.STOPPED
            changes["stopped"].append(d.kind)
        else:
            open_kinds.add(d.kind)
            continue
        d.save(update_fields=["status", "met_on", "met_at"])
    to_start = [k for k in STAGE_STARTS.get(to_status, ()) if k not in open_kinds]
    if to_start:
        cal = work_calendar()
        for kind in to_start:
            deadline_start(case=case, kind=kind, start=today, cal=cal)
            changes["started"].append(kind)
    return changes


def _open_deadline(case: Case, deadline_id: int | None) -> Deadline:
    deadline = case.deadlines.filter(pk=deadline_id or 0).first()
    if deadline is None:
        raise NotFound()
    return deadline


@transaction.atomic
def deadline_meet(
    *, actor: Actor, case: Case, deadline_id: Any, met_on: Any = None, version: Any
) -> Deadline:
    """Record that a deadline was met (e.g. the arbitration commission accepted the case on
    `met_on`); starts the follow-on deadline from that day."""
    case_require_can_handle(actor, case)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    day = clean_date("met_on", met_on, errors) or timezone.localdate()
    errors.raise_if_any()
    case = lock(case, version_n)
    deadline = _open_deadline(case, clean_id("deadline_id", deadline_id, FieldErrors()))
    if deadline.status != DeadlineStatus.OPEN:
        errors.add("deadline_id", "not_open", _("This deadline is no longer open."))
    if day < deadline.start_date:
        errors.add("met_on", "before_start", _("The date is before the deadline started."))
    errors.raise_if_any()
    deadline.status, deadline.met_on, deadline.met_at = DeadlineStatus.MET, day, timezone.now()
    deadline.save(update_fields=["status", "met_on", "met_at"])
    stopped = []
    for other in case.deadlines.filter(
        status=DeadlineStatus.OPEN, kind__in=ALTERNATIVES.get(deadline.kind, ())
    ):
        other.status = DeadlineStatus.STOPPED
        other.save(update_fields=["status"])
        stopped.append(other.kind)
    started = []
    follow = FOLLOW_ON.get(deadline.kind)
    if follow and not case.deadlines.filter(kind=follow, status=DeadlineStatus.OPEN).exists():
        deadline_start(case=case, kind=follow, start=day, cal=work_calendar())
        started.append(follow)
    bump(case)
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.DEADLINE,
        action="case.deadline_met",
        summary=_("Deadline met: %(kind)s") % {"kind": DeadlineKind(deadline.kind).label},
        after={"deadline": deadline.kind, "met_on": day, "started": started, "stopped": stopped},
    )
    return deadline


@transaction.atomic
def deadline_extend(
    *, actor: Actor, case: Case, deadline_id: Any, days: Any, reason: Any, version: Any
) -> Deadline:
    """Extend once, by no more than the law allows (arbitration award +15 days, labour-inspection
    investigation +30 working days); other limits cannot be extended here."""
    case_require_can_handle(actor, case)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    text = clean_text("reason", reason, errors, required=True, limit=1000)
    amount = clean_id("days", days, errors)
    errors.raise_if_any()
    case = lock(case, version_n)
    deadline = _open_deadline(case, clean_id("deadline_id", deadline_id, FieldErrors()))
    rule = RULES[deadline.kind]
    if deadline.status != DeadlineStatus.OPEN:
        errors.add("deadline_id", "not_open", _("This deadline is no longer open."))
    elif not rule.extension:
        errors.add("deadline_id", "not_extendable", _("The law allows no extension of this limit."))
    elif deadline.extended_by:
        errors.add("deadline_id", "already_extended", _("This limit can be extended only once."))
    elif amount is not None and not 1 <= amount <= rule.extension:
        errors.add(
            "days",
            "out_of_range",
            _("Extend by 1 to %(n)d %(unit)s.")
            % {"n": rule.extension, "unit": DeadlineUnit(deadline.unit).label},
        )
    errors.raise_if_any()
    assert amount is not None
    before = {"due_date": deadline.due_date.isoformat(), "extended_by": 0}
    due = rule_due_date(
        kind=deadline.kind, start=deadline.start_date, cal=work_calendar(), extended_by=amount
    )
    deadline.extended_by, deadline.due_date = amount, due.due
    deadline.calendar_missing = due.calendar_missing
    deadline.save(update_fields=["extended_by", "due_date", "calendar_missing"])
    bump(case)
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.DEADLINE,
        action="case.deadline_extend",
        summary=_("Deadline extended: %(kind)s") % {"kind": DeadlineKind(deadline.kind).label},
        reason=text,
        before=before,
        after={"due_date": due.due.isoformat(), "extended_by": amount},
    )
    return deadline


def deadlines_recompute(*, around: dt.date | None = None) -> int:
    """Recompute open deadlines after the calendar changed: those still missing a calendar, and
    those whose period could include `around`. Returns how many due dates changed."""
    cal = work_calendar()
    qs = Deadline.objects.filter(status=DeadlineStatus.OPEN)
    if around is not None:
        near = qs.filter(start_date__lte=around, due_date__gte=around - dt.timedelta(days=40))
        qs = qs.filter(pk__in=near.values("pk")) | qs.filter(calendar_missing=True)
    else:
        qs = qs.filter(calendar_missing=True)
    changed = 0
    for d in qs:
        due = rule_due_date(kind=d.kind, start=d.start_date, cal=cal, extended_by=d.extended_by)
        if (due.due, due.calendar_missing) != (d.due_date, d.calendar_missing):
            d.due_date, d.calendar_missing = due.due, due.calendar_missing
            d.save(update_fields=["due_date", "calendar_missing"])
            changed += 1
    return changed


@transaction.atomic
def calendar_day_set(
    *, actor: Actor, date: Any, is_working_day: Any, name: Any = ""
) -> HolidayCalendarDay:
    """Enter one day of the State Council's holiday notice; open deadlines are recomputed."""
    calendar_require_can_edit(actor)
    errors = FieldErrors()
    day = None
    try:
        day = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date or ""))
    except ValueError:
        errors.add("date", "invalid_date", _("Enter a date as YYYY-MM-DD."))
    if not isinstance(is_working_day, bool):
        errors.add("is_working_day", "required", _("Say whether it is a working day."))
    label = clean_text("name", name, errors, required=False, limit=50)
    errors.raise_if_any()
    assert day is not None
    row, _created = HolidayCalendarDay.objects.update_or_create(
        date=day, defaults={"is_working_day": is_working_day, "name": label}
    )
    changed = deadlines_recompute(around=day)
    audit_record(
        actor=actor.user,
        action="calendar.set",
        entity=row,
        after={"date": day, "is_working_day": is_working_day, "name": label},
        summary=_("Calendar %(d)s: %(kind)s; %(n)d deadlines recomputed")
        % {
            "d": day.isoformat(),
            "kind": _("working day") if is_working_day else _("holiday"),
            "n": changed,
        },
    )
    return row
