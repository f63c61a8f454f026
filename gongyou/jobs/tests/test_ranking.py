"""The ranking on hand-built examples: components, order, exclusions, SQL = Python."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.accounts.policies import actor_for
from gongyou.employers.services import employer_set_arrears_flag
from gongyou.jobs.matching import Target, score_entry
from gongyou.jobs.selectors import vacancy_candidates, worker_vacancies
from gongyou.jobs.tests.factories import make_seeker, make_vacancy
from gongyou.workers.services import certificate_add

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _entry(**kw):
    base = {
        "occupation_code": "6-29-01-04",
        "mid_group": "6-29",
        "skill_level": None,
        "latitude": 22.53,
        "longitude": 113.93,
        "max_distance_km": None,
        "wage_expectation": None,
        "available_from": None,
        "pref1": "",
        "pref2": "",
        "pref3": "",
    }
    base.update(kw)
    return base


TARGET = Target(
    occupation_code="6-29-01-04",
    mid_group="6-29",
    skill_level=3,
    region_code="440305",
    latitude=22.53,
    longitude=113.93,
    wage_max=9000,
    closing_date=TODAY + dt.timedelta(days=10),
)


def _points(score):
    return {c["key"]: c["points"] for c in score.explanation}


def test_components_of_a_perfect_match():
    s = score_entry(_entry(skill_level=2, wage_expectation=8000), TARGET)
    assert _points(s) == {
        "occupation": 40,
        "skill": 25,
        "distance": 20,
        "wage": 10,
        "availability": 5,
    }
    assert s.total == 100
    assert all(c["text"] for c in s.explanation)


def test_each_component_steps_down():
    s = score_entry(
        _entry(
            occupation_code="6-29-01-01",
            skill_level=4,
            latitude=22.53 + 0.2,  # about 22 km north
            wage_expectation=9500,
            available_from=TODAY + dt.timedelta(days=20),
        ),
        TARGET,
    )
    assert _points(s) == {
        "occupation": 20,
        "skill": 12,
        "distance": 15,
        "wage": 5,
        "availability": 2,
    }
    far = score_entry(
        _entry(
            skill_level=5,
            latitude=24.0,
            wage_expectation=12000,
            available_from=TODAY + dt.timedelta(days=90),
        ),
        TARGET,
    )
    assert _points(far) == {
        "occupation": 40,
        "skill": 0,
        "distance": 0,
        "wage": 0,
        "availability": 0,
    }
    assert "more than one level below" in far.explanation[1]["text"]


def test_preferred_region_and_max_distance():
    far_but_preferred = score_entry(_entry(latitude=39.9, longitude=116.4, pref1="4403"), TARGET)
    assert _points(far_but_preferred)["distance"] == 20
    too_far = score_entry(_entry(latitude=23.13, longitude=113.26, max_distance_km=50), TARGET)
    assert too_far.excluded
    other_group = score_entry(_entry(mid_group="6-18", occupation_code="6-18-02-04"), TARGET)
    assert other_group.excluded


@pytest.fixture
def people(worker_factory, admin_actor):
    """Four seekers around a Nanshan rebar vacancy that asks for level 3."""
    best = worker_factory(name="甲", current_region="440305", occupation="6-29-01-04")
    certificate_add(
        actor=admin_actor,
        worker=best,
        occupation="6-29-01-04",
        level=3,
        certificate_no="C-1",
        issuing_organisation="深圳技能评价中心",
        issued_on="2024-01-01",
    )
    related = worker_factory(name="乙", current_region="440305", occupation="6-29-01-01")
    far = worker_factory(name="丙", current_region="440106", occupation="6-29-01-04")  # Guangzhou
    capped = worker_factory(name="丁", current_region="440106", occupation="6-29-01-04")
    welder = worker_factory(name="戊", current_region="440305", occupation="6-18-02-04")
    make_seeker(actor=admin_actor, worker=best, wage_expectation=8000)
    make_seeker(actor=admin_actor, worker=related, wage_expectation=8000)
    make_seeker(actor=admin_actor, worker=far, wage_expectation=8000)
    make_seeker(actor=admin_actor, worker=capped, max_distance_km=20)
    make_seeker(actor=admin_actor, worker=welder)
    return best, related, far, capped, welder


def test_workers_ranked_for_a_vacancy(admin_actor, employer, people):
    vacancy = make_vacancy(actor=admin_actor, employer=employer, skill_level=3)
    ranking = vacancy_candidates(actor=admin_actor, vacancy=vacancy)
    names = [c.worker.name for c in ranking.candidates]
    assert names == ["甲", "丙", "乙"]  # capped is beyond 20 km, the welder in another group
    top = ranking.candidates[0]
    assert top.score == 100
    target = Target.of(vacancy)
    # The SQL total is the Python total for every candidate.
    for c in ranking.candidates:
        assert c.score == sum(p["points"] for p in c.components)
    assert target.mid_group == "6-29"
    scores = {c.worker.name: c.score for c in ranking.candidates}
    # 丙: same occupation, no certificate (0), ~100 km away (8 or 0), wage ok, available.
    assert scores["丙"] < scores["甲"] and scores["乙"] == 40 - 20 + 0 + 20 + 10 + 5


def test_flagged_employer_is_left_out(admin_actor, employer, people, worker_factory):
    best = people[0]
    vacancy = make_vacancy(actor=admin_actor, employer=employer)
    assert [v.vacancy for v in worker_vacancies(actor=admin_actor, worker=best)] == [vacancy]
    employer_set_arrears_flag(actor=admin_actor, employer=employer, flagged=True, reason="欠薪")
    assert worker_vacancies(actor=admin_actor, worker=best) == []
    vacancy.employer.refresh_from_db()
    assert vacancy_candidates(actor=admin_actor, vacancy=vacancy).blocked
    employer_set_arrears_flag(actor=admin_actor, employer=employer, flagged=False, reason="已结清")
    assert len(worker_vacancies(actor=admin_actor, worker=best)) == 1


def test_vacancies_ranked_for_a_worker(admin_actor, employer, people):
    best = people[0]
    exact = make_vacancy(actor=admin_actor, employer=employer, title="钢筋工A")
    related = make_vacancy(
        actor=admin_actor, employer=employer, title="砌筑工B", occupation="6-29-01-01"
    )
    make_vacancy(actor=admin_actor, employer=employer, title="焊工C", occupation="6-18-02-04")
    draft = make_vacancy(actor=admin_actor, employer=employer, title="草稿", publish=False)
    matches = worker_vacancies(actor=admin_actor, worker=best)
    assert [m.vacancy for m in matches] == [exact, related]
    assert matches[0].score - matches[1].score == 20
    assert draft not in [m.vacancy for m in matches]


def test_scope_limits_the_candidates(make_user, admin_actor, employer, people):
    vacancy = make_vacancy(actor=admin_actor, employer=employer)
    bj = actor_for(make_user("employment_officer", org="bj"))
    # Beijing sees the published vacancy but none of the Shenzhen/Sichuan workers.
    assert vacancy_candidates(actor=bj, vacancy=vacancy).candidates == []
