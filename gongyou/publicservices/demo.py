"""Demo data for public services: family members (spouse, school-age children) for a sample of
demo workers, and a few referrals with outcomes, made through the services so every write is
validated and audited, and integration activities in one demo city (one held with attendance
and feedback, a children's summer class and a family day open for registration, a draft). The
catalogue itself is seeded by migration. Idempotent: each part does nothing if its records exist.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from gongyou.accounts.enums import Role
from gongyou.accounts.models import User
from gongyou.accounts.policies import actor_for
from gongyou.regions.selectors import region_range_q
from gongyou.stations.models import Station
from gongyou.workers.models import Worker

from . import selectors, services
from .enums import Availability, Relation, SchoolStage
from .models import Activity, FamilyMember, PublicService

SAMPLE = 60
SPOUSES = ["李娜", "王芳", "刘洋", "陈静", "杨丽", "赵敏"]
CHILDREN = ["小明", "小红", "小刚", "小丽", "小军", "小燕", "小龙", "小雪"]


def _stage(age: int) -> str:
    if age < 3:
        return SchoolStage.CHILDCARE
    if age < 6:
        return SchoolStage.KINDERGARTEN
    if age < 12:
        return SchoolStage.PRIMARY
    if age < 15:
        return SchoolStage.JUNIOR_SECONDARY
    return SchoolStage.SENIOR_SECONDARY


def demo_populate(*, seed: int = 7) -> dict[str, int]:
    result: dict[str, int] = {}
    if not FamilyMember.objects.exists():
        result.update(_family_and_referrals(seed))
    if not Activity.objects.exists():
        result.update(_activities(seed))
    return result


def _admin() -> User | None:
    return next(
        (
            u
            for u in User.objects.filter(is_active=True).order_by("id")
            if Role.SYSTEM_ADMIN in (u.roles or [])
        ),
        None,
    )


def _family_and_referrals(seed: int) -> dict[str, int]:
    admin = _admin()
    if admin is None:
        return {}
    actor = actor_for(admin)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    cities = set(PublicService.objects.values_list("city_id", flat=True))
    workers = [
        w
        for w in Worker.objects.filter(merged_into__isnull=True).order_by("id")[:3000]
        if selectors.city_of(w.current_region_id) in cities
    ]
    if not workers:
        return {}
    chosen = rng.sample(workers, min(SAMPLE, len(workers)))
    members = referrals = 0
    for worker in chosen:
        age = (today - worker.birth_date).days // 365 if worker.birth_date else 30
        if age >= 24 and rng.random() < 0.7:
            services.family_member_add(
                actor=actor,
                worker=worker,
                data={"relation": Relation.SPOUSE, "name": rng.choice(SPOUSES)},
            )
            members += 1
        for _i in range(rng.choice([0, 1, 1, 2]) if age >= 24 else 0):
            child_age = rng.randint(1, min(16, age - 20))
            birth = today - dt.timedelta(days=365 * child_age + rng.randint(0, 300))
            services.family_member_add(
                actor=actor,
                worker=worker,
                data={
                    "relation": Relation.CHILD,
                    "name": rng.choice(CHILDREN),
                    "birth_date": birth.isoformat(),
                    "school_stage": _stage(child_age),
                },
            )
            members += 1
    outcomes = ["granted", "granted", "refused", "pending", None]
    for worker in chosen[:15]:
        answer = selectors.services_for_worker(worker=worker)
        candidates = [
            a
            for a in answer["usable"] + answer["unknown"]
            if a["availability"] in (Availability.USABLE, Availability.UNKNOWN)
        ]
        if not candidates:
            continue
        a = rng.choice(candidates)
        referral = services.referral_create(
            actor=actor,
            worker=worker,
            service_id=a["service_id"],
            family_member_id=a["member_id"],
            note="演示数据：请协助办理",
        )
        referrals += 1
        outcome = rng.choice(outcomes)
        if outcome:
            reason = "材料不全，请补交居住证" if outcome == "refused" else ""
            services.referral_transition(
                actor=actor,
                referral=referral,
                to_status=outcome,
                reason=reason,
                expected_version=referral.version,
            )
    return {"family_members": members, "referrals": referrals}


def _organiser_for(region: str, fallback: User) -> User:
    """A programme officer or organisation admin whose area covers `region` (the union that runs
    the activity), else the system admin."""
    for user in User.objects.filter(is_active=True).order_by("id"):
        roles = set(user.roles or [])
        if roles & {Role.PROGRAMME_OFFICER, Role.ORG_ADMIN} and Role.STATION_STAFF not in roles:
            actor = actor_for(user)
            if actor.region_prefix and actor.covers_region(region):
                return user
    return fallback


def _activities(seed: int) -> dict[str, int]:
    admin = _admin()
    if admin is None:
        return {}
    rng = random.Random(seed + 1)  # noqa: S311 - demo data, not security
    workers = list(Worker.objects.filter(merged_into__isnull=True).order_by("id")[:500])
    if not workers:
        return {}
    region = max(
        {w.current_region_id for w in workers},
        key=lambda code: sum(1 for w in workers if w.current_region_id == code),
    )
    local = [w for w in workers if w.current_region_id == region]
    actor = actor_for(_organiser_for(region, admin))
    station = Station.objects.filter(region_id=region, is_active=True).order_by("id").first()
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()

    def make(kind: str, title: str, days: int, **extra: Any) -> Activity:
        start = timezone.localtime(now + dt.timedelta(days=days)).replace(hour=14, minute=0)
        data = {
            "kind": kind,
            "title": title,
            "region": region,
            "station": station.pk if station else "",
            "venue": station.name if station else "区职工服务中心",
            "address": station.address if station else "",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=extra.pop("hours", 3)),
            "registration_opens_on": min(today, start.date()) - dt.timedelta(days=10),
            "registration_closes_on": start.date() - dt.timedelta(days=1),
            **extra,
        }
        return services.activity_create(actor=actor, data=data)

    def open_(activity: Activity, at: dt.datetime | None = None) -> Activity:
        return services.activity_transition(
            actor=actor, activity=activity, to_status="open", expected_version=1, now=at
        )

    registrations = 0
    # Held three weeks ago: 8 registered, 6 came, 4 of them rated it.
    past = make(
        "city_orientation",
        "新市民城市融入讲座：办事指南与权益保障",
        -21,
        places=40,
        description="社保、居住证、子女入学办理流程讲解，现场答疑。",
    )
    before = past.starts_at - dt.timedelta(days=3)
    past = open_(past, before)
    regs = []
    for worker in rng.sample(local, min(8, len(local))):
        regs.append(
            services.registration_create(
                actor=actor, activity=past, worker_id=worker.pk, now=before
            )
        )
        registrations += 1
    past = services.activity_transition(
        actor=actor, activity=past, to_status="closed", expected_version=past.version, now=before
    )
    after = past.starts_at + dt.timedelta(hours=1)
    comments = ["讲得很清楚，解决了居住证问题", "希望多办几场", "", "很实用"]
    for i, reg in enumerate(regs):
        status = "attended" if i < 6 else "absent"
        reg = services.registration_transition(
            actor=actor, registration=reg, to_status=status, expected_version=1, now=after
        )
        if i < 4:
            services.registration_feedback(
                actor=actor, registration=reg, rating=rng.choice([4, 5, 5, 3]), comment=comments[i]
            )
    services.activity_transition(
        actor=actor, activity=past, to_status="held", expected_version=past.version, now=after
    )
    # A summer child-care class for workers' children aged 6 to 12, open now.
    summer = open_(
        make(
            "childcare_class",
            "职工子女暑期爱心托管班",
            20,
            hours=8,
            places=30,
            audience="children",
            child_age_min=6,
            child_age_max=12,
            description="工作日 8:30–17:30，含午餐、作业辅导、安全教育。",
        )
    )
    start_day = timezone.localdate(summer.starts_at)
    for child in (
        FamilyMember.objects.filter(
            relation=Relation.CHILD,
            birth_date__lte=start_day.replace(year=start_day.year - 6),
            birth_date__gt=start_day.replace(year=start_day.year - 13),
        )
        .filter(region_range_q("worker__current_region", region[:4]))
        .order_by("id")[:10]
    ):
        services.registration_create(
            actor=actor, activity=summer, worker_id=child.worker_id, family_member_id=child.pk
        )
        registrations += 1
    # A family day with 5 places and a waiting list: 7 registrations, 2 waiting.
    family = open_(make("family_day", "中秋游园家庭日", 12, places=5))
    for worker in local[:7]:
        services.registration_create(actor=actor, activity=family, worker_id=worker.pk)
        registrations += 1
    make("cultural_event", "外来务工人员文艺汇演", 40, places=200)
    return {"activities": 4, "activity_registrations": registrations}
