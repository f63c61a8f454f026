"""Demo data for public services: family members (spouse, school-age children) for a sample of
demo workers, and a few referrals with outcomes, made through the services so every write is
validated and audited. The catalogue itself is seeded by migration. Idempotent: does nothing if
any family member exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from gongyou.accounts.enums import Role
from gongyou.accounts.models import User
from gongyou.accounts.policies import actor_for
from gongyou.workers.models import Worker

from . import selectors, services
from .enums import Availability, Relation, SchoolStage
from .models import FamilyMember, PublicService

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
    if FamilyMember.objects.exists():
        return {}
    admin = next(
        (
            u
            for u in User.objects.filter(is_active=True).order_by("id")
            if Role.SYSTEM_ADMIN in (u.roles or [])
        ),
        None,
    )
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
