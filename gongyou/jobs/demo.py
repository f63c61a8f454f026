"""Demo data for jobs: employers (if none), vacancies, job seekers, referrals through their
lifecycle, placements with retention follow-ups, and job fairs — on top of the demo workers.

Writes go through the jobs services, except the bulk job-seeker profiles (`seekers_bulk`,
also used by benchmarks/bench_jobs.py to register a million seekers quickly).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongyou.accounts.enums import Role
from gongyou.accounts.models import User
from gongyou.accounts.policies import Actor, actor_for
from gongyou.employers.models import Employer
from gongyou.employers.services import employer_register
from gongyou.employers.uscc import credit_code_check_character
from gongyou.workers.models import Worker

from . import services
from .enums import ReferralStatus
from .models import JobFair, Referral, SeekerProfile, Vacancy
from .selectors import vacancy_candidates

EMPLOYERS = [
    ("深圳市鹏城建筑工程有限公司", "construction", "440305"),
    ("东莞市精工电子制造有限公司", "manufacturing", "441900"),
    ("广州市穗通物流有限公司", "transport", "440106"),
    ("苏州工业园区精密机械有限公司", "manufacturing", "320506"),
    ("杭州市安居物业服务有限公司", "resident_services", "330106"),
    ("成都市锦城餐饮管理有限公司", "accommodation_catering", "510104"),
    ("北京市京建劳务有限公司", "construction", "110105"),
    ("上海浦江汽车维修有限公司", "resident_services", "310115"),
]
OCCUPATIONS = {
    "construction": [
        ("6-29-01-04", "钢筋工"),
        ("6-29-01-01", "砌筑工"),
        ("6-29-03-02", "电气设备安装工"),
    ],
    "manufacturing": [
        ("6-18-02-04", "焊工"),
        ("6-25-04-07", "电子设备装接工"),
        ("6-18-01-07", "数控机床操作调整工"),
    ],
    "transport": [
        ("4-02-07-08", "快递员"),
        ("4-02-02-02", "货车司机"),
        ("4-02-05-01", "装卸搬运工"),
    ],
    "resident_services": [
        ("4-09-08-01", "保洁员"),
        ("4-07-05-01", "保安员"),
        ("4-12-01-01", "汽车维修工"),
    ],
    "accommodation_catering": [("4-03-02-01", "中式烹调师"), ("4-03-02-05", "餐厅服务员")],
}


def _admin() -> User | None:
    for user in User.objects.filter(is_active=True, organisation__isnull=False).order_by("pk"):
        if Role.SYSTEM_ADMIN in (user.roles or []):
            return user
    return None


def seekers_bulk(*, worker_ids: list[int] | None = None, seed: int = 7, batch: int = 20000) -> int:
    """Register job-seeker profiles for workers that have none (all workers when `worker_ids`
    is None), with plausible expectations, then build their match index. Bulk, not audited per
    row: demo and benchmark data only."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    today = timezone.localdate()
    qs = Worker.objects.filter(merged_into__isnull=True).exclude(
        pk__in=SeekerProfile.objects.values("worker_id")
    )
    if worker_ids is not None:
        qs = qs.filter(pk__in=worker_ids)
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            SeekerProfile.objects.bulk_create(
                [
                    SeekerProfile(
                        worker_id=pk,
                        wage_expectation=rng.choice([None, *range(4000, 12001, 500)]),
                        previous_wage=rng.choice([None, *range(3500, 9001, 500)]),
                        available_from=rng.choice(
                            [None, None, today + dt.timedelta(days=rng.randint(0, 60))]
                        ),
                        max_distance_km=rng.choice([None, None, 30, 50, 100, 300]),
                    )
                    for pk in chunk
                ],
                batch_size=2000,
            )
        services.seeker_index_refresh(worker_ids=chunk, batch=batch)
    return len(ids)


def _employers(actor: Actor, rng: random.Random) -> list[Employer]:
    existing = list(Employer.objects.filter(arrears_flagged=False).order_by("pk")[:8])
    if len(existing) >= 4:
        return existing
    made = []
    for n, (name, industry, region) in enumerate(EMPLOYERS):
        if Employer.objects.filter(name=name).exists():
            made.append(Employer.objects.get(name=name))
            continue
        body = f"91{region}{rng.randint(10**8, 10**9 - 1):09d}{n}"[:17]
        made.append(
            employer_register(
                actor=actor,
                data={
                    "name": name,
                    "credit_code": body + credit_code_check_character(body),
                    "industry": industry,
                    "region": region,
                    "size_class": rng.choice(["large", "medium", "small"]),
                    "address": f"{name[:3]}工业区{rng.randint(1, 99)}号",
                },
            )
        )
    return made


def demo_populate(*, seed: int = 7) -> dict[str, int]:
    """A modest demo set; does nothing when vacancies already exist."""
    if Vacancy.objects.exists():
        return {}
    user = _admin()
    if user is None or not Worker.objects.exists():
        return {}
    actor = actor_for(user)
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    today = timezone.localdate()
    employers = _employers(actor, rng)
    vacancies: list[Vacancy] = []
    for employer in employers:
        for code, title in OCCUPATIONS.get(employer.industry, OCCUPATIONS["manufacturing"]):
            low = rng.randrange(4500, 8000, 500)
            vacancies.append(
                services.vacancy_create(
                    actor=actor,
                    publish=True,
                    data={
                        "employer_id": employer.pk,
                        "title": title,
                        "occupation": code,
                        "skill_level": rng.choice([None, None, 5, 4, 3]),
                        "headcount": rng.randint(2, 20),
                        "wage_min": low,
                        "wage_max": low + rng.randrange(1000, 4000, 500),
                        "region": employer.region_id,
                        "address": employer.address,
                        "contract_type": rng.choice(["fixed_term", "open_ended", "seasonal"]),
                        "social_insurance": rng.choice(["five_plus_fund", "five", "work_injury"]),
                        "housing_meals": rng.choice(["both", "housing", "meals", "allowance"]),
                        "shift_pattern": rng.choice(["day", "two_shifts", "three_shifts"]),
                        "closing_date": today + dt.timedelta(days=rng.randint(20, 90)),
                    },
                )
            )
    # Seekers: the workers in the vacancies' occupation groups, nearest regions first.
    groups = {v.mid_group for v in vacancies}
    candidates = [
        pk
        for pk, occ in Worker.objects.filter(merged_into__isnull=True, occupation__isnull=False)
        .order_by("pk")
        .values_list("pk", "occupation_id")[:20000]
        if "-".join(occ.split("-")[:2]) in groups
    ][:2000]
    seekers = seekers_bulk(worker_ids=candidates, seed=seed)
    referrals = hired = 0
    for vacancy in vacancies[:12]:
        for candidate in vacancy_candidates(actor=actor, vacancy=vacancy, limit=6).candidates[:4]:
            if Referral.objects.filter(
                worker=candidate.worker, status__in=["referred", "interviewed", "offered"]
            ).exists():
                continue
            referral = services.referral_create(
                actor=actor, vacancy=vacancy, worker=candidate.worker
            )
            referrals += 1
            path = rng.choice(
                [
                    [],
                    ["interviewed"],
                    ["interviewed", "offered"],
                    ["declined"],
                    ["offered", "hired"],
                ]
            )
            for step in path:
                extra: dict[str, Any] = {}
                if step == ReferralStatus.HIRED:
                    extra = {
                        "start_date": today - dt.timedelta(days=rng.randint(20, 420)),
                        "monthly_wage": rng.randrange(vacancy.wage_min, vacancy.wage_max + 1, 100),
                    }
                    hired += 1
                if step == ReferralStatus.DECLINED:
                    extra = {"reason": "用人单位认为经验不足"}
                referral = services.referral_transition(
                    actor=actor,
                    referral=referral,
                    to_status=step,
                    version=referral.version,
                    **extra,
                )
    followups = services.followups_create_due(day=today)
    fair = services.fair_create(
        actor=actor,
        data={
            "name": "春风行动专场招聘会",
            "region": vacancies[0].region_id,
            "venue": "区人力资源市场",
            "starts_on": today + dt.timedelta(days=14),
            "ends_on": today + dt.timedelta(days=15),
            "description": "面向农民工的专场招聘，现场提供政策咨询和技能培训报名。",
        },
    )
    for vacancy in vacancies[:5]:
        services.fair_add_vacancy(actor=actor, fair=fair, vacancy=vacancy)
    registered = 0
    for worker in Worker.objects.filter(pk__in=candidates[:30]):
        services.fair_register_worker(actor=actor, fair=fair, worker=worker)
        registered += 1
    return {
        "employers": len(employers),
        "vacancies": len(vacancies),
        "seekers": seekers,
        "referrals": referrals,
        "placements": hired,
        "followups": followups,
        "fairs": JobFair.objects.count(),
        "fair_registrations": registered,
    }
