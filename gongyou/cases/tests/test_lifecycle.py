"""Every edge of the case lifecycle, generated from TRANSITIONS, for every role."""

import pytest

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import actor_for
from gongyou.cases.enums import TRANSITIONS, CaseStatus
from gongyou.cases.models import Case, CaseEvent
from gongyou.cases.policies import VIEW_ROLES
from gongyou.cases.services import CaseChanged, CaseTransitionNotAllowed, case_transition
from gongyou.cases.tests.factories import force_status
from gongyou.core.errors import NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_table_is_closed_and_reachable():
    statuses = set(CaseStatus.values)
    assert set(TRANSITIONS) == statuses  # every status has a way out
    for targets in TRANSITIONS.values():
        assert set(targets) <= statuses
        for roles in targets.values():
            assert roles and roles <= set(Role.values)
    reached, frontier = {CaseStatus.RECEIVED}, [CaseStatus.RECEIVED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == statuses


def test_station_staff_only_accept_and_reopening_is_for_admins():
    for source, targets in TRANSITIONS.items():
        for target, roles in targets.items():
            assert (Role.STATION_STAFF in roles) == (
                (source, target) == (CaseStatus.RECEIVED, CaseStatus.ACCEPTED)
            )
            if target == CaseStatus.REOPENED:
                assert roles == {Role.ORG_ADMIN, Role.SYSTEM_ADMIN}


@pytest.mark.parametrize("source", CaseStatus.values)
def test_every_edge_for_every_role(source, case_factory, make_user, home, worker):
    case = case_factory()
    users = {
        role: make_user(role, org="sz", station=home if role == Role.STATION_STAFF else None)
        for role in Role.values
    }
    for role, user in users.items():
        actor = actor_for(user)
        for target in CaseStatus.values:
            case = force_status(case, source)
            kwargs = {
                "actor": actor,
                "case": case,
                "to_status": target,
                "reason": "walk",
                "version": case.version,
                "resolution": "paid_by_employer" if target == CaseStatus.RESOLVED else "",
            }
            allowed = TRANSITIONS[source].get(target)
            if role not in VIEW_ROLES:
                expected: type[Exception] | None = NotFound
            elif allowed is None:
                expected = CaseTransitionNotAllowed
            elif role not in allowed:
                expected = PermissionDenied
            else:
                expected = None
            if expected is not None:
                with pytest.raises(expected):
                    case_transition(**kwargs)
                after = Case.objects.get(pk=case.pk)
                assert (after.status, after.version) == (source, case.version), (role, target)
                continue
            moved = case_transition(**kwargs)
            assert (moved.status, moved.version) == (target, case.version + 1), (role, target)
            event = CaseEvent.objects.filter(case=case, kind="transition").last()
            assert (event.from_status, event.to_status, event.reason) == (source, target, "walk")
            assert AuditEvent.objects.filter(
                action="case.transition", worker_id=worker.pk, entity_id=str(case.pk)
            ).exists()


def test_reason_version_and_resolution_are_all_named(case_factory, admin_actor):
    case = force_status(case_factory(), CaseStatus.ACCEPTED)
    with pytest.raises(ValidationFailed) as exc:
        case_transition(
            actor=admin_actor, case=case, to_status="resolved", reason=" ", version=None
        )
    assert set(exc.value.fields) == {"reason", "version", "resolution"}
    with pytest.raises(ValidationFailed) as exc:
        case_transition(
            actor=admin_actor, case=case, to_status="nowhere", reason="x", version=1, resolution="x"
        )
    assert set(exc.value.fields) == {"to_status", "resolution"}


def test_a_stale_version_changes_nothing(case_factory, admin_actor):
    case = case_factory()
    case_transition(actor=admin_actor, case=case, to_status="accepted", reason="ok", version=1)
    with pytest.raises(CaseChanged) as exc:
        case_transition(actor=admin_actor, case=case, to_status="rejected", reason="no", version=1)
    assert exc.value.status == 409 and exc.value.extra["current_version"] == 2
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == ("accepted", 2)
    assert CaseEvent.objects.filter(case=case, kind="transition").count() == 1
