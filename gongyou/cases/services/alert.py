"""Notifications, the daily deadline run, and the wage-arrears early warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.accounts.selectors import organisation_admins
from gongyou.core.errors import NotFound
from gongyou.employers.services import employer_set_arrears_flag

from ..enums import FINISHED, CaseStatus, CaseType, DeadlineKind, DeadlineStatus, NotificationKind
from ..models import Case, Deadline, Notification
from ..policies import notifications_visible_to
from .deadline import deadlines_recompute
from .project import project_set_arrears_flag

ARREARS_WINDOW = dt.timedelta(days=365)


def notify(*, recipients: Iterable[Any], case: Case, kind: str, text: str, key: str) -> int:
    """One notification per recipient and key (repeating a key is a no-op: tasks may rerun)."""
    users = {u.pk: u for u in recipients if u is not None}
    key = key[:80]
    done = set(
        Notification.objects.filter(recipient_id__in=users, key=key).values_list(
            "recipient_id", flat=True
        )
    )
    rows = [
        Notification(recipient=user, case=case, kind=kind, text=text[:300], key=key)
        for pk, user in users.items()
        if pk not in done
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)  # a concurrent run: no-op
    return len(rows)


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification_id: int) -> Notification:
    note = notifications_visible_to(actor).filter(pk=notification_id).first()
    if note is None:
        raise NotFound()
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


def _wage_cases_since(since: dt.datetime) -> Any:
    return Case.objects.filter(type=CaseType.WAGE_ARREARS, received_at__gte=since).exclude(
        status=CaseStatus.REJECTED
    )


def arrears_evaluate(*, case: Case) -> list[str]:
    """Flag the case's respondents and project when they have repeated (≥ threshold in 12
    months) or collective (≥ threshold claimants) wage-arrears cases. Flags never clear here:
    clearing is a person's decision with a reason. Returns what was flagged."""
    if case.type != CaseType.WAGE_ARREARS or case.status == CaseStatus.REJECTED:
        return []
    repeat = int(settings.CASES_ARREARS_REPEAT_THRESHOLD)
    recent = _wage_cases_since(timezone.now() - ARREARS_WINDOW)
    flagged: list[str] = []
    for respondent in case.respondents.select_related("employer", "project"):
        employer = respondent.employer
        if not employer.arrears_flagged:
            count = recent.filter(respondents__employer=employer).distinct().count()
            reason = _reason(case, count, repeat)
            if reason:
                employer_set_arrears_flag(
                    actor=None, employer=employer, flagged=True, reason=reason
                )
                flagged.append(f"employer:{employer.pk}")
        project = respondent.project
        if project is not None and not project.arrears_flagged:
            count = recent.filter(respondents__project=project).distinct().count()
            reason = _reason(case, count, repeat)
            if reason:
                project_set_arrears_flag(
                    actor=None, project=project, flagged=True, reason=reason[:300]
                )
                flagged.append(f"project:{project.pk}")
    return flagged


def _reason(case: Case, count: int, repeat: int) -> str:
    if case.is_collective:
        return _("Collective wage-arrears case %(ref)s (%(n)d claimants)") % {
            "ref": case.reference,
            "n": case.claimants.count(),
        }
    if count >= repeat:
        return _("%(n)d wage-arrears cases in 12 months (latest %(ref)s)") % {
            "n": count,
            "ref": case.reference,
        }
    return ""


def _label(deadline: Deadline) -> str:
    return str(DeadlineKind(deadline.kind).label)


@transaction.atomic
def cases_daily_run(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily deadline run (idempotent): recompute deadlines still missing a calendar, remind
    handlers of near deadlines (daily), tell handlers of overdue ones and escalate those to
    the handling organisation's admins (once per deadline)."""
    today = today or timezone.localdate()
    counts = {"recomputed": deadlines_recompute(), "near": 0, "overdue": 0, "escalated": 0}
    horizon = today + dt.timedelta(days=int(settings.CASES_DEADLINE_NEAR_DAYS))
    due = (
        Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__lte=horizon)
        .exclude(case__status__in=FINISHED)
        .select_related("case", "case__assigned_to")
        .order_by("due_date", "id")
    )
    deadlines = list(due)
    admins: dict[int, list[Any]] = {}
    org_ids = sorted({d.case.organisation_id for d in deadlines if d.due_date < today})
    for user in organisation_admins(organisation_ids=org_ids):
        admins.setdefault(user.organisation_id or 0, []).append(user)
    for d in deadlines:
        case, handler = d.case, d.case.assigned_to
        left = (d.due_date - today).days
        if left >= 0:
            counts["near"] += notify(
                recipients=[handler] if handler else admins_for(case, admins),
                case=case,
                kind=NotificationKind.DEADLINE_NEAR,
                text=_("%(ref)s: %(kind)s due %(due)s (%(n)d days left)")
                % {"ref": case.reference, "kind": _label(d), "due": d.due_date, "n": left},
                key=f"near:{d.pk}:{today.isoformat()}",
            )
            continue
        counts["overdue"] += notify(
            recipients=[handler],
            case=case,
            kind=NotificationKind.DEADLINE_OVERDUE,
            text=_("%(ref)s: %(kind)s was due %(due)s")
            % {"ref": case.reference, "kind": _label(d), "due": d.due_date},
            key=f"overdue:{d.pk}",
        )
        counts["escalated"] += notify(
            recipients=admins.get(case.organisation_id, []),
            case=case,
            kind=NotificationKind.ESCALATION,
            text=_("Escalated: %(ref)s is overdue (%(kind)s was due %(due)s)")
            % {"ref": case.reference, "kind": _label(d), "due": d.due_date},
            key=f"escalation:{d.pk}",
        )
    return counts


def admins_for(case: Case, cache: dict[int, list[Any]]) -> list[Any]:
    """An unassigned case's reminders go to its organisation's admins."""
    if case.organisation_id not in cache:
        cache[case.organisation_id] = organisation_admins(organisation_ids=[case.organisation_id])
    return cache[case.organisation_id]
