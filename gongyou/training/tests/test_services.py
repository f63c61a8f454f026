"""The rules of the training services: seats, windows, attendance, certificates, claims,
campaigns and progress, the education upgrade, and who may do what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongyou.accounts.enums import DepartmentType, OrganisationKind
from gongyou.accounts.policies import actor_for
from gongyou.accounts.services import organisation_create
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.training import selectors
from gongyou.training.enums import ClaimStatus, EnrolmentStatus
from gongyou.training.models import Course, SubsidyClaim
from gongyou.training.services import (
    AlreadyEnrolled,
    ClaimAlreadyMade,
    CourseFull,
    RecordChanged,
    attendance_record,
    campaign_set_targets,
    campaign_update,
    claim_submit,
    claim_submit_for_course,
    claim_transition,
    course_update,
    credit_record,
    enrolment_apply,
    enrolment_transition,
    study_apply,
    study_transition,
)
from gongyou.training.tests.factories import (
    WELDER,
    make_campaign,
    make_course,
    make_programme,
)
from gongyou.training.tests.test_lifecycle import move, reach
from gongyou.workers.selectors import worker_timeline

pytestmark = pytest.mark.django_db
E = EnrolmentStatus


@pytest.fixture
def running(provider_actor):
    today = timezone.localdate()
    return make_course(
        actor=provider_actor,
        seats=2,
        hours=10,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
        enrol_opens_on=today - dt.timedelta(days=10),
        enrol_closes_on=today,
    )


# --- Courses -----------------------------------------------------------------------------------


def test_course_fields_are_all_checked(provider_actor):
    with pytest.raises(ValidationFailed) as exc:
        make_course(
            actor=provider_actor,
            title="",
            occupation="9-99",
            target_level=7,
            seats=0,
            region="999999",
            ends_on=timezone.localdate() - dt.timedelta(days=100),
            subsidy_per_trainee="abc",
        )
    assert set(exc.value.fields) >= {
        "title",
        "occupation",
        "target_level",
        "seats",
        "region",
        "ends_on",
        "subsidy_per_trainee",
    }


def test_a_provider_course_belongs_to_the_provider_and_others_cannot_see_it(
    provider_actor, provider, other_provider, make_user, orgs, station_factory
):
    course = make_course(actor=provider_actor, provider=other_provider)
    assert course.provider_id == provider.pk  # a provider cannot post for another
    orgs["other"] = other_provider
    other = actor_for(make_user("programme_officer", org="other"))
    with pytest.raises(NotFound):
        selectors.course_get(actor=other, course_id=course.pk)
    bj_officer = actor_for(make_user("programme_officer", org="bj"))
    assert not selectors.course_list(actor=bj_officer).exists()
    sz_staff = actor_for(make_user("station_staff", org="sz", station=station_factory()))
    assert selectors.course_get(actor=sz_staff, course_id=course.pk) == course


def test_officer_picks_a_training_provider(officer_actor, provider, orgs):
    with pytest.raises(ValidationFailed) as exc:
        make_course(actor=officer_actor, provider=orgs["sz"])
    assert exc.value.fields["provider"]["code"] == "unknown"
    assert make_course(actor=officer_actor, provider=provider).provider_id == provider.pk


def test_course_search_by_occupation_level_place_and_date(provider_actor, officer_actor, provider):
    today = timezone.localdate()
    a = make_course(actor=provider_actor)
    b = make_course(
        actor=officer_actor,
        provider=provider,
        title="电工",
        occupation="6-31-01-03",
        target_level=5,
        region="440306",
        starts_on=today + dt.timedelta(days=20),
    )
    f = selectors.CourseFilter
    assert list(selectors.course_list(actor=officer_actor, filters=f(occupation=WELDER))) == [a]
    assert list(selectors.course_list(actor=officer_actor, filters=f(occupation="6-18"))) == [a]
    assert list(selectors.course_list(actor=officer_actor, filters=f(level=5))) == [b]
    assert list(selectors.course_list(actor=officer_actor, filters=f(region="440306"))) == [b]
    assert set(selectors.course_list(actor=officer_actor, filters=f(region="440300"))) == {a, b}
    later = f(starts_from=today + dt.timedelta(days=10))
    assert list(selectors.course_list(actor=officer_actor, filters=later)) == [b]


def test_seats_cannot_drop_below_taken(provider_actor, running, worker_factory):
    for _ in range(2):
        enrolment_apply(
            actor=provider_actor, course=running, worker_id=worker_factory().pk, enrol=True
        )
    running.refresh_from_db()
    data = {
        f: getattr(running, f)
        for f in (
            "title",
            "hours",
            "starts_on",
            "ends_on",
            "enrol_opens_on",
            "enrol_closes_on",
            "address",
            "schedule",
        )
    }
    data |= {"occupation": running.occupation_id, "target_level": 4, "region": "440305", "seats": 1}
    with pytest.raises(ValidationFailed) as exc:
        course_update(actor=provider_actor, course=running, data=data, version=running.version)
    assert exc.value.fields["seats"]["code"] == "below_taken"
    with pytest.raises(RecordChanged):
        course_update(actor=provider_actor, course=running, data=data | {"seats": 5}, version=99)


# --- Enrolment ---------------------------------------------------------------------------------


def test_seats_are_never_overbooked(provider_actor, running, worker_factory):
    workers = [worker_factory() for _ in range(3)]
    enrolment_apply(actor=provider_actor, course=running, worker_id=workers[0].pk, enrol=True)
    pending = enrolment_apply(actor=provider_actor, course=running, worker_id=workers[1].pk)
    late = enrolment_apply(actor=provider_actor, course=running, worker_id=workers[2].pk)
    move(provider_actor, pending, E.ENROLLED)
    with pytest.raises(CourseFull):
        move(provider_actor, late, E.ENROLLED)
    running.refresh_from_db()
    assert running.seats_taken == 2
    # The database refuses an over-booking even from a writer that skips the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=running.pk).update(seats_taken=3)


def test_withdrawing_frees_the_seat(provider_actor, running, worker_factory):
    a = enrolment_apply(
        actor=provider_actor, course=running, worker_id=worker_factory().pk, enrol=True
    )
    enrolment_transition(
        actor=provider_actor, enrolment=a, to_status=E.WITHDRAWN, version=a.version, reason="换工作"
    )
    running.refresh_from_db()
    assert running.seats_taken == 0


def test_enrolment_window_and_duplicates(provider_actor, running, worker):
    with pytest.raises(ValidationFailed) as exc:
        enrolment_apply(
            actor=provider_actor,
            course=running,
            worker_id=worker.pk,
            today=running.enrol_closes_on + dt.timedelta(days=1),
        )
    assert exc.value.fields["course"]["code"] == "enrolment_closed"
    with pytest.raises(ValidationFailed) as exc:
        enrolment_apply(actor=provider_actor, course=running, worker_id=999999)
    assert exc.value.fields["worker_id"]["code"] == "unknown_worker"
    first = enrolment_apply(actor=provider_actor, course=running, worker_id=worker.pk)
    with pytest.raises(AlreadyEnrolled):
        enrolment_apply(actor=provider_actor, course=running, worker_id=worker.pk)
    enrolment_transition(
        actor=provider_actor, enrolment=first, to_status=E.WITHDRAWN, version=1, reason="x"
    )
    assert enrolment_apply(actor=provider_actor, course=running, worker_id=worker.pk).pk != first.pk


def test_station_staff_apply_and_withdraw_but_do_not_enrol(
    make_user, running, worker, station_factory
):
    staff = actor_for(make_user("station_staff", org="sz", station=station_factory()))
    enrolment = enrolment_apply(actor=staff, course=running, worker_id=worker.pk)
    with pytest.raises(PermissionDenied):
        enrolment_transition(actor=staff, enrolment=enrolment, to_status=E.ENROLLED, version=1)
    with pytest.raises(PermissionDenied):
        enrolment_apply(actor=staff, course=running, worker_id=worker.pk, enrol=True)
    assert (
        enrolment_transition(
            actor=staff, enrolment=enrolment, to_status=E.WITHDRAWN, version=1, reason="不去了"
        ).status
        == E.WITHDRAWN
    )


def test_completion_needs_the_attendance_share(provider_actor, running, worker):
    enrolment = reach(provider_actor, running, worker, E.IN_TRAINING)
    attendance_record(actor=provider_actor, enrolment=enrolment, date=running.starts_on, hours=7)
    with pytest.raises(Conflict) as exc:
        enrolment_transition(
            actor=provider_actor,
            enrolment=enrolment,
            to_status=E.COMPLETED,
            version=enrolment.version,
        )
    assert exc.value.extra == {"attended_hours": "7.0", "required_hours": "8.0"}
    # Correcting a day replaces its hours.
    attendance_record(actor=provider_actor, enrolment=enrolment, date=running.starts_on, hours=8)
    assert enrolment.attendance.count() == 1
    done = enrolment_transition(
        actor=provider_actor, enrolment=enrolment, to_status=E.COMPLETED, version=enrolment.version
    )
    assert done.status == E.COMPLETED


def test_attendance_is_checked(provider_actor, running, worker):
    enrolment = reach(provider_actor, running, worker, E.ENROLLED)
    with pytest.raises(ValidationFailed) as exc:
        attendance_record(
            actor=provider_actor,
            enrolment=enrolment,
            date=running.starts_on - dt.timedelta(days=1),
            hours=30,
        )
    assert set(exc.value.fields) == {"date", "hours", "enrolment"}


def test_certification_records_the_certificate_raises_the_level_and_shows_on_the_timeline(
    provider_actor, running, worker, provider
):
    enrolment = reach(provider_actor, running, worker, E.ASSESSED_PASS)
    with pytest.raises(ValidationFailed) as exc:
        enrolment_transition(
            actor=provider_actor,
            enrolment=enrolment,
            to_status=E.CERTIFIED,
            version=enrolment.version,
        )
    assert "certificate_no" in exc.value.fields
    certified = enrolment_transition(
        actor=provider_actor,
        enrolment=enrolment,
        to_status=E.CERTIFIED,
        version=enrolment.version,
        certificate_no="S000000000123",
    )
    cert = certified.certificate
    assert (cert.occupation_id, cert.level, cert.issuing_organisation) == (WELDER, 4, provider.name)
    pathway = selectors.worker_pathway(actor=provider_actor, worker_id=worker.pk)
    assert [(code, level) for code, _n, level, _l in pathway.levels] == [(WELDER, 4)]
    actions = set(worker_timeline(worker=worker).values_list("action", flat=True))
    assert {
        "certificate.add",
        "training.enrolment.transition",
        "training.enrolment.apply",
    } <= actions


def test_best_certificate_is_the_level(provider_actor, running, worker, admin_actor):
    from gongyou.workers.services import certificate_add

    certificate_add(
        actor=admin_actor,
        worker=worker,
        occupation=WELDER,
        level=3,
        certificate_no="OLD1",
        issuing_organisation="某评价机构",
        issued_on=dt.date(2020, 1, 1),
    )
    reach(provider_actor, running, worker, E.CERTIFIED)
    levels = selectors.worker_pathway(actor=provider_actor, worker_id=worker.pk).levels
    assert [lvl for _c, _n, lvl, _l in levels] == [3]


def test_a_failed_write_leaves_no_audit_row(provider_actor, running, worker):
    enrolment = reach(provider_actor, running, worker, E.ASSESSED_PASS)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        enrolment_transition(
            actor=provider_actor,
            enrolment=enrolment,
            to_status=E.CERTIFIED,
            version=enrolment.version,
            certificate_no="X" * 50,
        )
    enrolment.refresh_from_db()
    assert enrolment.status == E.ASSESSED_PASS and AuditEvent.objects.count() == before


# --- Claims ------------------------------------------------------------------------------------


def test_a_claim_is_never_made_twice(provider_actor, officer_actor, running, worker):
    enrolment = reach(provider_actor, running, worker, E.COMPLETED)
    claim = claim_submit(actor=provider_actor, enrolment=enrolment)
    assert claim.amount == Decimal("1200.00")
    with pytest.raises(ClaimAlreadyMade):
        claim_submit(actor=provider_actor, enrolment=enrolment)
    assert claim_submit_for_course(actor=provider_actor, course=running) == []
    # The database refuses a second live claim from a writer that skips the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyClaim.objects.create(
            enrolment=enrolment,
            course=running,
            worker=worker,
            provider_id=running.provider_id,
            amount=1,
        )
    # A rejected claim may be made again; paid stays once.
    claim_transition(
        actor=officer_actor,
        claim=claim,
        to_status=ClaimStatus.REJECTED,
        version=1,
        reason="材料不全",
    )
    again = claim_submit(actor=provider_actor, enrolment=enrolment)
    claim_transition(actor=officer_actor, claim=again, to_status=ClaimStatus.APPROVED, version=1)
    claim_transition(actor=officer_actor, claim=again, to_status=ClaimStatus.PAID, version=2)
    with pytest.raises(ClaimAlreadyMade):
        claim_submit(actor=provider_actor, enrolment=enrolment)


def test_claims_only_for_completed_trainees_and_decided_by_officers(
    provider_actor, officer_actor, running, worker, worker_factory
):
    enrolment = reach(provider_actor, running, worker, E.IN_TRAINING)
    with pytest.raises(Conflict):
        claim_submit(actor=provider_actor, enrolment=enrolment)
    done = reach(provider_actor, running, worker_factory(), E.COMPLETED)
    claim = claim_submit(actor=provider_actor, enrolment=done)
    with pytest.raises(PermissionDenied):
        claim_transition(
            actor=provider_actor, claim=claim, to_status=ClaimStatus.APPROVED, version=1
        )
    with pytest.raises(ValidationFailed) as exc:
        claim_transition(
            actor=officer_actor, claim=claim, to_status=ClaimStatus.REJECTED, version=1
        )
    assert "reason" in exc.value.fields


def test_claim_totals_per_provider_and_campaign(
    provider_actor, officer_actor, orgs, worker_factory, provider
):
    campaign = make_campaign(actor=officer_actor, lead=orgs["sz"])
    today = timezone.localdate()
    course = make_course(
        actor=provider_actor,
        campaign=campaign.pk,
        hours=10,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
        enrol_opens_on=today - dt.timedelta(days=5),
        enrol_closes_on=today,
    )
    for _ in range(3):
        reach(provider_actor, course, worker_factory(), E.COMPLETED)
    claims = claim_submit_for_course(actor=provider_actor, course=course)
    assert len(claims) == 3
    claim_transition(
        actor=officer_actor, claim=claims[0], to_status=ClaimStatus.APPROVED, version=1
    )
    [by_provider] = selectors.claim_totals(actor=officer_actor, by="provider")
    assert (by_provider.name, by_provider.claims) == (provider.name, 3)
    assert by_provider.amounts == {"submitted": Decimal("2400.00"), "approved": Decimal("1200.00")}
    assert by_provider.outstanding == Decimal("3600.00")
    [by_campaign] = selectors.claim_totals(actor=officer_actor, by="campaign")
    assert by_campaign.key == campaign.pk


# --- Campaigns and progress --------------------------------------------------------------------


def test_campaign_with_co_organisers_targets_and_progress(
    officer_actor, provider_actor, orgs, worker_factory, make_user
):
    hr = organisation_create(
        actor=None,
        name="深圳市人力资源和社会保障局",
        kind=OrganisationKind.PARTNER_DEPARTMENT,
        department_type=DepartmentType.HUMAN_RESOURCES,
        region_code="440300",
    )
    campaign = make_campaign(
        actor=officer_actor, lead=hr, co_organisers=[orgs["sz"].pk], name="深圳春风行动"
    )
    assert list(campaign.co_organisers.all()) == [orgs["sz"]]
    with pytest.raises(ValidationFailed) as exc:
        campaign_set_targets(
            actor=officer_actor,
            campaign=campaign,
            targets=[{"region": "110105", "trained": 5}, {"region": "440305", "trained": -1}],
            version=campaign.version,
        )
    assert set(exc.value.fields) == {"targets.0.region", "targets.1.trained"}
    campaign_set_targets(
        actor=officer_actor,
        campaign=campaign,
        targets=[
            {"region": "440305", "trained": 4, "completed": 3, "certified": 2},
            {"region": "440306", "trained": 10},
        ],
        version=campaign.version,
    )
    today = timezone.localdate()
    course = make_course(
        actor=provider_actor,
        campaign=campaign.pk,
        hours=10,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
        enrol_opens_on=today - dt.timedelta(days=5),
        enrol_closes_on=today,
    )
    reach(provider_actor, course, worker_factory(), E.CERTIFIED)
    reach(provider_actor, course, worker_factory(), E.IN_TRAINING)
    reach(provider_actor, course, worker_factory(), E.DROPPED)
    reach(provider_actor, course, worker_factory(), E.ENROLLED)
    rows = selectors.campaign_progress(actor=officer_actor, campaign=campaign)
    whole, nanshan, baoan = rows
    assert whole.targets["trained"] == 14
    assert nanshan.actual == {"trained": 2, "completed": 1, "certified": 1, "funded_study": 0}
    assert baoan.actual["trained"] == 0
    assert nanshan.cells[0] == ("trained", 4, 2, 50)
    # A Beijing officer cannot change a Shenzhen campaign.
    bj = actor_for(make_user("programme_officer", org="bj"))
    with pytest.raises(NotFound):
        campaign_update(actor=bj, campaign=campaign, data={}, version=1)


def test_providers_cannot_run_campaigns(provider_actor, orgs):
    with pytest.raises(PermissionDenied):
        make_campaign(actor=provider_actor, lead=orgs["sz"])


def test_a_national_campaign_is_visible_below(admin_actor, orgs, officer_actor):
    campaign = make_campaign(actor=admin_actor, lead=orgs["national"], kind="education_upgrade")
    assert campaign.region_id is None
    assert selectors.campaign_get(actor=officer_actor, campaign_id=campaign.pk) == campaign
    with pytest.raises(PermissionDenied):
        campaign_update(actor=officer_actor, campaign=campaign, data={}, version=1)


# --- Education upgrade -------------------------------------------------------------------------


def test_graduation_raises_the_education_level(officer_actor, admin_actor, orgs, worker):
    campaign = make_campaign(actor=admin_actor, lead=orgs["national"], kind="education_upgrade")
    programme = make_programme(actor=officer_actor, campaign=campaign.pk)
    study = study_apply(actor=officer_actor, programme=programme, worker_id=worker.pk)
    assert study.subsidy == Decimal("3000.00") and study.region_id == "440305"
    study = study_transition(actor=officer_actor, study=study, to_status="studying", version=1)
    credit_record(
        actor=officer_actor,
        study=study,
        module="高等数学",
        credits=4,
        earned_on=timezone.localdate(),
    )
    with pytest.raises(Conflict):
        credit_record(
            actor=officer_actor,
            study=study,
            module="高等数学",
            credits=4,
            earned_on=timezone.localdate(),
        )
    with pytest.raises(Conflict) as exc:
        study_transition(actor=officer_actor, study=study, to_status="graduated", version=2)
    assert exc.value.extra == {"credits_earned": 4, "credits_required": 6}
    credit_record(
        actor=officer_actor,
        study=study,
        module="机械制图",
        credits=2,
        earned_on=timezone.localdate(),
    )
    study_transition(actor=officer_actor, study=study, to_status="graduated", version=2)
    worker.refresh_from_db()
    assert worker.education == "junior_college"
    pathway = selectors.worker_pathway(actor=officer_actor, worker_id=worker.pk)
    assert {s.kind for s in pathway.steps} >= {"study", "education"}
    progress = selectors.campaign_progress(actor=admin_actor, campaign=campaign)
    assert progress[0].actual["funded_study"] == 1


def test_study_rules(officer_actor, worker_factory):
    programme = make_programme(actor=officer_actor)
    graduate = worker_factory(education="bachelor")
    with pytest.raises(Conflict):
        study_apply(actor=officer_actor, programme=programme, worker_id=graduate.pk)
    worker = worker_factory()
    with pytest.raises(ValidationFailed) as exc:
        study_apply(actor=officer_actor, programme=programme, worker_id=worker.pk, subsidy="9000")
    assert exc.value.fields["subsidy"]["code"] == "above_tuition"
    with pytest.raises(ValidationFailed) as exc:
        make_programme(actor=officer_actor, union_subsidy="6000", institution=programme.institution)
    assert exc.value.fields["union_subsidy"]["code"] == "above_tuition"


def test_providers_see_only_their_own_claims(
    provider_actor, running, worker, other_provider, make_user, orgs, officer_actor
):
    enrolment = reach(provider_actor, running, worker, E.COMPLETED)
    claim = claim_submit(actor=provider_actor, enrolment=enrolment)
    orgs["other"] = other_provider
    other = actor_for(make_user("programme_officer", org="other"))
    assert not selectors.claim_list(actor=other).exists()
    with pytest.raises(NotFound):
        selectors.claim_get(actor=other, claim_id=claim.pk)
    assert selectors.claim_get(actor=officer_actor, claim_id=claim.pk) == claim
    # Providers never see study enrolments (the union's education upgrade).
    study_apply(
        actor=officer_actor, programme=make_programme(actor=officer_actor), worker_id=worker.pk
    )
    assert selectors.study_list(actor=officer_actor).count() == 1
    assert selectors.study_list(actor=provider_actor).count() == 0
