"""Every edge of the nomination lifecycle, generated from TRANSITIONS, for each party."""

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.recognition.enums import TRANSITIONS, NominationStatus, Party
from gongyou.recognition.models import NominationEvent
from gongyou.recognition.services import (
    NominationTransitionNotAllowed,
    RecordChanged,
    nomination_transition,
)
from gongyou.recognition.tests.factories import (
    AFTER_NOTICE,
    BEFORE_CLOSE,
    NOTICE_START,
    force_status,
    make_nomination,
)

pytestmark = pytest.mark.django_db
S = NominationStatus


def _today(target: str):
    """A day on which the move's date rule holds."""
    return {S.IN_NOTICE: NOTICE_START, S.AWARDED: AFTER_NOTICE}.get(target, BEFORE_CLOSE)


def test_the_table_is_closed_and_reachable():
    statuses = set(S.values)
    assert set(TRANSITIONS) == statuses
    for targets in TRANSITIONS.values():
        assert set(targets) <= statuses
        for parties in targets.values():
            assert parties and parties <= set(Party.values)
    reached, frontier = {S.SUBMITTED}, [S.SUBMITTED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == statuses


def test_only_the_organiser_decides_and_only_the_nominator_withdraws_or_resubmits():
    for source, targets in TRANSITIONS.items():
        for target, parties in targets.items():
            if target in (S.WITHDRAWN, S.SUBMITTED):
                assert parties == {Party.NOMINATOR}, (source, target)
            else:
                assert parties == {Party.ORGANISER}, (source, target)


@pytest.mark.parametrize("source", S.values)
def test_every_edge_for_each_party(source, award_round, organiser, nominator):
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    actors = {Party.ORGANISER: actor_for(organiser), Party.NOMINATOR: actor_for(nominator)}
    for party, actor in actors.items():
        for target in S.values:
            nomination = force_status(nomination, source)
            kwargs = {
                "actor": actor,
                "nomination": nomination,
                "to_status": target,
                "reason": "walk",
                "version": nomination.version,
                "today": _today(target),
            }
            allowed = TRANSITIONS[source].get(target)
            if allowed is None:
                with pytest.raises(NominationTransitionNotAllowed):
                    nomination_transition(**kwargs)
            elif party not in allowed:
                with pytest.raises(PermissionDenied):
                    nomination_transition(**kwargs)
            else:
                events = NominationEvent.objects.count()
                audits = AuditEvent.objects.filter(
                    action="recognition.nomination_transition"
                ).count()
                nomination = nomination_transition(**kwargs)
                assert nomination.status == target
                assert NominationEvent.objects.count() == events + 1
                assert (
                    AuditEvent.objects.filter(action="recognition.nomination_transition").count()
                    == audits + 1
                )


def test_analysts_and_other_areas_cannot_move_it(award_round, nominator, make_user):
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    analyst = actor_for(make_user("analyst", org="gd"))
    with pytest.raises(PermissionDenied):
        nomination_transition(
            actor=analyst,
            nomination=nomination,
            to_status=S.UNDER_REVIEW,
            reason="x",
            version=nomination.version,
        )
    beijing = actor_for(make_user("org_admin", org="bj"))
    with pytest.raises(NotFound):
        nomination_transition(
            actor=beijing,
            nomination=nomination,
            to_status=S.UNDER_REVIEW,
            reason="x",
            version=nomination.version,
        )


def test_reason_status_and_version_are_checked(award_round, organiser, nominator):
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    with pytest.raises(ValidationFailed) as err:
        nomination_transition(
            actor=actor_for(organiser),
            nomination=nomination,
            to_status="nope",
            reason="",
            version="",
        )
    assert set(err.value.fields) == {"to_status", "reason", "version"}
    with pytest.raises(RecordChanged):
        nomination_transition(
            actor=actor_for(organiser),
            nomination=nomination,
            to_status=S.UNDER_REVIEW,
            reason="ok",
            version=nomination.version + 1,
        )


def test_review_steps_are_named_on_the_timeline(award_round, organiser, nominator):
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    actor = actor_for(organiser)
    nomination = nomination_transition(
        actor=actor, nomination=nomination, to_status=S.UNDER_REVIEW, reason="材料齐全", version=1
    )
    nomination_transition(
        actor=actor,
        nomination=nomination,
        to_status=S.RECOMMENDED,
        reason="评审委员会通过",
        version=nomination.version,
    )
    steps = list(
        nomination.events.filter(kind="transition").order_by("id").values_list("step", flat=True)
    )
    assert steps == ["preliminary", "committee"]
