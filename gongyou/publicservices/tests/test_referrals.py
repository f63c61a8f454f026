"""Referrals: creation rules, the department queue, every allowed edge and every refused one,
who may record which outcome, and the audit trail."""

from __future__ import annotations

import itertools

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.accounts.services import user_create
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.publicservices import selectors, services
from gongyou.publicservices.enums import REFERRAL_TRANSITIONS, ReferralStatus
from gongyou.publicservices.services import TransitionNotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(worker_factory, published, department, make_user, orgs):
    version = published(department=department.pk, documents=["居住证"], open_to_all=True)
    worker = worker_factory()
    staff = make_user("case_handler", org="sz")
    dept_user = user_create(
        actor=None,
        username="edu1",
        password=None,
        organisation=department,
        roles=["programme_officer"],
        station=None,
    )
    return {
        "service": version.service,
        "worker": worker,
        "staff": actor_for(staff),
        "dept": actor_for(dept_user),
        "department": department,
    }


def refer(s, **kw):
    return services.referral_create(
        actor=s["staff"], worker=s["worker"], service_id=s["service"].pk, note="请协助", **kw
    )


def test_create_records_department_answer_and_audit(setup):
    r = refer(setup)
    assert r.status == ReferralStatus.REFERRED
    assert r.department_id == setup["department"].pk and r.city_id == "440300"
    assert r.availability == "usable" and r.referred_by_org_id is not None
    event = AuditEvent.objects.get(action="publicservices.referral.create")
    assert event.worker_id == setup["worker"].pk


def test_create_refuses_bad_input(setup, worker_factory, admin_actor):
    with pytest.raises(ValidationFailed) as exc:
        services.referral_create(actor=setup["staff"], worker=setup["worker"], service_id="")
    assert set(exc.value.fields) == {"service_id"}
    with pytest.raises(ValidationFailed) as exc:
        services.referral_create(
            actor=setup["staff"], worker=setup["worker"], service_id=999999, family_member_id=5
        )
    assert set(exc.value.fields) == {"service_id", "family_member_id"}
    other = worker_factory(current_region="110105")  # Beijing worker, Shenzhen service
    with pytest.raises(ValidationFailed) as exc:
        services.referral_create(actor=admin_actor, worker=other, service_id=setup["service"].pk)
    assert exc.value.fields["service_id"]["code"] == "other_city"


def test_duplicate_open_referral_is_a_conflict(setup):
    refer(setup)
    with pytest.raises(Conflict):
        refer(setup)


def test_child_service_needs_a_child(worker_factory, published, child, admin_actor):
    version = published(kind="school_admission", beneficiary="child", open_to_all=True)
    w = worker_factory()
    with pytest.raises(ValidationFailed) as exc:
        services.referral_create(actor=admin_actor, worker=w, service_id=version.service_id)
    assert exc.value.fields["family_member_id"]["code"] == "child_required"
    kid = child(w)
    r = services.referral_create(
        actor=admin_actor, worker=w, service_id=version.service_id, family_member_id=kid.pk
    )
    assert r.family_member_id == kid.pk


def test_department_queue_shows_only_its_referrals(setup, make_user, orgs):
    r = refer(setup)
    queue = selectors.referral_list(
        actor=setup["dept"], filters=selectors.ReferralFilter(queue=True)
    )
    assert list(queue) == [r]
    assert selectors.queue_count(actor=setup["dept"]) == 1
    bj = actor_for(make_user("programme_officer", org="bj"))
    with pytest.raises(NotFound):
        selectors.referral_get(actor=bj, referral_id=r.pk)
    assert (
        list(selectors.referral_list(actor=bj, filters=selectors.ReferralFilter(queue=True))) == []
    )


ALLOWED = sorted((a, b) for a, targets in REFERRAL_TRANSITIONS.items() for b in targets)
REFUSED = [
    (a, b)
    for a, b in itertools.product(ReferralStatus.values, ReferralStatus.values)
    if b not in REFERRAL_TRANSITIONS[a]
]


def _to(setup, r, status):
    who = setup["staff"] if status == ReferralStatus.WITHDRAWN else setup["dept"]
    reason = "材料不全" if status in (ReferralStatus.REFUSED, ReferralStatus.WITHDRAWN) else ""
    return services.referral_transition(
        actor=who, referral=r, to_status=status, reason=reason, expected_version=r.version
    )


def _bring(setup, status):
    r = refer(setup)
    return r if status == ReferralStatus.REFERRED else _to(setup, r, status)


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_edge(setup, source, target):
    r = _bring(setup, source)
    r = _to(setup, r, target)
    assert r.status == target
    assert AuditEvent.objects.filter(
        action="publicservices.referral.transition", entity_id=str(r.pk)
    ).exists()
    if target != ReferralStatus.PENDING:
        assert r.outcome_at is not None


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_disallowed_edge_is_refused(setup, source, target, admin_actor):
    r = _bring(setup, source)
    with pytest.raises(TransitionNotAllowed):
        services.referral_transition(
            actor=admin_actor, referral=r, to_status=target, reason="x", expected_version=r.version
        )


def test_refusal_and_withdrawal_need_a_reason(setup):
    r = refer(setup)
    with pytest.raises(ValidationFailed) as exc:
        services.referral_transition(
            actor=setup["dept"], referral=r, to_status="refused", expected_version=r.version
        )
    assert "department's reason" in exc.value.fields["reason"]["message"]
    with pytest.raises(ValidationFailed):
        services.referral_transition(
            actor=setup["staff"], referral=r, to_status="withdrawn", expected_version=r.version
        )
    r = services.referral_transition(
        actor=setup["dept"],
        referral=r,
        to_status="refused",
        reason="不符合条件",
        expected_version=1,
    )
    assert r.reason == "不符合条件"


def test_who_may_record_what(setup):
    r = refer(setup)
    # The referring station cannot record the department's outcome, the department cannot
    # withdraw the station's referral.
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=setup["staff"], referral=r, to_status="granted", expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=setup["dept"], referral=r, to_status="withdrawn", reason="x", expected_version=1
        )
    assert selectors.referral_allowed(actor=setup["dept"], referral=r) and set(
        selectors.referral_allowed(actor=setup["dept"], referral=r)
    ) == {"pending", "granted", "refused"}
    assert selectors.referral_allowed(actor=setup["staff"], referral=r) == ["withdrawn"]


def test_department_not_in_system_referrer_records_outcome(worker_factory, published, make_user):
    version = published(department_name="某区法律援助中心", open_to_all=True, kind="legal_aid")
    staff = actor_for(make_user("case_handler", org="sz"))
    r = services.referral_create(
        actor=staff, worker=worker_factory(), service_id=version.service_id
    )
    assert r.department_id is None and r.department_label == "某区法律援助中心"
    r = services.referral_transition(
        actor=staff, referral=r, to_status="granted", expected_version=1
    )
    assert r.status == "granted"


def test_stale_version_is_refused(setup):
    r = refer(setup)
    from gongyou.publicservices.services import VersionChanged

    with pytest.raises(VersionChanged):
        services.referral_transition(
            actor=setup["dept"], referral=r, to_status="pending", expected_version=7
        )


def test_unknown_status_is_a_field_error(setup):
    r = refer(setup)
    with pytest.raises(ValidationFailed) as exc:
        services.referral_transition(
            actor=setup["dept"], referral=r, to_status="lost", expected_version=1
        )
    assert "to_status" in exc.value.fields


def test_indicator_referrals_by_outcome(setup, admin_actor):
    r = refer(setup)
    _to(setup, r, "granted")
    rows = selectors.indicator_referrals_by_outcome(actor=admin_actor)
    assert rows == [
        {
            "city": "440300",
            "city_name": "深圳市",
            "service_kind": "public_rental_housing",
            "made": 1,
            "by_status": {"granted": 1},
            "granted": 1,
        }
    ]
    with pytest.raises(PermissionDenied):
        selectors.indicator_referrals_by_outcome(actor=setup["staff"])


def test_indicator_services_usable(setup, worker_factory, admin_actor):
    worker_factory(current_region="110105")  # not in Shenzhen: not counted
    rows = {
        r["service"]: r
        for r in selectors.indicator_services_usable(actor=admin_actor, city="440300")
    }
    ours = rows[setup["service"].name]
    assert ours["workers"] == 1 and ours["usable"] == 1 and ours["share"] == 1.0
    assert rows["深圳市居住证"]["usable"] == 0  # conditions not recorded: not counted as usable


def test_department_users_see_only_their_queue(setup, worker_factory, published, admin_actor):
    other_dept_service = published(
        kind="legal_aid", department_name="某法律援助中心", open_to_all=True
    )
    services.referral_create(
        actor=admin_actor, worker=setup["worker"], service_id=other_dept_service.service_id
    )
    mine = refer(setup)
    assert list(selectors.referral_list(actor=setup["dept"])) == [mine]
    assert len(selectors.referral_list(actor=setup["staff"])) == 2


def test_child_referral_uses_the_parents_points(worker_factory, admin_actor, history, child):
    """A Shanghai parent with 159 residence-permit points (bachelor 60, aged 30 → 30, 3 years of
    insurance 9, level-3 certificate 60): the child's entrance-exam referral records "usable",
    the points being the parent's, not computed from the child's age."""
    import datetime as dt

    from gongyou.publicservices.models import PublicService
    from gongyou.workers.services import certificate_add

    w = worker_factory(current_region="310115", education="bachelor")
    w.birth_date = dt.date(1995, 1, 1)
    w.save(update_fields=["birth_date"])
    history(
        w,
        contributions=[{"city": "310100", "kind": "pension", "start": "2022-01-01"}],
        residences=[
            {"city": "310100", "start": "2022-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    certificate_add(
        actor=admin_actor,
        worker=w,
        occupation="6-18-02-04",
        level=3,
        certificate_no="T000009",
        issuing_organisation="测试鉴定中心",
        issued_on="2020-01-01",
    )
    kid = child(w, birth="2012-09-01")
    service = PublicService.objects.get(city_id="310100", kind="entrance_exams")
    r = services.referral_create(
        actor=admin_actor, worker=w, service_id=service.pk, family_member_id=kid.pk
    )
    assert r.availability == "usable" and r.family_member_id == kid.pk
