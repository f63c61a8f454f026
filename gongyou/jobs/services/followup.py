"""Retention follow-ups: created by the daily task as to-dos, answered by the officer."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_build, audit_record
from gongyou.core.errors import Conflict, FieldErrors
from gongyou.core.models import AuditEvent

from ..enums import FOLLOW_UP_MONTHS, FollowUpStatus
from ..models import FollowUp, Placement
from ..policies import followup_require_can_answer
from .common import clean_day, clean_int, clean_text, user_of


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def followups_create_due(*, day: dt.date | None = None) -> int:
    """Create the 3-, 6- and 12-month follow-ups that are due by `day` (default today) and do
    not exist yet, for placements the worker has not left. Idempotent; one audit row each."""
    day = day or timezone.localdate()
    created: list[FollowUp] = []
    for month in FOLLOW_UP_MONTHS:
        # A loose pre-filter (month-end clamping: 31 Jan + 3 months = 30 Apr); the exact due
        # date is computed per placement below.
        cutoff = add_months(day, -month) + dt.timedelta(days=3)
        placements = (
            Placement.objects.filter(start_date__lte=cutoff, ended_on__isnull=True)
            .exclude(Exists(FollowUp.objects.filter(placement=OuterRef("pk"), month=month)))
            .values_list("pk", "start_date", "worker_id", "region_id")
        )
        for pk, start, _worker, _region in placements.iterator(chunk_size=2000):
            due = add_months(start, month)
            if due <= day:
                created.append(FollowUp(placement_id=pk, month=month, due_on=due))
    FollowUp.objects.bulk_create(created, batch_size=1000, ignore_conflicts=True)
    if created:
        keys = {(f.placement_id, f.month) for f in created}
        rows = FollowUp.objects.filter(
            placement_id__in={k[0] for k in keys}, status=FollowUpStatus.DUE
        ).select_related("placement")
        AuditEvent.objects.bulk_create(
            [
                audit_build(
                    actor=None,
                    action="followup.create",
                    entity=f,
                    after={"month": f.month, "due_on": f.due_on},
                    worker_id=f.placement.worker_id,
                    region_code=f.placement.region_id,
                    summary=_("Retention follow-up due (%(n)d months)") % {"n": f.month},
                )
                for f in rows
                if (f.placement_id, f.month) in keys
            ],
            batch_size=1000,
        )
    return len(created)


class FollowUpAnswered(Conflict):
    code = "followup_answered"
    default_message = gettext_lazy("This follow-up has already been answered.")


@transaction.atomic
def followup_answer(
    *,
    actor: Actor,
    followup: FollowUp,
    reached: Any,
    still_employed: Any = None,
    current_wage: Any = None,
    left_on: Any = None,
    note: Any = "",
) -> FollowUp:
    """Record the answer: not reached, or reached with whether the worker is still in the job
    (and their wage now). A worker who left ends the placement (no later follow-ups)."""
    followup_require_can_answer(actor, followup)
    errors = FieldErrors()
    reached_b = bool(reached) and str(reached).lower() not in ("0", "false", "no")
    employed: bool | None = None
    wage = left = None
    if reached_b:
        if still_employed in (None, ""):
            errors.add(
                "still_employed", "required", _("Say whether the worker is still in the job.")
            )
        else:
            employed = str(still_employed).lower() in ("1", "true", "yes", "on")
        wage = clean_int("current_wage", current_wage, errors, required=False, low=1)
        if employed is False:
            left = clean_day("left_on", left_on, errors, required=False, allow_future=False)
    text = clean_text("note", note, errors, required=False, limit=500)
    errors.raise_if_any()
    followup = FollowUp.objects.select_for_update().select_related("placement").get(pk=followup.pk)
    if followup.status != FollowUpStatus.DUE:
        raise FollowUpAnswered()
    placement = followup.placement
    if left is not None and left < placement.start_date:
        errors.add("left_on", "before_start", _("The worker cannot leave before starting."))
        errors.raise_if_any()
    followup.status = FollowUpStatus.ANSWERED if reached_b else FollowUpStatus.UNREACHABLE
    followup.still_employed, followup.current_wage, followup.note = employed, wage, text
    followup.answered_at, followup.answered_by = timezone.now(), user_of(actor)
    followup.save()
    after: dict[str, Any] = {"status": followup.status, "still_employed": employed}
    if wage is not None:
        after["current_wage"] = wage
    if employed is False:
        placement.ended_on = left or timezone.localdate()
        placement.save(update_fields=["ended_on", "updated_at"])
        after["ended_on"] = placement.ended_on
    audit_record(
        actor=user_of(actor),
        action="followup.answer",
        entity=followup,
        after=after,
        worker_id=placement.worker_id,
        region_code=placement.region_id,
        summary=_("%(n)d-month follow-up: %(s)s")
        % {
            "n": followup.month,
            "s": (
                _("could not reach the worker")
                if not reached_b
                else _("still in the job")
                if employed
                else _("left the job")
            ),
        },
    )
    return followup
