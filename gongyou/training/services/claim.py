"""Subsidy claims: one per completed trainee and course (never paid twice), and their decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldErrors, PermissionDenied

from ..enums import CLAIM_TRANSITIONS, COMPLETED, ClaimStatus, EnrolmentStatus
from ..models import Course, Enrolment, SubsidyClaim
from ..policies import claim_require_can_decide, course_require_can_manage
from .common import ClaimAlreadyMade, TransitionNotAllowed, bump, clean_text, clean_version, lock

C = ClaimStatus


def _live_claim(enrolment: Enrolment) -> SubsidyClaim | None:
    return (
        SubsidyClaim.objects.filter(course_id=enrolment.course_id, worker_id=enrolment.worker_id)
        .exclude(status=C.REJECTED)
        .first()
    )


def _submit(actor: Actor, enrolment: Enrolment) -> SubsidyClaim:
    course = enrolment.course
    if enrolment.status not in COMPLETED:
        raise Conflict(
            _("A subsidy is claimed for a trainee who completed the course (now: %(s)s).")
            % {"s": EnrolmentStatus(enrolment.status).label}
        )
    if course.subsidy_per_trainee <= 0:
        raise Conflict(_("The course has no subsidy per trainee."))
    existing = _live_claim(enrolment)
    if existing is not None:
        raise ClaimAlreadyMade(extra={"existing_claim": existing.pk})
    claim = SubsidyClaim(
        enrolment=enrolment,
        course=course,
        worker_id=enrolment.worker_id,
        provider_id=course.provider_id,
        campaign_id=course.campaign_id,
        amount=course.subsidy_per_trainee,
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        raise ClaimAlreadyMade() from None
    audit_record(
        actor=actor.user,
        action="training.claim.submit",
        entity=claim,
        worker_id=enrolment.worker_id,
        after={"course": course.pk, "amount": claim.amount},
        region_code=course.region_id,
        summary=_("Subsidy claim %(a)s yuan for %(c)s") % {"a": claim.amount, "c": course.title},
    )
    return claim


@transaction.atomic
def claim_submit(*, actor: Actor, enrolment: Enrolment) -> SubsidyClaim:
    """Claim the course's subsidy for one completed trainee."""
    course_require_can_manage(actor, enrolment.course)
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    return _submit(actor, enrolment)


@transaction.atomic
def claim_submit_for_course(*, actor: Actor, course: Course) -> list[SubsidyClaim]:
    """Claim for every completed trainee of the course who has no claim yet."""
    course_require_can_manage(actor, course)
    claimed = set(
        SubsidyClaim.objects.filter(course=course)
        .exclude(status=C.REJECTED)
        .values_list("worker_id", flat=True)
    )
    pending = (
        Enrolment.objects.select_for_update()
        .filter(course=course, status__in=COMPLETED)
        .exclude(worker_id__in=claimed)
        .select_related("course")
        .order_by("id")
    )
    return [_submit(actor, enrolment) for enrolment in pending]


@transaction.atomic
def claim_transition(
    *,
    actor: Actor,
    claim: SubsidyClaim,
    to_status: Any,
    version: Any,
    reason: Any = "",
    paid_on: Any = None,
    today: dt.date | None = None,
) -> SubsidyClaim:
    """Approve, reject (with a reason) or record the payment of a claim."""
    claim_require_can_decide(actor, claim)
    errors = FieldErrors()
    target = str(to_status or "")
    if target not in C.values:
        errors.add("to_status", "invalid_choice", _("Choose a status."))
    version_n = clean_version(version, errors)
    text = clean_text("reason", reason, errors, required=target == C.REJECTED, limit=300)
    paid = None
    if target == C.PAID:
        paid = clean_date("paid_on", paid_on, errors, today=today) or (
            None if "paid_on" in errors.errors else (today or timezone.localdate())
        )
    errors.raise_if_any()
    claim = lock(SubsidyClaim, claim.pk, version_n)
    before = claim.status
    allowed = CLAIM_TRANSITIONS.get(before, {})
    if target not in allowed:
        raise TransitionNotAllowed(
            _("A claim cannot go from “%(a)s” to “%(b)s”.")
            % {"a": C(before).label, "b": C(target).label}
        )
    if not actor.roles & allowed[target]:
        raise PermissionDenied(_("Your role cannot make this change."))
    claim.status = target
    fields = ["status"]
    if text:
        claim.decision_reason = text
        fields.append("decision_reason")
    if paid:
        claim.paid_on = paid
        fields.append("paid_on")
    bump(claim, *fields)
    audit_record(
        actor=actor.user,
        action="training.claim.transition",
        entity=claim,
        worker_id=claim.worker_id,
        before={"status": before},
        after={"status": target, **({"paid_on": paid} if paid else {})},
        purpose=text,
        region_code=claim.course.region_id,
        summary=f"{_('Subsidy claim')}: {C(before).label} → {C(target).label}",
    )
    return claim
