"""Hand-worked examples of "what can this worker use": every condition type the catalogue uses
(residence permit, months of local social insurance, points level, stable job or housing, a
child's age), the seeded entries, the documents list and the plain-text version."""

from __future__ import annotations

import datetime as dt

from gongyou.publicservices import selectors

from .conftest import DAY, seeded


def answer(worker, city=None):
    return selectors.services_for_worker(worker=worker, day=DAY, city=city)


def find(a, kind, member="", test_only=None):
    for group in ("usable", "not_yet", "unknown"):
        for s in a[group]:
            if test_only is not None and s["service"].startswith("测试服务") != test_only:
                continue
            if s["kind"] == kind and s["member_name"] == member:
                return group, s
    raise AssertionError(f"{kind} not in the answer")


def test_permit_and_insurance_months_hand_worked(worker_factory, history, published):
    published(
        conditions=[
            {"type": "residence_permit", "trust": "V", "source": "s"},
            {"type": "social_insurance", "min_months": 24, "trust": "S", "source": "s"},
        ],
        documents=["居住证", "社保缴费证明"],
        how_to_apply="到街道办事处申请",
    )
    w = worker_factory()  # lives in 440305 (Shenzhen)
    # 2023-06-01 .. 2025-01 = 20 months of contributions (both ends inclusive, by month).
    history(
        w,
        contributions=[{"city": "440300", "kind": "pension", "start": "2023-06-01"}],
        residences=[
            {"city": "440300", "start": "2023-06-01", "tenure": "rented", "permit_held": False}
        ],
    )
    group, s = find(answer(w), "public_rental_housing")
    assert group == "not_yet"
    permit, months = s["conditions"]
    assert permit["status"] == "unmet" and "residence permit" in permit["missing"]
    assert months["have"] == 20 and months["need"] == 24
    assert months["missing"] == "needs 4 more months of social insurance in 深圳市"
    assert months["met_on"] == "2025-05-15"  # four more months if contributions continue
    assert s["missing"] == [permit["missing"], months["missing"]]
    # With a permit, still 4 months short: the permit condition is met, the months are not.
    history(
        w,
        residences=[
            {"city": "440300", "start": "2024-06-01", "tenure": "rented", "permit_held": True}
        ],
    )
    group, s = find(answer(w), "public_rental_housing")
    assert group == "not_yet" and s["missing"] == [months["missing"]]
    assert s["eligible_on"] == "2025-05-15"


def test_usable_when_all_met_and_documents_listed(worker_factory, history, published):
    published(
        conditions=[
            {"type": "stable_job_or_housing", "accept": "either", "trust": "V", "source": "s"}
        ],
        documents=["居住证", "劳动合同"],
    )
    published(kind="legal_aid", open_to_all=True, documents=["身份证", "劳动合同"])
    w = worker_factory()
    history(w, contributions=[{"city": "440300", "kind": "medical", "start": "2024-10-01"}])
    a = answer(w)
    assert find(a, "public_rental_housing")[0] == "usable"
    assert find(a, "legal_aid")[0] == "usable"
    assert a["documents"] == ["身份证", "劳动合同", "居住证"]  # merged in answer order, no repeats
    text = selectors.services_for_worker_text(a)
    assert "You can use now:" in text and "- 身份证" in text and "<" not in text


def test_stable_job_or_housing_not_met(worker_factory, published):
    published(conditions=[{"type": "stable_job_or_housing", "accept": "housing"}])
    w = worker_factory()
    group, s = find(answer(w), "public_rental_housing")
    assert group == "not_yet"
    assert s["missing"] == ["needs owned housing or a registered lease in 深圳市"]


def test_child_service_uses_the_childs_age_and_the_parents_record(
    worker_factory, history, child, published
):
    published(
        kind="school_admission",
        beneficiary="child",
        conditions=[
            {"type": "age", "min_age": 6, "max_age": 15},
            {"type": "residence_permit"},
        ],
    )
    w = worker_factory()
    history(
        w,
        residences=[
            {"city": "440300", "start": "2022-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    a = answer(w)
    assert all(s["member_name"] == "" for s in a["usable"] + a["not_yet"] + a["unknown"])
    assert "测试服务 school_admission" in a["child_services"]
    child(w, birth="2018-03-01", name="老大")  # 6 on DAY
    child(w, birth="2021-05-01", name="老二")  # 3 on DAY: too young
    a = answer(w)
    assert find(a, "school_admission", "老大", test_only=True)[0] == "usable"
    group, young = find(a, "school_admission", "老二", test_only=True)
    assert group == "not_yet"
    assert young["conditions"][0]["missing"] == "must be at least 6 years old"
    assert young["eligible_on"] == "2027-05-15"  # the month the child turns 6


def test_seeded_school_admission_is_unknown_not_invented(worker_factory, child):
    w = worker_factory(current_region="310115")
    child(w)
    group, s = find(answer(w), "school_admission", "张小明")
    assert group == "unknown" and s["trust"] == "U" and s["conditions"] == []
    assert "not recorded" in s["missing"][0]


def test_seeded_insurance_where_one_works_is_open(worker_factory):
    w = worker_factory(current_region="440106")  # Guangzhou
    a = answer(w)
    assert find(a, "medical_insurance")[0] == "usable"
    assert find(a, "pension_insurance")[1]["trust"] == "V"


def test_seeded_shanghai_entrance_exams_follow_the_points_scheme(
    worker_factory, history, child, admin_actor
):
    """Shanghai residence-permit points (settlement's seeded `services` policy): bachelor 60,
    aged 30 → 30, 3 whole years of insurance × 3 = 9: 99 of 120 → not yet; a level-3 certificate
    (+60) → 159, usable (domain-facts §1.4 (a))."""
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
    child(w, birth="2012-09-01")
    group, s = find(answer(w), "entrance_exams", "张小明")
    assert group == "not_yet"
    points = s["conditions"][-1]
    assert points["type"] == "points_level" and points["have"] == "99" and points["need"] == "120"
    assert points["trust"] == "V"
    certificate_add(
        actor=admin_actor,
        worker=w,
        occupation="6-18-02-04",
        level=3,
        certificate_no="T000001",
        issuing_organisation="测试鉴定中心",
        issued_on="2020-01-01",
    )
    group, s = find(answer(w), "entrance_exams", "张小明")
    assert group == "usable" and s["conditions"][-1]["have"] == "159"
    assert seeded("310100", "entrance_exams").versions.get().needs_points


def test_worker_outside_any_city(worker_factory):
    w = worker_factory()
    a = selectors.services_for_worker(worker=w, day=DAY, city="110100")
    assert a["city_name"] == "北京市"
