"""Demo data for training: a city's vocational training campaign led by its human-resources
department with courses of two training providers (finished ones with certificates and
subsidy claims, a running one, open ones), and a national 求学圆梦 campaign with a programme
and students. Written through the services, so every record is validated and audited like
real work. Idempotent: does nothing if any campaign exists.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongyou.accounts.enums import DepartmentType, OrganisationKind, Role
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor
from gongyou.accounts.services import organisation_create
from gongyou.classifications.selectors import occupation_names
from gongyou.workers.models import Worker

from . import services
from .enums import ClaimStatus, EnrolmentStatus
from .models import Campaign, Enrolment

E = EnrolmentStatus
SYSTEM = Actor(
    user=None,
    roles=frozenset({Role.SYSTEM_ADMIN}),
    region_prefix="",
    station_id=None,
    organisation_id=None,
)
COURSES = [
    # occupation, level, title, hours, seats, subsidy, starts (days from today), length (days)
    ("6-18-02-04", 4, "焊工（四级/中级工）技能提升培训班", 40, 20, "1500", -75, 20),
    ("6-31-01-03", 5, "电工（五级/初级工）岗前培训班", 32, 25, "1000", -50, 14),
    ("4-10-01-05", 4, "养老护理员（四级）培训班", 48, 30, "1800", -6, 30),
    ("4-10-08-01", 5, "网约配送员安全与技能培训", 16, 40, "600", 12, 4),
    ("4-03-02-01", 4, "中式烹调师（四级）培训班", 60, 20, "2000", 25, 30),
]


def _org(
    name: str, kind: str, region: str | None, parent: Organisation | None, dept: str = ""
) -> Organisation:
    existing = Organisation.objects.filter(name=name, parent=parent).first()
    return existing or organisation_create(
        actor=None, name=name, kind=kind, region_code=region, parent=parent, department_type=dept
    )


def _city_of(workers: list[Worker]) -> tuple[str, list[str]]:
    """The city with most workers, and its counties by number of workers."""
    counties = Counter(w.current_region_id for w in workers)
    cities: Counter[str] = Counter()
    for code, n in counties.items():
        cities[code[:4] + "00"] += n
    city = cities.most_common(1)[0][0]
    return city, [c for c, _n in counties.most_common() if c.startswith(city[:4]) and c != city]


def _walk(
    enrolment: Enrolment, path: Sequence[str], course: Any, rng: random.Random, serial: list[int]
) -> Enrolment:
    for step in path:
        extra: dict[str, Any] = {}
        if step in (E.WITHDRAWN, E.DROPPED):
            extra["reason"] = rng.choice(["工作调动", "家中有事", "时间冲突"])
        if step == E.COMPLETED:
            day, needed = course.starts_on, course.hours
            while needed > 0 and day <= min(course.ends_on, timezone.localdate()):
                services.attendance_record(actor=SYSTEM, enrolment=enrolment, date=day, hours=8)
                needed -= 8
                day += dt.timedelta(days=1)
        if step in (E.ASSESSED_PASS, E.ASSESSED_FAIL):
            extra["assessed_on"] = min(course.ends_on, timezone.localdate())
            extra["score"] = rng.randint(60, 95) if step == E.ASSESSED_PASS else rng.randint(30, 59)
        if step == E.CERTIFIED:
            serial[0] += 1
            extra["certificate_no"] = f"DEMO{course.pk:04d}{serial[0]:06d}"
        enrolment = services.enrolment_transition(
            actor=SYSTEM, enrolment=enrolment, to_status=step, version=enrolment.version, **extra
        )
    return enrolment


@transaction.atomic
def demo_populate(*, seed: int = 7) -> dict[str, int]:
    if Campaign.objects.exists():
        return {}
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    names = occupation_names()
    workers = list(
        Worker.objects.filter(merged_into__isnull=True)
        .only("id", "current_region_id", "education", "birth_date")
        .order_by("id")[:3000]
    )
    if not workers or not all(code in names for code, *_rest in COURSES):
        return {}
    today = timezone.localdate()
    city, counties = _city_of(workers)
    counties = counties or [city]
    local = [w for w in workers if w.current_region_id.startswith(city[:4])]
    rng.shuffle(local)
    federation = Organisation.objects.filter(
        region_id=city, kind=OrganisationKind.CITY_FEDERATION
    ).first()
    national = Organisation.objects.filter(
        kind=OrganisationKind.NATIONAL_FEDERATION, parent=None
    ).first() or _org("中华全国总工会", OrganisationKind.NATIONAL_FEDERATION, None, None)
    hr = _org(
        "人力资源和社会保障局",
        OrganisationKind.PARTNER_DEPARTMENT,
        city,
        federation,
        DepartmentType.HUMAN_RESOURCES,
    )
    edu = _org(
        "教育局", OrganisationKind.PARTNER_DEPARTMENT, city, federation, DepartmentType.EDUCATION
    )
    moe = _org(
        "教育部职业教育与成人教育司",
        OrganisationKind.PARTNER_DEPARTMENT,
        None,
        national,
        DepartmentType.EDUCATION,
    )
    providers = [
        _org("职业技能培训学校", OrganisationKind.TRAINING_PROVIDER, city, federation),
        _org("工匠学院培训中心", OrganisationKind.TRAINING_PROVIDER, city, federation),
    ]
    campaign = services.campaign_create(
        actor=SYSTEM,
        data={
            "name": f"{today.year}年春风行动职业技能培训",
            "kind": "vocational_training",
            "lead_organisation": hr.pk,
            "co_organisers": [o.pk for o in (federation, edu) if o is not None],
            "starts_on": today - dt.timedelta(days=120),
            "ends_on": today + dt.timedelta(days=120),
            "description": "面向农民工的职业技能培训，补贴性培训，培训合格颁发职业技能等级证书。",
        },
    )
    target_regions = counties[:3]
    services.campaign_set_targets(
        actor=SYSTEM,
        campaign=campaign,
        targets=[
            {"region": c, "trained": 60 - 10 * i, "completed": 50 - 10 * i, "certified": 35 - 8 * i}
            for i, c in enumerate(target_regions)
        ],
        version=campaign.version,
    )
    counts: Counter[str] = Counter(campaigns=1, targets=len(target_regions))
    serial = [0]
    pool = iter(local * 2)
    for i, (occ, level, title, hours, seats, subsidy, start, length) in enumerate(COURSES):
        starts = today + dt.timedelta(days=start)
        ends = starts + dt.timedelta(days=length)
        opens = starts - dt.timedelta(days=30)
        course = services.course_create(
            actor=SYSTEM,
            data={
                "provider": providers[i % 2].pk,
                "campaign": campaign.pk,
                "title": title,
                "occupation": occ,
                "target_level": level,
                "hours": hours,
                "seats": seats,
                "starts_on": starts,
                "ends_on": ends,
                "schedule": rng.choice(
                    ["周六、周日 09:00-17:00", "工作日晚间 19:00-21:30", "脱产集中培训"]
                ),
                "region": target_regions[i % len(target_regions)],
                "address": providers[i % 2].name,
                "subsidy_per_trainee": subsidy,
                "enrol_opens_on": opens,
                "enrol_closes_on": min(starts, ends),
            },
        )
        counts["courses"] += 1
        finished, running = ends < today, starts <= today <= ends
        n = min(seats - 2, 14) if (finished or running) else rng.randint(3, 8)
        for _ in range(n):
            worker = next(pool, None)
            if worker is None:
                break
            if Enrolment.objects.filter(course=course, worker=worker).exists():
                continue
            enrolment = services.enrolment_apply(
                actor=SYSTEM,
                course=course,
                worker_id=worker.pk,
                today=max(opens, min(today, course.enrol_closes_on)),
            )
            if finished:
                path = rng.choices(
                    [
                        [E.ENROLLED, E.IN_TRAINING, E.COMPLETED, E.ASSESSED_PASS, E.CERTIFIED],
                        [E.ENROLLED, E.IN_TRAINING, E.COMPLETED, E.ASSESSED_FAIL],
                        [E.ENROLLED, E.IN_TRAINING, E.DROPPED],
                        [E.WITHDRAWN],
                    ],
                    [70, 12, 10, 8],
                )[0]
            elif running:
                path = rng.choices(
                    [[E.ENROLLED, E.IN_TRAINING], [E.ENROLLED, E.IN_TRAINING, E.DROPPED]], [90, 10]
                )[0]
            else:
                path = rng.choices([[], [E.ENROLLED]], [40, 60])[0]
            enrolment = _walk(enrolment, path, course, rng, serial)
            counts["enrolments"] += 1
            counts["certificates"] += enrolment.status == E.CERTIFIED
        if finished:
            claims = services.claim_submit_for_course(actor=SYSTEM, course=course)
            counts["claims"] += len(claims)
            for claim in claims:
                if rng.random() < 0.7:
                    claim = services.claim_transition(
                        actor=SYSTEM,
                        claim=claim,
                        to_status=ClaimStatus.APPROVED,
                        version=claim.version,
                    )
                    if rng.random() < 0.6:
                        services.claim_transition(
                            actor=SYSTEM,
                            claim=claim,
                            to_status=ClaimStatus.PAID,
                            version=claim.version,
                        )
    # The education upgrade.
    dream = services.campaign_create(
        actor=SYSTEM,
        data={
            "name": f"{today.year}年求学圆梦行动",
            "kind": "education_upgrade",
            "lead_organisation": national.pk,
            "co_organisers": [moe.pk],
            "starts_on": dt.date(today.year, 1, 1),
            "ends_on": dt.date(today.year, 12, 31),
            "description": "工会资助农民工接受学历继续教育（大专、本科），学分累积，线上线下混合教学。",
        },
    )
    services.campaign_set_targets(
        actor=SYSTEM,
        campaign=dream,
        targets=[{"region": city, "funded_study": 20}],
        version=dream.version,
    )
    counts["campaigns"] += 1
    institution = services.institution_create(
        actor=SYSTEM, data={"name": "开放大学（演示）", "kind": "open_university", "region": city}
    )
    programme = services.programme_create(
        actor=SYSTEM,
        data={
            "institution": institution.pk,
            "campaign": dream.pk,
            "name": "机电一体化技术",
            "level": "junior_college",
            "credits_required": 8,
            "tuition": "6000",
            "union_subsidy": "3000",
            "starts_on": today - dt.timedelta(days=400),
        },
    )
    counts["programmes"] += 1
    eligible = [
        w
        for w in local
        if w.education
        in ("junior_secondary", "senior_secondary", "secondary_vocational", "primary", "")
    ]
    for j, worker in enumerate(eligible[:12]):
        study = services.study_apply(actor=SYSTEM, programme=programme, worker_id=worker.pk)
        counts["studies"] += 1
        if j % 6 == 5:
            continue
        study = services.study_transition(
            actor=SYSTEM, study=study, to_status="studying", version=study.version
        )
        modules = [("高等数学", 3), ("机械制图", 3), ("电工电子技术", 2)]
        for k, (module, credits) in enumerate(modules[: 3 if j % 3 == 0 else 2]):
            services.credit_record(
                actor=SYSTEM,
                study=study,
                module=module,
                credits=credits,
                earned_on=today - dt.timedelta(days=300 - 100 * k),
            )
        if j % 3 == 0:
            services.study_transition(
                actor=SYSTEM, study=study, to_status="graduated", version=study.version
            )
            counts["graduates"] += 1
    return dict(counts)
