"""The engine on hand-built inputs (no database): every condition type, overlaps and gaps,
group accumulation, age limits, points caps and deductions, alternatives, the path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gongyou.settlement import engine
from gongyou.settlement.engine import Certificate, PolicyRules, Spell, WorkerFacts, month_of

GZ, SZ, FS = "440100", "440300", "440600"
DAY = dt.date(2025, 1, 15)


def m(text: str) -> int:
    return month_of(dt.date.fromisoformat(text + "-01"))


def rules(
    conditions: list[dict[str, Any]] = (), items: list[dict[str, Any]] = (), **kw: Any
) -> PolicyRules:  # type: ignore[assignment]
    base: dict[str, Any] = {
        "version_id": 1,
        "number": 1,
        "policy_id": 1,
        "policy_name": "Test",
        "city": GZ,
        "city_name": "广州市",
        "purpose": "hukou",
        "route": "points" if items else "conditions",
        "conditions": list(conditions),
        "points_items": list(items),
        "pass_mark": None,
        "last_cutoff": None,
        "cutoff_year": None,
        "source": "test source",
        "trust": "S",
        "effective_from": dt.date(2024, 1, 1),
        "effective_to": None,
    }
    base.update(kw)
    return PolicyRules(**base)


def facts(**kw: Any) -> WorkerFacts:
    kw.setdefault("birth_date", dt.date(1990, 6, 1))
    return WorkerFacts(worker_id=1, **kw)


def si(city: str, start: str, end: str | None, kind: str = "pension") -> Spell:
    return Spell(city=city, start=m(start), end=m(end) if end else None, kind=kind)


def res(
    city: str, start: str, end: str | None, permit: bool = True, tenure: str = "rented"
) -> Spell:
    return Spell(
        city=city, start=m(start), end=m(end) if end else None, permit=permit, tenure=tenure
    )


def cond(answer: dict[str, Any], i: int = 0) -> dict[str, Any]:
    return answer["conditions"][i]


SI_24 = {"type": "social_insurance", "min_months": 24}


def test_overlapping_spells_count_once_and_gaps_are_not_counted():
    f = facts(
        contributions=[
            si(GZ, "2020-01", "2020-12"),  # 12
            si(GZ, "2020-07", "2021-06"),  # overlaps 6 → +6
            si(GZ, "2020-03", "2020-04", kind="medical"),  # another kind, same months
            si(GZ, "2022-01", "2022-03"),  # after a 6-month gap → +3
        ]
    )
    answer = engine.evaluate(f, rules([SI_24]), DAY)
    assert cond(answer)["have"] == 21
    assert cond(answer)["status"] == "unmet"
    assert cond(answer)["missing"] == "needs 3 more months of social insurance in 广州市"
    # Nothing is ongoing: time alone does not close the gap.
    assert answer["outcome"] == "not_yet" and answer["eligible_on"] is None


def test_kinds_filter_counts_only_the_named_insurance():
    f = facts(contributions=[si(GZ, "2020-01", "2021-12", "medical"), si(GZ, "2022-01", "2022-06")])
    answer = engine.evaluate(f, rules([{**SI_24, "kinds": ["pension"]}]), DAY)
    assert cond(answer)["have"] == 6


def test_other_cities_do_not_count_without_a_group():
    f = facts(contributions=[si(SZ, "2019-01", "2020-12"), si(GZ, "2023-01", "2023-06")])
    answer = engine.evaluate(f, rules([SI_24]), DAY)
    assert cond(answer)["have"] == 6


def test_group_accumulation_pools_months_across_the_group_once():
    f = facts(
        contributions=[
            si(SZ, "2019-01", "2019-12"),
            si(FS, "2019-07", "2020-06"),  # overlaps Shenzhen by 6 months
            si(GZ, "2023-01", "2023-06"),
        ]
    )
    grouped = rules(
        [{**SI_24, "in_group": True}], group_name="大湾区", group_cities=frozenset({SZ, FS, GZ})
    )
    answer = engine.evaluate(f, grouped, DAY)
    assert cond(answer)["have"] == 12 + 6 + 6
    assert cond(answer)["status"] == "met"
    assert "大湾区" in cond(answer)["label"]
    # The same group, but a condition that does not pool: only Guangzhou counts.
    not_pooled = rules([SI_24], group_name="大湾区", group_cities=frozenset({SZ, FS, GZ}))
    assert cond(engine.evaluate(f, not_pooled, DAY))["have"] == 6


def test_consecutive_months_restart_after_a_gap():
    f = facts(contributions=[si(GZ, "2018-01", "2023-12"), si(GZ, "2024-03", None)])
    answer = engine.evaluate(f, rules([{**SI_24, "min_months": 12, "consecutive": True}]), DAY)
    # 2024-03 .. 2025-01 = 11 months since the gap (Jan–Feb 2024).
    assert cond(answer)["have"] == 11
    assert cond(answer)["status"] == "unmet"
    assert cond(answer)["met_on"] == "2025-02-15"
    assert answer["eligible_on"] == "2025-02-15" and answer["months_to_eligible"] == 1


def test_consecutive_run_may_end_last_month():
    f = facts(contributions=[si(GZ, "2023-01", "2024-12")])
    answer = engine.evaluate(f, rules([{**SI_24, "consecutive": True}]), DAY)
    assert cond(answer)["have"] == 24 and cond(answer)["status"] == "met"


def test_ongoing_spell_counts_up_to_the_day_and_projects_the_date():
    f = facts(contributions=[si(GZ, "2023-06", None)])
    answer = engine.evaluate(f, rules([SI_24]), DAY)
    assert cond(answer)["have"] == 20  # 2023-06 .. 2025-01
    assert cond(answer)["met_on"] == "2025-05-15"
    assert answer["eligible_on"] == "2025-05-15" and answer["months_to_eligible"] == 4
    assert "met on 2025-05-15" in answer["path"][0]
    # Evaluated on an earlier day, the same spell counts fewer months (reproducible answers).
    assert cond(engine.evaluate(f, rules([SI_24]), dt.date(2024, 6, 1)))["have"] == 13


def test_spells_after_the_day_are_ignored_and_closed_spells_are_clipped():
    f = facts(contributions=[si(GZ, "2024-01", "2026-12"), si(GZ, "2025-06", "2025-08")])
    assert cond(engine.evaluate(f, rules([SI_24]), DAY))["have"] == 13


def test_contributions_while_holding_a_permit():
    f = facts(
        contributions=[si(GZ, "2020-01", "2023-12")],
        residences=[
            res(GZ, "2019-01", "2021-12", permit=False),
            res(GZ, "2022-01", None, permit=True),
        ],
    )
    answer = engine.evaluate(f, rules([{**SI_24, "while_permit": True}]), DAY)
    assert cond(answer)["have"] == 24  # 2022-01 .. 2023-12


def test_residence_months_permit_and_tenure_filters():
    f = facts(
        residences=[
            res(GZ, "2020-01", "2021-12", permit=False),
            res(GZ, "2022-01", "2022-12", tenure="owned"),
        ]
    )
    any_res = {"type": "residence", "min_months": 36}
    assert cond(engine.evaluate(f, rules([any_res]), DAY))["have"] == 36
    assert cond(engine.evaluate(f, rules([{**any_res, "permit_only": True}]), DAY))["have"] == 12
    assert cond(engine.evaluate(f, rules([{**any_res, "tenures": ["owned"]}]), DAY))["have"] == 12


def test_residence_permit_must_be_current():
    past = facts(residences=[res(GZ, "2020-01", "2023-12")])
    now = facts(residences=[res(GZ, "2020-01", None)])
    c = {"type": "residence_permit"}
    assert cond(engine.evaluate(past, rules([c]), DAY))["status"] == "unmet"
    assert cond(engine.evaluate(now, rules([c]), DAY))["status"] == "met"
    assert (
        cond(engine.evaluate(past, rules([c]), DAY))["missing"]
        == "needs a residence permit in 广州市"
    )


def test_stable_job_or_housing():
    job = facts(contributions=[si(GZ, "2024-01", None)])
    housing = facts(residences=[res(GZ, "2024-01", None, tenure="owned")])
    dorm = facts(residences=[res(GZ, "2024-01", None, tenure="dormitory")])
    for accept, f, status in [
        ("job", job, "met"),
        ("job", housing, "unmet"),
        ("housing", housing, "met"),
        ("housing", dorm, "unmet"),
        ("either", job, "met"),
        ("either", dorm, "unmet"),
    ]:
        c = {"type": "stable_job_or_housing", "accept": accept}
        assert cond(engine.evaluate(f, rules([c]), DAY))["status"] == status, (accept, status)
    declared = facts(declared={"stable_employment": Decimal(1)})
    c = {"type": "stable_job_or_housing", "accept": "job"}
    assert cond(engine.evaluate(declared, rules([c]), DAY))["status"] == "met"


def test_age_limits():
    c = {"type": "age", "max_age": 45}
    young = facts(birth_date=dt.date(1980, 1, 16))  # 44 on DAY
    old = facts(birth_date=dt.date(1979, 1, 15))  # 46 on DAY
    assert cond(engine.evaluate(young, rules([c]), DAY))["status"] == "met"
    over = engine.evaluate(old, rules([c]), DAY)
    assert cond(over)["status"] == "unmet" and cond(over)["blocking"]
    assert over["outcome"] == "not_eligible"
    assert over["path"] == ["over the age limit of 45 (this cannot be changed)"]
    # Birthday on the day: age counts in full years.
    assert engine.age_on(dt.date(1980, 1, 15), DAY) == 45
    assert engine.age_on(dt.date(1980, 1, 16), DAY) == 44
    # A round's birth-date limit.
    born = {"type": "age", "born_on_or_after": "1978-01-01"}
    assert cond(engine.evaluate(facts(birth_date=dt.date(1977, 12, 31)), rules([born]), DAY))[
        "blocking"
    ]
    assert (
        cond(engine.evaluate(facts(birth_date=dt.date(1978, 1, 1)), rules([born]), DAY))["status"]
        == "met"
    )
    # A minimum age is reached with time.
    teen = engine.evaluate(
        facts(birth_date=dt.date(2007, 3, 1)), rules([{"type": "age", "min_age": 18}]), DAY
    )
    assert teen["outcome"] == "not_yet" and teen["eligible_on"] == "2025-03-15"
    # No figures recorded: known requirement, to be checked.
    unknown = engine.evaluate(young, rules([{"type": "age"}]), DAY)
    assert cond(unknown)["status"] == "unknown" and unknown["outcome"] == "subject_to_checks"


def test_skill_level_uses_valid_certificates_only():
    c = {"type": "skill_level", "max_level": 2}
    expired = facts(
        certificates=[
            Certificate(level=2, issued_on=dt.date(2015, 1, 1), expires_on=dt.date(2020, 1, 1))
        ]
    )
    level3 = facts(
        certificates=[Certificate(level=3, issued_on=dt.date(2020, 1, 1), expires_on=None)]
    )
    level1 = facts(
        certificates=[Certificate(level=1, issued_on=dt.date(2020, 1, 1), expires_on=None)]
    )
    assert cond(engine.evaluate(expired, rules([c]), DAY))["status"] == "unmet"
    answer = engine.evaluate(level3, rules([c]), DAY)
    assert cond(answer)["status"] == "unmet"
    assert cond(answer)["missing"].startswith("reach Level 2")
    assert cond(engine.evaluate(level1, rules([c]), DAY))["status"] == "met"


def test_education_condition():
    c = {"type": "education", "min_level": "junior_college"}
    assert cond(engine.evaluate(facts(education="bachelor"), rules([c]), DAY))["status"] == "met"
    assert (
        cond(engine.evaluate(facts(education="senior_secondary"), rules([c]), DAY))["status"]
        == "unmet"
    )
    assert cond(engine.evaluate(facts(education=""), rules([c]), DAY))["status"] == "unknown"


def test_declared_facts_unknown_met_and_blocking():
    c = {"type": "declared", "fact": "no_criminal_record", "min_value": "1"}
    assert engine.evaluate(facts(), rules([c]), DAY)["outcome"] == "subject_to_checks"
    ok = facts(declared={"no_criminal_record": Decimal(1)})
    assert engine.evaluate(ok, rules([c]), DAY)["outcome"] == "eligible"
    bad = facts(declared={"no_criminal_record": Decimal(0)})
    assert engine.evaluate(bad, rules([c]), DAY)["outcome"] == "not_eligible"
    tax = {"type": "declared", "fact": "income_tax_paid"}
    assert (
        engine.evaluate(facts(declared={"income_tax_paid": Decimal(0)}), rules([tax]), DAY)[
            "outcome"
        ]
        == "not_yet"
    )


def test_any_of_is_met_by_one_route_and_names_the_closest():
    c = {
        "type": "any_of",
        "options": [
            [SI_24, {"type": "skill_level", "max_level": 2}],
            [{"type": "skill_level", "max_level": 1}],
        ],
    }
    senior = facts(
        certificates=[Certificate(level=1, issued_on=dt.date(2020, 1, 1), expires_on=None)]
    )
    answer = engine.evaluate(senior, rules([c]), DAY)
    assert cond(answer)["status"] == "met" and answer["outcome"] == "eligible"
    some = facts(contributions=[si(GZ, "2020-01", "2022-12")])
    answer = engine.evaluate(some, rules([c]), DAY)
    assert cond(answer)["status"] == "unmet" and cond(answer)["closest"] == 0
    assert cond(answer)["missing"].startswith("reach Level 2")


def test_points_per_year_caps_and_deductions():
    items = [
        {"type": "insurance_years", "key": "si", "per_year": "3", "cap": None},
        {
            "type": "residence_years",
            "key": "res",
            "per_year_owned": "1",
            "per_year_rented": "2",
            "cap": "10",
        },
        {"type": "declared", "key": "honours", "fact": "honours", "per_unit": "20", "cap": "20"},
        {
            "type": "declared",
            "key": "detention",
            "fact": "administrative_detentions",
            "per_unit": "-30",
        },
        {
            "type": "declared",
            "key": "violations",
            "fact": "tax_violations",
            "per_unit": "-12",
            "cap": "12",
        },
        {
            "type": "age",
            "key": "age",
            "bands": [{"max_age": 35, "points": "20"}, {"max_age": 45, "points": "10"}],
        },
        {"type": "education", "key": "edu", "values": {"bachelor": "15"}},
        {
            "type": "declared",
            "key": "innov",
            "fact": "innovation_points",
            "per_unit": "1",
            "cap": "12",
        },
    ]
    f = facts(
        birth_date=dt.date(1985, 1, 1),  # 40 → 10
        education="bachelor",
        contributions=[si(GZ, "2019-01", "2024-06")],  # 66 months → 16.5
        residences=[
            res(GZ, "2019-01", "2024-12", tenure="rented"),
            res(GZ, "2023-01", "2024-12", tenure="owned"),
        ],
        declared={
            "honours": Decimal(2),
            "administrative_detentions": Decimal(1),
            "tax_violations": Decimal(3),
        },
    )
    answer = engine.evaluate(f, rules(items=items, pass_mark=Decimal(100)), DAY)
    got = {i["key"]: i for i in answer["points"]["items"]}
    assert got["si"]["points"] == "16.5"
    # Owned months are not also counted as rented: 48 rented × 2/12 = 8, 24 owned × 1/12 = 2 → 10.
    assert got["res"]["points"] == "10" and not got["res"]["capped"]
    assert (
        got["honours"]["points"] == "20"
        and got["honours"]["capped"]
        and got["honours"]["raw"] == "40"
    )
    assert got["detention"]["points"] == "-30"
    assert got["violations"]["points"] == "-12" and got["violations"]["capped"]
    assert got["age"]["points"] == "10"
    assert got["edu"]["points"] == "15"
    assert got["innov"]["points"] == "0" and not got["innov"]["recorded"]
    assert answer["points"]["total"] == "29.5"
    assert answer["points"]["gap"] == "70.5"
    assert answer["points"]["unrecorded"] == ["innov"]
    assert cond(answer, -1)["missing"] == "needs 70.5 more points (pass mark 100)"


def test_points_whole_years_and_projection():
    items = [{"type": "insurance_years", "key": "si", "per_year": "10", "whole_years": True}]
    f = facts(contributions=[si(GZ, "2022-03", None)])  # 35 months on DAY → 2 whole years
    answer = engine.evaluate(f, rules(items=items, pass_mark=Decimal(30)), DAY)
    assert answer["points"]["total"] == "20"
    assert answer["outcome"] == "not_yet"
    assert answer["eligible_on"] == "2025-02-15"  # the 36th month


def test_points_cutoff_is_used_when_there_is_no_pass_mark_and_unknown_otherwise():
    items = [{"type": "education", "key": "edu", "values": {"bachelor": "50"}}]
    f = facts(education="bachelor")
    cut = engine.evaluate(f, rules(items=items, last_cutoff=Decimal(40), cutoff_year=2024), DAY)
    assert cut["outcome"] == "eligible" and "indicative" in cond(cut, -1)["label"]
    none = engine.evaluate(f, rules(items=items), DAY)
    assert none["outcome"] == "unknown" and none["points"]["total"] == "50"


def test_routes_without_recorded_details():
    assert engine.evaluate(facts(), rules(route="no_restriction"), DAY)["outcome"] == "eligible"
    assert engine.evaluate(facts(), rules(route="relaxed"), DAY)["outcome"] == "unknown"
    points = engine.evaluate(facts(), rules(route="points"), DAY)
    assert points["outcome"] == "unknown"
    assert cond(points)["missing"].startswith("the points scheme is not recorded")


def test_every_answer_cites_the_version():
    answer = engine.evaluate(facts(), rules([SI_24]), DAY)
    assert answer["policy"]["version_id"] == 1 and answer["policy"]["source"] == "test source"
    assert answer["policy"]["trust"] == "S" and answer["as_of"] == "2025-01-15"


def test_month_helpers():
    assert engine.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert engine.run_ending_at(0b1110111, 6) == 3
    assert engine.run_ending_at(0b1111111, 6) == 7
    assert engine.run_ending_at(0b0111111, 6) == 0
