"""Every allowed referral, vacancy and fair edge, every forbidden one, and what a hire does."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.policies import actor_for
from gongyou.accounts.services import organisation_create, user_create
from gongyou.core.errors import NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.employers.services import employer_set_arrears_flag
from gongyou.jobs import services
from gongyou.jobs.enums import (
    FAIR_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    VACANCY_TRANSITIONS,
    FairStatus,
    FollowUpStatus,
    ReferralStatus,
    SeekerStatus,
    VacancyStatus,
)
from gongyou.jobs.models import FollowUp, MatchEntry, Placement, Referral, SeekerProfile
from gongyou.jobs.tests.factories import make_seeker, make_vacancy

pytestmark = pytest.mark.django_db
S = ReferralStatus
PATHS = {
    S.REFERRED: [],
    S.INTERVIEWED: [S.INTERVIEWED],
    S.OFFERED: [S.OFFERED],
}


def _referral_in(status, *, actor, vacancy, worker):
    referral = services.referral_create(actor=actor, vacancy=vacancy, worker=worker)
    for step in PATHS[status]:
        referral = services.referral_transition(
            actor=actor, referral=referral, to_status=step, version=referral.version
        )
    return referral


def _extra(target):
    if target == S.HIRED:
        return {"start_date": timezone.localdate().isoformat(), "monthly_wage": 8000}
    if target in (S.DECLINED, S.WITHDRAWN):
        return {"reason": "岗位不合适"}
    return {}


EDGES = sorted((a, b) for a, targets in REFERRAL_TRANSITIONS.items() for b in targets)
FORBIDDEN = [(a, b) for a in PATHS for b in S.values if b not in REFERRAL_TRANSITIONS.get(a, {})]


@pytest.mark.parametrize(("source", "target"), EDGES)
def test_every_allowed_referral_edge(admin_actor, vacancy, worker, source, target):
    referral = _referral_in(source, actor=admin_actor, vacancy=vacancy, worker=worker)
    moved = services.referral_transition(
        actor=admin_actor,
        referral=referral,
        to_status=target,
        version=referral.version,
        **_extra(target),
    )
    assert moved.status == target
    assert AuditEvent.objects.filter(
        action="referral.transition", entity_id=str(referral.pk), worker_id=worker.pk
    ).exists()


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_forbidden_referral_edges_are_refused(admin_actor, vacancy, worker, source, target):
    referral = _referral_in(source, actor=admin_actor, vacancy=vacancy, worker=worker)
    with pytest.raises(services.TransitionNotAllowed):
        services.referral_transition(
            actor=admin_actor,
            referral=referral,
            to_status=target,
            version=referral.version,
            **_extra(target),
        )


@pytest.mark.parametrize("final", [S.HIRED, S.DECLINED, S.WITHDRAWN])
def test_finished_referrals_stay_finished(admin_actor, vacancy, worker, final):
    referral = _referral_in(S.OFFERED, actor=admin_actor, vacancy=vacancy, worker=worker)
    referral = services.referral_transition(
        actor=admin_actor,
        referral=referral,
        to_status=final,
        version=referral.version,
        **_extra(final),
    )
    for target in S.values:
        with pytest.raises(services.TransitionNotAllowed):
            services.referral_transition(
                actor=admin_actor,
                referral=referral,
                to_status=target,
                version=referral.version,
                **_extra(target),
            )


def test_hire_records_the_placement_and_places_the_seeker(admin_actor, employer, worker):
    make_seeker(actor=admin_actor, worker=worker, previous_wage=5000)
    assert MatchEntry.objects.filter(worker=worker).exists()
    vacancy = make_vacancy(actor=admin_actor, employer=employer, headcount=1)
    referral = _referral_in(S.OFFERED, actor=admin_actor, vacancy=vacancy, worker=worker)
    with pytest.raises(ValidationFailed) as exc:
        services.referral_transition(
            actor=admin_actor, referral=referral, to_status=S.HIRED, version=referral.version
        )
    assert set(exc.value.fields) == {"start_date", "monthly_wage"}
    services.referral_transition(
        actor=admin_actor,
        referral=referral,
        to_status=S.HIRED,
        version=referral.version,
        start_date="2026-01-05",
        monthly_wage=8200,
    )
    placement = Placement.objects.get(referral=referral)
    assert (placement.monthly_wage, placement.wage_before) == (8200, 5000)
    assert SeekerProfile.objects.get(worker=worker).status == SeekerStatus.PLACED
    assert not MatchEntry.objects.filter(worker=worker).exists()
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED  # headcount 1 reached


def test_decline_needs_a_reason_and_stale_version_is_refused(admin_actor, vacancy, worker):
    referral = _referral_in(S.REFERRED, actor=admin_actor, vacancy=vacancy, worker=worker)
    with pytest.raises(ValidationFailed) as exc:
        services.referral_transition(
            actor=admin_actor, referral=referral, to_status=S.DECLINED, version=referral.version
        )
    assert "reason" in exc.value.fields
    with pytest.raises(services.RecordChanged):
        services.referral_transition(
            actor=admin_actor, referral=referral, to_status=S.INTERVIEWED, version=99
        )


def test_one_open_referral_and_flagged_employers(admin_actor, vacancy, worker, employer):
    services.referral_create(actor=admin_actor, vacancy=vacancy, worker=worker)
    with pytest.raises(services.ReferralExists):
        services.referral_create(actor=admin_actor, vacancy=vacancy, worker=worker)
    employer_set_arrears_flag(actor=admin_actor, employer=employer, flagged=True, reason="欠薪")
    with pytest.raises(services.EmployerFlagged):
        make_vacancy(actor=admin_actor, employer=employer)
    other = make_vacancy(actor=admin_actor, employer=employer, publish=False)
    with pytest.raises(services.EmployerFlagged):
        services.vacancy_transition(
            actor=admin_actor, vacancy=other, to_status="open", reason="", version=other.version
        )


V_EDGES = sorted((a, b) for a, targets in VACANCY_TRANSITIONS.items() for b in targets)
V_PATH = {
    VacancyStatus.DRAFT: [],
    VacancyStatus.OPEN: ["open"],
    VacancyStatus.FILLED: ["open", "filled"],
    VacancyStatus.CLOSED: ["closed"],
}


def _vacancy_in(status, *, actor, employer):
    vacancy = make_vacancy(actor=actor, employer=employer, publish=False)
    for step in V_PATH[status]:
        vacancy = services.vacancy_transition(
            actor=actor, vacancy=vacancy, to_status=step, reason="", version=vacancy.version
        )
    return vacancy


@pytest.mark.parametrize(("source", "target"), V_EDGES)
def test_every_allowed_vacancy_edge(admin_actor, employer, source, target):
    vacancy = _vacancy_in(source, actor=admin_actor, employer=employer)
    moved = services.vacancy_transition(
        actor=admin_actor, vacancy=vacancy, to_status=target, reason="", version=vacancy.version
    )
    assert moved.status == target


@pytest.mark.parametrize(
    ("source", "target"),
    [(a, b) for a in V_PATH for b in VacancyStatus.values if b not in VACANCY_TRANSITIONS[a]],
)
def test_forbidden_vacancy_edges(admin_actor, employer, source, target):
    vacancy = _vacancy_in(source, actor=admin_actor, employer=employer)
    with pytest.raises(services.TransitionNotAllowed):
        services.vacancy_transition(
            actor=admin_actor, vacancy=vacancy, to_status=target, reason="", version=vacancy.version
        )


@pytest.mark.parametrize("target", sorted(FAIR_TRANSITIONS[FairStatus.PLANNED]))
def test_fair_edges(admin_actor, target):
    fair = services.fair_create(
        actor=admin_actor,
        data={
            "name": "春风行动招聘会",
            "region": "440305",
            "venue": "南山体育馆",
            "starts_on": "2026-03-01",
        },
    )
    fair = services.fair_transition(actor=admin_actor, fair=fair, to_status=target, reason="天气")
    assert fair.status == target
    with pytest.raises(services.TransitionNotAllowed):
        services.fair_transition(actor=admin_actor, fair=fair, to_status="planned")


def test_followups_are_created_once_and_feed_retention(admin_actor, employer, worker):
    start = dt.date(2025, 1, 31)
    placement = services.placement_record(
        actor=admin_actor,
        worker=worker,
        data={"employer_id": employer.pk, "start_date": start, "monthly_wage": 7000},
    )
    assert services.followups_create_due(day=dt.date(2025, 4, 29)) == 0
    assert services.followups_create_due(day=dt.date(2025, 4, 30)) == 1  # 31 Jan + 3 m = 30 Apr
    assert services.followups_create_due(day=dt.date(2025, 4, 30)) == 0
    assert services.followups_create_due(day=dt.date(2025, 8, 1)) == 1
    three, six = FollowUp.objects.filter(placement=placement).order_by("month")
    assert (three.month, six.month, six.due_on) == (3, 6, dt.date(2025, 7, 31))
    services.followup_answer(
        actor=admin_actor, followup=three, reached=True, still_employed=True, current_wage=7300
    )
    services.followup_answer(
        actor=admin_actor, followup=six, reached=True, still_employed=False, left_on="2025-07-01"
    )
    placement.refresh_from_db()
    assert placement.ended_on == dt.date(2025, 7, 1)
    # The worker left: no 12-month follow-up.
    assert services.followups_create_due(day=dt.date(2026, 2, 1)) == 0
    with pytest.raises(services.FollowUpAnswered):
        services.followup_answer(actor=admin_actor, followup=six, reached=False)
    from gongyou.jobs.selectors import Period, retention, wage_before_after

    period = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    r6 = retention(actor=admin_actor, period=period, month=6)
    assert (r6.answered, r6.retained, r6.rate) == (1, 0, 0.0)
    r3 = retention(actor=admin_actor, period=period, month=3)
    assert r3.rate == 1.0
    # A later placement takes the last known wage of the previous one as its wage before.
    services.placement_record(
        actor=admin_actor,
        worker=worker,
        data={"employer_id": employer.pk, "start_date": "2025-08-01", "monthly_wage": 9000},
    )
    change = wage_before_after(actor=admin_actor, period=period)
    assert (change.placements, change.average_before, change.average_after) == (1, 7300, 9000)
    assert FollowUp.objects.filter(status=FollowUpStatus.ANSWERED).count() == 2


def test_employer_users_post_and_move_their_own_referrals(orgs, admin_actor, employer, worker):
    org = organisation_create(
        actor=None,
        name="建安公司",
        kind=OrganisationKind.EMPLOYER,
        region_code="440305",
        parent=orgs["sz"],
    )
    user = user_create(
        actor=None,
        username="hr",
        password=None,
        organisation=org,
        roles=["employment_officer"],
        station=None,
    )
    hr = actor_for(user)
    with pytest.raises(PermissionDenied):
        services.vacancy_create(actor=hr, data={})
    services.employer_account_link(
        actor=admin_actor, organisation_id=org.pk, employer_id=employer.pk
    )
    hr = actor_for(type(user).objects.get(pk=user.pk))
    vacancy = make_vacancy(actor=hr, employer=employer)
    assert vacancy.employer == employer and vacancy.posted_by_employer
    referral = services.referral_create(actor=admin_actor, vacancy=vacancy, worker=worker)
    referral = services.referral_transition(
        actor=hr, referral=referral, to_status=S.INTERVIEWED, version=1
    )
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=hr, referral=referral, to_status=S.WITHDRAWN, reason="x", version=referral.version
        )
    with pytest.raises(PermissionDenied):
        services.referral_create(actor=hr, vacancy=vacancy, worker=worker)
    other = make_vacancy(
        actor=admin_actor,
        employer=__import__("gongyou.employers.tests.factories", fromlist=["x"]).make_employer(
            actor=admin_actor
        ),
    )
    with pytest.raises(NotFound):
        services.vacancy_update(actor=hr, vacancy=other, data={"version": 1, "title": "x"})


def test_fairs_employers_vacancies_registrations(admin_actor, vacancy, worker):
    fair = services.fair_create(
        actor=admin_actor,
        data={
            "name": "春风行动",
            "region": "440300",
            "venue": "会展中心",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-02",
        },
    )
    services.fair_add_vacancy(actor=admin_actor, fair=fair, vacancy=vacancy)
    assert fair.employers.filter(employer=vacancy.employer).exists()
    with pytest.raises(services.AlreadyAdded):
        services.fair_add_vacancy(actor=admin_actor, fair=fair, vacancy=vacancy)
    reg = services.fair_register_worker(actor=admin_actor, fair=fair, worker=worker)
    with pytest.raises(services.AlreadyAdded):
        services.fair_register_worker(actor=admin_actor, fair=fair, worker=worker)
    services.fair_mark_attended(actor=admin_actor, registration=reg, attended=True)
    referral = services.referral_create(
        actor=admin_actor, vacancy=vacancy, worker=worker, source="job_fair", fair=fair
    )
    assert referral.fair == fair and Referral.objects.count() == 1


def test_vacancy_validation_names_every_field(admin_actor, employer):
    with pytest.raises(ValidationFailed) as exc:
        services.vacancy_create(
            actor=admin_actor,
            data={
                "employer_id": employer.pk,
                "occupation": "6-29",
                "headcount": 0,
                "wage_min": 9000,
                "wage_max": 100,
                "region": "999999",
                "contract_type": "x",
                "closing_date": "2020-01-01",
            },
        )
    assert {
        "title",
        "occupation",
        "headcount",
        "region",
        "contract_type",
        "social_insurance",
        "housing_meals",
        "shift_pattern",
        "closing_date",
        "wage_max",
    } <= set(exc.value.fields)


def test_the_daily_task_creates_followups_and_refreshes_the_index(admin_actor, employer, worker):
    from gongyou.jobs.tasks import jobs_daily
    from gongyou.workers.services import worker_update

    make_seeker(actor=admin_actor, worker=worker)
    assert set(
        MatchEntry.objects.filter(worker=worker).values_list("occupation_code", flat=True)
    ) == {"6-29-01-04"}
    # A registry edit (workers app) reaches the index on the next daily run.
    worker_update(actor=admin_actor, worker=worker, data={"occupation": "6-29-01-01"})
    result = jobs_daily.enqueue(day="2026-01-01")
    assert result.return_value["seekers_reindexed"] == 1
    assert set(
        MatchEntry.objects.filter(worker=worker).values_list("occupation_code", flat=True)
    ) == {"6-29-01-01"}
