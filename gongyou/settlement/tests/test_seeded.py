"""The seeded policies on hand-worked examples: Beijing points, Shanghai 居转户 (with the
technician route and the exemption), Shanghai residence-permit points (services, not hukou),
Guangzhou's 2024 round, and the national rule for cities whose scheme is not recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from gongyou.settlement import selectors
from gongyou.settlement.models import PolicyVersion, SettlementPolicy
from gongyou.settlement.seed import seed_load

from .conftest import DAY, all_kinds

pytestmark = pytest.mark.django_db


def answer(admin_actor, worker, city, purpose="hukou", day=DAY):
    return selectors.eligibility_for_city(
        actor=admin_actor, worker_id=worker.pk, city=city, day=day, purpose=purpose
    )


def by_key(a):
    return {i["key"]: i["points"] for i in a["points"]["items"]}


def test_every_city_with_a_known_size_class_has_a_hukou_policy_with_its_trust_tag():
    hukou = SettlementPolicy.objects.filter(purpose="hukou")
    assert hukou.count() == 21
    shenzhen = PolicyVersion.objects.get(policy__city_id="440300", policy__purpose="hukou")
    assert shenzhen.route == "points" and shenzhen.trust == "V"
    assert shenzhen.conditions == [] and shenzhen.points_items == []  # not invented
    assert "2024" in shenzhen.source
    assert SettlementPolicy.objects.filter(purpose="services").get().city_id == "310100"
    beijing = PolicyVersion.objects.get(policy__city_id="110100", policy__purpose="hukou")
    assert beijing.last_cutoff is None and beijing.pass_mark is None  # unknown stays empty
    assert {c["trust"] for c in beijing.conditions} == {"V"}


def test_seed_is_idempotent():
    from gongyou.regions.models import Region

    assert seed_load(
        region_model=Region, policy_model=SettlementPolicy, version_model=PolicyVersion
    ) == {"created": 0}


def test_beijing_points_hand_worked(worker_factory, admin_actor, history, fact):
    # Born 1985-03-01: 39 on DAY → age +20. Bachelor → 15.
    w = (
        worker_factory(
            national_id="110105198503011239", current_region="110105", education="bachelor"
        )
        if False
        else worker_factory(current_region="110105", education="bachelor")
    )
    w.birth_date = dt.date(1985, 3, 1)
    w.save(update_fields=["birth_date"])
    history(
        w,
        contributions=[{"city": "110100", "kind": "pension", "start": "2017-01-01"}],  # 97 months
        residences=[
            {
                "city": "110100",
                "start": "2017-01-01",
                "end": "2020-12-31",
                "tenure": "rented",
                "permit_held": True,
            },
            {"city": "110100", "start": "2021-01-01", "tenure": "owned", "permit_held": True},
        ],
    )
    fact(w, "no_criminal_record", 1)
    fact(w, "administrative_detentions", 1)
    a = answer(admin_actor, w, "110100")
    pts = by_key(a)
    assert pts["stable_employment"] == "24.25"  # 97 months × 3 / 12
    assert pts["stable_residence"] == "6.08"  # 48 rented × 0.5/12 = 2, 49 owned × 1/12 = 4.083
    assert pts["education"] == "15" and pts["age"] == "20" and pts["law_abiding"] == "-30"
    assert a["points"]["total"] == "35.33"
    statuses = [c["status"] for c in a["conditions"]]
    # permit, retirement age (figure not recorded), 7 consecutive years, no criminal record, points
    assert statuses == ["met", "unknown", "met", "met", "unknown"]
    assert a["outcome"] == "unknown"  # no cut-off score is recorded: cannot tell
    assert a["policy"]["number"] == 1 and "beijingtoday" in a["policy"]["source"]


def test_beijing_age_taper_and_consecutive_years(worker_factory, admin_actor, history):
    w = worker_factory(current_region="110105")
    w.birth_date = dt.date(1977, 6, 1)  # 47 on DAY → 12
    w.save(update_fields=["birth_date"])
    history(
        w,
        contributions=[
            {"city": "110100", "kind": "pension", "start": "2015-01-01", "end": "2021-12-31"},
            {"city": "110100", "kind": "pension", "start": "2022-06-01"},
        ],
    )
    a = answer(admin_actor, w, "110100")
    assert by_key(a)["age"] == "12"
    si = a["conditions"][2]
    assert si["have"] == 32 and si["status"] == "unmet"  # the gap in 2022 restarted the count
    assert si["met_on"] == "2029-05-15"


def test_shanghai_technician_route(worker_factory, admin_actor, history, fact, certificate):
    w = worker_factory(current_region="310115")
    history(
        w,
        contributions=[{"city": "310100", "kind": "pension", "start": "2017-06-01"}],
        residences=[
            {"city": "310100", "start": "2017-06-01", "tenure": "rented", "permit_held": True}
        ],
    )
    fact(w, "income_tax_paid", 1)
    fact(w, "no_disqualifying_record", 1)
    # Without these, the exemption route stays "to be checked" (a title could exist).
    fact(w, "professional_title", 0)
    fact(w, "outstanding_migrant_worker", 0)
    before = answer(admin_actor, w, "310100")
    assert before["outcome"] == "not_yet"
    assert any("Level 2" in step for step in before["path"])  # reach technician level
    certificate(w, level=2)
    after = answer(admin_actor, w, "310100")
    assert after["outcome"] == "eligible"
    assert after["conditions"][0]["explanation"] == "Met through route 1."


def test_shanghai_seven_years_path_and_exemption(
    worker_factory, admin_actor, history, fact, certificate
):
    w = worker_factory(current_region="310115")
    history(
        w,
        contributions=[{"city": "310100", "kind": "pension", "start": "2020-01-01"}],
        residences=[
            {"city": "310100", "start": "2020-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    fact(w, "income_tax_paid", 1)
    fact(w, "no_disqualifying_record", 1)
    fact(w, "professional_title", 0)
    fact(w, "outstanding_migrant_worker", 0)
    certificate(w, level=2)
    a = answer(admin_actor, w, "310100")
    assert a["outcome"] == "not_yet"
    assert a["eligible_on"] == "2026-12-15"  # 84th month with a permit and contributions
    certificate(w, level=1)  # senior technician: exemption route
    assert answer(admin_actor, w, "310100")["outcome"] == "eligible"


def test_shanghai_residence_permit_points_open_services_not_hukou(
    worker_factory, admin_actor, history, certificate
):
    w = worker_factory(current_region="310115", education="bachelor")
    w.birth_date = dt.date(1995, 1, 1)  # 30 → 30 points
    w.save(update_fields=["birth_date"])
    history(
        w,
        contributions=[
            {"city": "310100", "kind": "pension", "start": "2022-01-01"}
        ],  # 37 months → 3 whole years
        residences=[
            {"city": "310100", "start": "2022-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    a = answer(admin_actor, w, "310100", purpose="services")
    assert a["policy"]["purpose"] == "services"
    assert by_key(a) == {
        "age": "30",
        "education": "60",
        "skill_level": "0",
        "insurance_base": "0",
        "insurance_years": "9",
    }
    assert a["points"]["total"] == "99" and a["points"]["gap"] == "21" and a["outcome"] == "not_yet"
    certificate(w, level=3)  # senior worker: 60
    assert answer(admin_actor, w, "310100", purpose="services")["outcome"] == "eligible"
    # The hukou answer for the same worker is a different policy.
    assert answer(admin_actor, w, "310100")["policy"]["purpose"] == "hukou"
    ranking = selectors.eligibility_ranking(actor=admin_actor, worker_id=w.pk, day=DAY)
    assert [s["city"] for s in ranking["services"]] == ["310100"]


def test_guangzhou_2024_round(worker_factory, admin_actor, history, fact):
    w = worker_factory(current_region="440106")
    w.birth_date = dt.date(1990, 1, 1)
    w.save(update_fields=["birth_date"])
    history(
        w,
        contributions=all_kinds("440100", "2020-01-01"),  # 61 months each
        residences=[
            {"city": "440100", "start": "2020-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    fact(w, "no_criminal_record", 1)
    a = answer(admin_actor, w, "440100")
    pts = by_key(a)
    assert pts["residence_permit"] == "15.25"  # 61 months × 3/12
    assert pts["rented_housing"] == "10"  # 10.17 capped at 10
    assert pts["insurance_pension"] == "5.08"
    # The total is the sum of the items as shown (each rounded to 2 decimals).
    assert a["points"]["total"] == "50.65"
    assert a["points"]["pass_mark"] == "150" and a["points"]["gap"] == "99.35"
    assert [c["status"] for c in a["conditions"]] == ["met", "met", "met", "met", "met", "unmet"]
    assert a["outcome"] == "not_yet"


def test_guangzhou_age_limit_blocks(worker_factory, admin_actor, history):
    w = worker_factory(current_region="440106")
    w.birth_date = dt.date(1977, 12, 31)
    w.save(update_fields=["birth_date"])
    a = answer(admin_actor, w, "440100")
    assert a["outcome"] == "not_eligible"
    assert a["conditions"][1]["blocking"]


def test_a_points_city_without_a_recorded_scheme_cannot_be_answered(worker_factory, admin_actor):
    w = worker_factory(current_region="440305")
    a = answer(admin_actor, w, "440300")
    assert a["outcome"] == "unknown"
    assert a["policy"]["route"] == "points"


def test_a_city_without_a_policy(worker_factory, admin_actor):
    w = worker_factory(current_region="440305")
    a = answer(admin_actor, w, "440400")  # 珠海: size class not recorded
    assert a["outcome"] == "no_policy" and a["policy"] is None
    assert "size class is not known" in a["note"]


def test_where_can_this_worker_settle_ranks_closest_first(
    worker_factory, admin_actor, history, fact
):
    w = worker_factory(current_region="440106", hukou_region="510104")
    history(
        w,
        contributions=[
            {"city": "310100", "kind": "pension", "start": "2015-01-01", "end": "2018-12-31"},
            {"city": "440100", "kind": "pension", "start": "2021-01-01"},
        ],
        residences=[
            {"city": "440100", "start": "2021-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    ranking = selectors.eligibility_ranking(actor=admin_actor, worker_id=w.pk, day=DAY)
    cities = [a["city"] for a in ranking["answers"]]
    assert cities[0] == "440100"  # current city, not yet
    assert "310100" in cities  # history
    assert "510100" not in cities  # hukou city itself
    assert "510300" in cities  # hukou province
    assert ranking["answers"][0]["reasons"][0] == "current city"
    outcomes = [a["outcome"] for a in ranking["answers"]]
    from gongyou.settlement.enums import OUTCOME_RANK

    assert [OUTCOME_RANK[o] for o in outcomes] == sorted(OUTCOME_RANK[o] for o in outcomes)


def test_answers_use_the_version_in_force_on_the_day(worker_factory, admin_actor):
    w = worker_factory(current_region="440106")
    # Before the 2024 round came into force, no Guangzhou version applies.
    early = answer(admin_actor, w, "440100", day=dt.date(2024, 10, 7))
    assert early["outcome"] == "no_policy"
    assert answer(admin_actor, w, "440100", day=dt.date(2024, 10, 8))["policy"]["number"] == 1
