"""Every allowed edge of the enrolment, claim and study lifecycles, and that every other edge is
refused (TRANSITIONS in training/enums.py)."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from gongyou.core.errors import Conflict
from gongyou.training.enums import (
    CLAIM_TRANSITIONS,
    ENROLMENT_TRANSITIONS,
    STUDY_TRANSITIONS,
    ClaimStatus,
    EnrolmentStatus,
    StudyStatus,
)
from gongyou.training.models import Course
from gongyou.training.services import (
    TransitionNotAllowed,
    attendance_record,
    claim_submit,
    claim_transition,
    credit_record,
    enrolment_apply,
    enrolment_transition,
    study_apply,
    study_transition,
)
from gongyou.training.tests.factories import make_course, make_programme

pytestmark = pytest.mark.django_db
E = EnrolmentStatus
_cert = itertools.count(1)

PATHS = {
    E.APPLIED: [],
    E.ENROLLED: [E.ENROLLED],
    E.IN_TRAINING: [E.ENROLLED, E.IN_TRAINING],
    E.COMPLETED: [E.ENROLLED, E.IN_TRAINING, E.COMPLETED],
    E.ASSESSED_PASS: [E.ENROLLED, E.IN_TRAINING, E.COMPLETED, E.ASSESSED_PASS],
    E.ASSESSED_FAIL: [E.ENROLLED, E.IN_TRAINING, E.COMPLETED, E.ASSESSED_FAIL],
    E.CERTIFIED: [E.ENROLLED, E.IN_TRAINING, E.COMPLETED, E.ASSESSED_PASS, E.CERTIFIED],
    E.WITHDRAWN: [E.WITHDRAWN],
    E.DROPPED: [E.ENROLLED, E.IN_TRAINING, E.DROPPED],
}


@pytest.fixture
def running_course(provider_actor):
    today = timezone.localdate()
    return make_course(
        actor=provider_actor,
        seats=60,
        hours=16,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=10),
        enrol_opens_on=today - dt.timedelta(days=30),
        enrol_closes_on=today,
    )


def move(actor, enrolment, target):
    extra = {}
    if target in (E.WITHDRAWN, E.DROPPED):
        extra["reason"] = "家中有事"
    if target == E.CERTIFIED:
        extra["certificate_no"] = f"S{next(_cert):012d}"
    if target == E.COMPLETED:
        start = enrolment.course.starts_on
        for d in range(2):
            attendance_record(
                actor=actor, enrolment=enrolment, date=start + dt.timedelta(days=d), hours=8
            )
    return enrolment_transition(
        actor=actor, enrolment=enrolment, to_status=target, version=enrolment.version, **extra
    )


def reach(actor, course, worker, status):
    enrolment = enrolment_apply(actor=actor, course=course, worker_id=worker.pk)
    for step in PATHS[status]:
        enrolment = move(actor, enrolment, step)
    assert enrolment.status == status
    return enrolment


EDGES = sorted((a, b) for a, targets in ENROLMENT_TRANSITIONS.items() for b in targets)
REFUSED = [(a, b) for a in E.values for b in E.values if b not in ENROLMENT_TRANSITIONS.get(a, {})]


@pytest.mark.parametrize(("source", "target"), EDGES)
def test_every_allowed_enrolment_edge(
    provider_actor, running_course, worker_factory, source, target
):
    worker = worker_factory(current_region="440305")
    enrolment = reach(provider_actor, running_course, worker, source)
    seats_before = Course.objects.get(pk=running_course.pk).seats_taken
    moved = move(provider_actor, enrolment, target)
    assert moved.status == target
    seats_after = Course.objects.get(pk=running_course.pk).seats_taken
    if target == E.ENROLLED:
        assert seats_after == seats_before + 1 and moved.holds_seat
    elif target in (E.WITHDRAWN, E.DROPPED) and source != E.APPLIED:
        assert seats_after == seats_before - 1 and not moved.holds_seat
    else:
        assert seats_after == seats_before


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_other_enrolment_edge_is_refused(
    provider_actor, running_course, worker_factory, source, target
):
    worker = worker_factory(current_region="440305")
    enrolment = reach(provider_actor, running_course, worker, source)
    with pytest.raises(TransitionNotAllowed):
        enrolment_transition(
            actor=provider_actor,
            enrolment=enrolment,
            to_status=target,
            version=enrolment.version,
            reason="x",
            certificate_no="X1",
        )


def _completed(actor, course, worker):
    return reach(actor, course, worker, E.COMPLETED)


CLAIM_EDGES = sorted((a, b) for a, targets in CLAIM_TRANSITIONS.items() for b in targets)
CLAIM_REFUSED = [
    (a, b)
    for a in ClaimStatus.values
    for b in ClaimStatus.values
    if b not in CLAIM_TRANSITIONS.get(a, {})
]
CLAIM_PATHS = {
    ClaimStatus.SUBMITTED: [],
    ClaimStatus.APPROVED: [ClaimStatus.APPROVED],
    ClaimStatus.REJECTED: [ClaimStatus.REJECTED],
    ClaimStatus.PAID: [ClaimStatus.APPROVED, ClaimStatus.PAID],
}


def claim_reach(provider_actor, officer_actor, course, worker, status):
    claim = claim_submit(actor=provider_actor, enrolment=_completed(provider_actor, course, worker))
    for step in CLAIM_PATHS[status]:
        claim = claim_transition(
            actor=officer_actor, claim=claim, to_status=step, version=claim.version, reason="核对"
        )
    return claim


@pytest.mark.parametrize(("source", "target"), CLAIM_EDGES)
def test_every_allowed_claim_edge(
    provider_actor, officer_actor, running_course, worker_factory, source, target
):
    claim = claim_reach(
        provider_actor,
        officer_actor,
        running_course,
        worker_factory(current_region="440305"),
        source,
    )
    claim = claim_transition(
        actor=officer_actor, claim=claim, to_status=target, version=claim.version, reason="核对"
    )
    assert claim.status == target
    if target == ClaimStatus.PAID:
        assert claim.paid_on == timezone.localdate()


@pytest.mark.parametrize(("source", "target"), CLAIM_REFUSED)
def test_every_other_claim_edge_is_refused(
    provider_actor, officer_actor, running_course, worker_factory, source, target
):
    claim = claim_reach(
        provider_actor,
        officer_actor,
        running_course,
        worker_factory(current_region="440305"),
        source,
    )
    with pytest.raises(TransitionNotAllowed):
        claim_transition(
            actor=officer_actor, claim=claim, to_status=target, version=claim.version, reason="x"
        )


STUDY_EDGES = sorted((a, b) for a, targets in STUDY_TRANSITIONS.items() for b in targets)
STUDY_REFUSED = [
    (a, b)
    for a in StudyStatus.values
    for b in StudyStatus.values
    if b not in STUDY_TRANSITIONS.get(a, {})
]
STUDY_PATHS = {
    StudyStatus.APPLIED: [],
    StudyStatus.STUDYING: [StudyStatus.STUDYING],
    StudyStatus.GRADUATED: [StudyStatus.STUDYING, StudyStatus.GRADUATED],
    StudyStatus.WITHDRAWN: [StudyStatus.WITHDRAWN],
}


def study_move(actor, study, target):
    if target == StudyStatus.GRADUATED:
        credit_record(
            actor=actor, study=study, module="全部课程", credits=6, earned_on=timezone.localdate()
        )
    return study_transition(
        actor=actor, study=study, to_status=target, version=study.version, reason="个人原因"
    )


def study_reach(actor, programme, worker, status):
    study = study_apply(actor=actor, programme=programme, worker_id=worker.pk)
    for step in STUDY_PATHS[status]:
        study = study_move(actor, study, step)
    return study


@pytest.fixture
def programme(officer_actor):
    return make_programme(actor=officer_actor)


@pytest.mark.parametrize(("source", "target"), STUDY_EDGES)
def test_every_allowed_study_edge(officer_actor, programme, worker_factory, source, target):
    study = study_reach(officer_actor, programme, worker_factory(current_region="440305"), source)
    assert study_move(officer_actor, study, target).status == target


@pytest.mark.parametrize(("source", "target"), STUDY_REFUSED)
def test_every_other_study_edge_is_refused(
    officer_actor, programme, worker_factory, source, target
):
    study = study_reach(officer_actor, programme, worker_factory(current_region="440305"), source)
    with pytest.raises(Conflict):
        study_transition(
            actor=officer_actor, study=study, to_status=target, version=study.version, reason="x"
        )
