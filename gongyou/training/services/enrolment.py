"""Enrolments: apply, the one transition service (seats, attendance threshold, assessment,
the skill-level certificate on certification), and attendance records.

Seats: `Course.seats_taken` changes only through `_take_seat`/`_free_seat`. Taking a seat is
one conditional UPDATE (`seats_taken < seats`): concurrent enrolments queue on the row lock and
the loser's UPDATE re-reads the row and matches nothing, so it gets CourseFull; the CHECK
constraint `course_seats_not_overbooked` backs it up (docs/decisions/0007).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.classifications.enums import SkillLevel
from gongyou.core.audit import audit_record
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldError, FieldErrors, NotFound, PermissionDenied
from gongyou.workers.models import Worker
from gongyou.workers.selectors import worker_get
from gongyou.workers.services import certificate_add

from ..enums import APPLY, ENROLMENT_TRANSITIONS, INACTIVE, SEAT_HOLDING, EnrolmentStatus
from ..models import Attendance, Course, Enrolment
from ..policies import course_is_visible, course_require_can_manage, enrolment_require_visible
from .common import (
    CourseFull,
    TransitionNotAllowed,
    bump,
    clean_amount,
    clean_int,
    clean_text,
    clean_version,
    lock,
)

E = EnrolmentStatus


class AlreadyEnrolled(Conflict):
    code = "already_enrolled"
    default_message = gettext_lazy(
        "The worker already has an application or a place on this course."
    )


def _take_seat(course_id: int) -> None:
    taken = Course.objects.filter(pk=course_id, seats_taken__lt=F("seats")).update(
        seats_taken=F("seats_taken") + 1
    )
    if not taken:
        raise CourseFull()


def _free_seat(course_id: int) -> None:
    Course.objects.filter(pk=course_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


def _worker(actor: Actor, worker_id: Any, errors: FieldErrors) -> Worker | None:
    wid = clean_int("worker_id", worker_id, errors, high=2**62)
    if wid is None:
        return None
    try:
        return worker_get(actor=actor, worker_id=wid)
    except NotFound:
        errors.add("worker_id", "unknown_worker", _("No worker with this number in your area."))
        return None


def _label(course: Course) -> str:
    return course.title


@transaction.atomic
def enrolment_apply(
    *,
    actor: Actor,
    course: Course,
    worker_id: Any,
    enrol: bool = False,
    note: Any = "",
    today: dt.date | None = None,
) -> Enrolment:
    """Apply a worker for a course in its enrolment window; `enrol=True` also gives them a
    seat at once (providers and officers), which fails with CourseFull when none is free."""
    if not course_is_visible(actor, course):
        raise NotFound()
    if not actor.roles & APPLY:
        raise PermissionDenied()
    if enrol:
        course_require_can_manage(actor, course)
    errors = FieldErrors()
    worker = _worker(actor, worker_id, errors)
    text = clean_text("note", note, errors, required=False, limit=300)
    day = today or timezone.localdate()
    if day < course.enrol_opens_on:
        errors.add(
            "course",
            "enrolment_not_open",
            _("Enrolment opens on %(d)s.") % {"d": course.enrol_opens_on},
        )
    elif day > course.enrol_closes_on:
        errors.add(
            "course",
            "enrolment_closed",
            _("Enrolment closed on %(d)s.") % {"d": course.enrol_closes_on},
        )
    errors.raise_if_any()
    assert worker is not None
    live = Enrolment.objects.filter(course=course, worker=worker).exclude(status__in=INACTIVE)
    if live.exists():
        raise AlreadyEnrolled(
            fields={"worker_id": FieldError("already_enrolled", _("Already on this course."))}
        )
    if enrol:
        _take_seat(course.pk)
    enrolment = Enrolment(
        course=course,
        worker=worker,
        status=E.ENROLLED if enrol else E.APPLIED,
        holds_seat=enrol,
        note=text,
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise AlreadyEnrolled() from None
    audit_record(
        actor=actor.user,
        action="training.enrolment.apply",
        entity=enrolment,
        worker_id=worker.pk,
        after={"course": course.pk, "status": enrolment.status},
        region_code=course.region_id,
        summary=(_("Enrolled on %(c)s") if enrol else _("Applied for %(c)s"))
        % {"c": _label(course)},
    )
    return enrolment


def attended_hours(enrolment: Enrolment) -> Decimal:
    total = enrolment.attendance.aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.1"))


def required_hours(course: Course) -> Decimal:
    return (Decimal(course.hours) * course.min_attendance_percent / 100).quantize(Decimal("0.1"))


@transaction.atomic
def enrolment_transition(
    *,
    actor: Actor,
    enrolment: Enrolment,
    to_status: Any,
    version: Any,
    reason: Any = "",
    assessed_on: Any = None,
    score: Any = None,
    certificate_no: Any = "",
    issuing_organisation: Any = "",
    issued_on: Any = None,
    today: dt.date | None = None,
) -> Enrolment:
    """Move an enrolment along ENROLMENT_TRANSITIONS.

    enrolled takes a seat; withdrawn and dropped free it; completed needs the course's share of
    attended hours; an assessment needs its date; certified records the skill-level certificate
    on the worker (workers.services.certificate_add) for the course's occupation and level.
    """
    enrolment_require_visible(actor, enrolment)
    errors = FieldErrors()
    target = str(to_status or "")
    if target not in E.values:
        errors.add("to_status", "invalid_choice", _("Choose a status."))
    version_n = clean_version(version, errors)
    text = clean_text(
        "reason", reason, errors, required=target in (E.WITHDRAWN, E.DROPPED), limit=300
    )
    day = today or timezone.localdate()
    assessed = None
    score_n = None
    if target in (E.ASSESSED_PASS, E.ASSESSED_FAIL):
        assessed = clean_date("assessed_on", assessed_on, errors, today=day) or (
            None if "assessed_on" in errors.errors else day
        )
        score_n = clean_amount("score", score, errors, places=1)
        if score_n is not None and score_n > 100:
            errors.add("score", "out_of_range", _("A score is from 0 to 100."))
    errors.raise_if_any()
    enrolment = lock(Enrolment, enrolment.pk, version_n)
    course = enrolment.course
    before = enrolment.status
    allowed = ENROLMENT_TRANSITIONS.get(before, {})
    if target not in allowed:
        raise TransitionNotAllowed(
            _("An enrolment cannot go from “%(a)s” to “%(b)s”.")
            % {"a": E(before).label, "b": E(target).label},
            extra={"allowed": sorted(k for k, roles in allowed.items() if actor.roles & roles)},
        )
    if not actor.roles & allowed[target]:
        raise PermissionDenied(_("Your role cannot make this change."))
    if allowed[target] != APPLY:
        course_require_can_manage(actor, course)
    after: dict[str, Any] = {"status": target}
    fields = ["status"]
    if target == E.COMPLETED:
        attended, needed = attended_hours(enrolment), required_hours(course)
        if attended < needed:
            raise Conflict(
                _(
                    "%(a)s of %(n)s required hours attended (%(p)d%% of %(h)d); "
                    "record the attendance first."
                )
                % {
                    "a": attended,
                    "n": needed,
                    "p": course.min_attendance_percent,
                    "h": course.hours,
                },
                extra={"attended_hours": str(attended), "required_hours": str(needed)},
            )
        after["attended_hours"] = str(attended)
    if target == E.ENROLLED:
        _take_seat(course.pk)
        enrolment.holds_seat = True
        fields.append("holds_seat")
    if target in (E.WITHDRAWN, E.DROPPED) and enrolment.holds_seat:
        _free_seat(course.pk)
        enrolment.holds_seat = False
        fields.append("holds_seat")
    if target in (E.ASSESSED_PASS, E.ASSESSED_FAIL):
        enrolment.assessed_on, enrolment.assessment_score = assessed, score_n
        fields += ["assessed_on", "assessment_score"]
        after.update(assessed_on=assessed, score=score_n)
    if target == E.CERTIFIED:
        cert = certificate_add(
            actor=actor,
            worker=enrolment.worker,
            occupation=course.occupation_id,
            level=course.target_level,
            certificate_no=certificate_no,
            issuing_organisation=str(issuing_organisation or "").strip() or course.provider.name,
            issued_on=issued_on or enrolment.assessed_on or day,
        )
        enrolment.certificate = cert
        fields.append("certificate")
        after.update(certificate=cert.pk, level=course.target_level)
    if text:
        enrolment.note = text
        fields.append("note")
    enrolment.status = target
    assert target in SEAT_HOLDING or not enrolment.holds_seat
    bump(enrolment, *fields)
    summary = f"{_label(course)}: {E(before).label} → {E(target).label}"
    if target == E.CERTIFIED:
        summary += " · " + str(SkillLevel(course.target_level).label)
    audit_record(
        actor=actor.user,
        action="training.enrolment.transition",
        entity=enrolment,
        worker_id=enrolment.worker_id,
        before={"status": before},
        after=after,
        purpose=text,
        region_code=course.region_id,
        summary=summary,
    )
    return enrolment


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    enrolment: Enrolment,
    date: Any,
    hours: Any,
    today: dt.date | None = None,
) -> Attendance:
    """Record (or correct) the hours a trainee attended on one day of the course."""
    course_require_can_manage(actor, enrolment.course)
    course = enrolment.course
    errors = FieldErrors()
    day = clean_date("date", date, errors, today=today)
    if day is None and "date" not in errors.errors:
        errors.add("date", "required", _("Enter the day of the session."))
    if day and not course.starts_on <= day <= course.ends_on:
        errors.add(
            "date",
            "outside_course",
            _("The course runs from %(a)s to %(b)s.")
            % {"a": course.starts_on, "b": course.ends_on},
        )
    amount = clean_amount("hours", hours, errors, required=True, places=1)
    if amount is not None and amount > 24:
        errors.add("hours", "out_of_range", _("At most 24 hours a day."))
    if enrolment.status != E.IN_TRAINING:
        errors.add(
            "enrolment",
            "not_in_training",
            _("Attendance is recorded while the trainee is in training (now: %(s)s).")
            % {"s": E(enrolment.status).label},
        )
    errors.raise_if_any()
    record, _created = Attendance.objects.update_or_create(
        enrolment=enrolment,
        date=day,
        defaults={"hours": amount, "recorded_by": actor.user},
    )
    audit_record(
        actor=actor.user,
        action="training.attendance.record",
        entity=record,
        worker_id=enrolment.worker_id,
        after={"enrolment": enrolment.pk, "date": day, "hours": amount},
        region_code=course.region_id,
        summary=_("Attendance %(d)s: %(h)s h (%(c)s)")
        % {"d": day, "h": amount, "c": _label(course)},
    )
    return record


# --- A worker's own application (the worker portal) --------------------------------------------


class _PortalChannel:
    """The audit actor of a worker's own application: no staff user (the audit row's actor is
    empty), labelled with the channel and the worker so the trail says who asked."""

    pk = None
    organisation_id = None

    def __init__(self, worker_id: int) -> None:
        self.worker_id = worker_id

    def get_username(self) -> str:
        return f"portal: worker {self.worker_id}"


@transaction.atomic
def enrolment_apply_by_worker(
    *,
    worker: Worker,
    course: Course,
    note: Any = "",
    today: dt.date | None = None,
) -> Enrolment:
    """A worker applies for an open course for themselves (the worker portal).

    The caller passes the signed-in worker's own record: there is no staff scope to check, so
    the course must be open to everybody: in its enrolment window and with a seat free now.
    The application is `applied` and holds no seat, like one made at a station; the seat is
    taken only when an officer enrols the worker, through the same conditional counter
    (`_take_seat`), so over-booking stays impossible. The course row is locked while checking,
    so an application is not accepted for a course that a concurrent enrolment just filled.
    """
    errors = FieldErrors()
    text = clean_text("note", note, errors, required=False, limit=300)
    day = today or timezone.localdate()
    locked = Course.objects.select_for_update().filter(pk=course.pk).first()
    if locked is None:
        raise NotFound()
    course = locked
    if day < course.enrol_opens_on:
        errors.add(
            "course",
            "enrolment_not_open",
            _("Enrolment opens on %(d)s.") % {"d": course.enrol_opens_on},
        )
    elif day > course.enrol_closes_on:
        errors.add(
            "course",
            "enrolment_closed",
            _("Enrolment closed on %(d)s.") % {"d": course.enrol_closes_on},
        )
    errors.raise_if_any()
    if worker.merged_into_id is not None:
        raise NotFound()
    live = Enrolment.objects.filter(course=course, worker=worker).exclude(status__in=INACTIVE)
    if live.exists():
        raise AlreadyEnrolled(
            _("You have already applied for this course (or have a place on it)."),
            fields={"course": FieldError("already_enrolled", _("Already applied."))},
        )
    if course.seats_taken >= course.seats:
        raise CourseFull(_("This course has no free seat left."))
    enrolment = Enrolment(
        course=course,
        worker=worker,
        status=E.APPLIED,
        holds_seat=False,
        note=text,
        created_by=None,
    )
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise AlreadyEnrolled(
            _("You have already applied for this course (or have a place on it).")
        ) from None
    audit_record(
        actor=_PortalChannel(worker.pk),
        action="training.enrolment.apply",
        entity=enrolment,
        worker_id=worker.pk,
        after={"course": course.pk, "status": enrolment.status, "channel": "portal"},
        region_code=course.region_id,
        summary=_("Applied for %(c)s (own application, worker portal)") % {"c": _label(course)},
    )
    return enrolment
