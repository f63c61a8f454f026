"""Training and employment indicators against hand-built records with known counts.

Courses, campaigns and targets are made through gongyou.training's services; enrolment
statuses, placements and follow-ups are written directly (test records, like factories), since
walking them through the other apps' lifecycles is those apps' tests' business."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.employers.tests.factories import make_employer
from gongyou.indicators.selectors import indicator_context, indicator_get, indicator_table
from gongyou.jobs.models import FollowUp, Placement
from gongyou.training.models import CampaignTarget, Enrolment
from gongyou.training.tests.factories import make_campaign, make_course, make_provider

pytestmark = pytest.mark.django_db


def _total(actor, key, region=None):
    ctx = indicator_context(actor=actor, region=region)
    return indicator_table(ctx=ctx, indicator=indicator_get(actor=actor, key=key)).total.values


@pytest.fixture
def training(world, admin_actor, orgs):
    campaign = make_campaign(actor=admin_actor, lead=orgs["national"])
    sz_course = make_course(
        actor=admin_actor, campaign=campaign.pk, provider=make_provider(parent=orgs["sz"])
    )
    bj_course = make_course(
        actor=admin_actor,
        campaign=campaign.pk,
        region="110105",
        address="北京市朝阳区1号",
        provider=make_provider(name="北京朝阳技工培训中心", region="110105", parent=orgs["bj"]),
    )
    CampaignTarget.objects.create(campaign=campaign, region_id="440300", trained=10, certified=4)
    CampaignTarget.objects.create(campaign=campaign, region_id="110000", trained=7)
    for worker, status in [
        (world.sz[0], "certified"),
        (world.sz[1], "completed"),
        (world.sz[2], "in_training"),
        (world.sz[3], "withdrawn"),
    ]:
        Enrolment.objects.create(course=sz_course, worker=worker, status=status)
    Enrolment.objects.create(course=bj_course, worker=world.bj[0], status="certified")
    return campaign


def test_people_trained_completed_certified(training, national_actor, sz_actor):
    assert _total(national_actor, "training_people") == {
        "trained": 4,
        "completed": 3,
        "certified": 2,
    }
    assert _total(sz_actor, "training_people") == {"trained": 3, "completed": 2, "certified": 1}


def test_against_campaign_targets(training, national_actor, sz_actor):
    mine = _total(sz_actor, "training_against_targets")
    assert (mine["trained_target"], mine["trained"], mine["trained_pct"]) == (10, 3, 30.0)
    assert (mine["certified_target"], mine["certified"], mine["certified_pct"]) == (4, 1, 25.0)
    assert mine["completed_pct"] is None  # no target set
    everyone = _total(national_actor, "training_against_targets")
    assert (everyone["trained_target"], everyone["trained"]) == (17, 4)


@pytest.fixture
def placements(world, admin_actor, orgs):
    employer = make_employer(actor=admin_actor)
    today = timezone.localdate()
    made = []
    for worker, region, wage in [
        (world.sz[0], "440305", 6000),
        (world.sz[1], "440305", 8000),
        (world.bj[0], "110105", 7000),
    ]:
        made.append(
            Placement.objects.create(
                worker=worker,
                employer=employer,
                region_id=region,
                start_date=today - dt.timedelta(days=10),
                monthly_wage=wage,
                organisation=orgs["sz"] if region.startswith("44") else orgs["bj"],
            )
        )
    for placement, employed in zip(made, (True, False, True), strict=True):
        FollowUp.objects.create(
            placement=placement,
            month=1,
            due_on=today - dt.timedelta(days=1),
            status="answered",
            still_employed=employed,
        )
    return made


def test_placements_and_retention(placements, make_user):
    from gongyou.accounts.policies import actor_for

    officer = actor_for(make_user("employment_officer", org="sz"))
    assert _total(officer, "placements") == {"placements": 2, "wage": 7000}
    assert _total(officer, "retention") == {"answered": 2, "retained": 1, "rate": 50.0}
    national = actor_for(make_user("employment_officer", org="national"))
    assert _total(national, "placements")["placements"] == 3
    assert _total(national, "retention")["rate"] == round(200 / 3, 1)


def test_education_upgrades(world, admin_actor, national_actor, sz_actor):
    from gongyou.training.models import StudyEnrolment
    from gongyou.training.tests.factories import make_programme

    programme = make_programme(actor=admin_actor)
    for worker, region, status in [
        (world.sz[0], "440305", "studying"),
        (world.sz[1], "440305", "graduated"),
        (world.bj[0], "110105", "studying"),
    ]:
        StudyEnrolment.objects.create(
            programme=programme, worker=worker, region_id=region, status=status
        )
    assert _total(sz_actor, "education_upgrades") == {
        "applied": 0,
        "studying": 1,
        "graduated": 1,
        "withdrawn": 0,
    }
    assert _total(national_actor, "education_upgrades")["studying"] == 2


def test_briefing_states_training_and_placements(training, placements, national_actor):
    from gongyou.indicators.briefing import briefing_build

    text = " ".join(briefing_build(actor=national_actor, region=None, date=None).paragraphs)
    assert "4 workers started training, 3 completed it and 2 were certified" in text
    assert (
        "3 job placements started in the period, at an average monthly wage of 7,000 yuan" in text
    )
    assert "66.7% were still in the job" in text


def test_settlement_eligibility_from_the_latest_batch(world, national_actor, sz_actor):
    from gongyou.settlement.models import EligibilityResult

    today = timezone.localdate()
    for worker, city, outcome, batch in [
        (world.sz[0], "440300", "eligible", "b1"),  # an older batch: not counted
        (world.sz[0], "440300", "eligible", "b2"),
        (world.sz[1], "440300", "not_yet", "b2"),
        (world.sz[2], "440300", "subject_to_checks", "b2"),
        (world.bj[0], "110100", "not_eligible", "b2"),
    ]:
        EligibilityResult.objects.create(
            worker=worker, city_id=city, as_of=today, outcome=outcome, batch=batch
        )
    EligibilityResult.objects.filter(batch="b1").update(
        computed_at=timezone.now() - dt.timedelta(days=3)
    )
    mine = _total(sz_actor, "settlement_eligibility")
    assert (mine["eligible"], mine["subject_to_checks"], mine["not_yet"], mine["_total"]) == (
        1,
        1,
        1,
        3,
    )
    assert _total(national_actor, "settlement_eligibility")["_total"] == 4
