"""Demo data for recognition: last year's national May Day medal round, decided (nominations
from demo workers and people outside the registry, a public notice with one objection), and
this year's provincial round open for nominations. Idempotent: does nothing if any round exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor, region_prefix
from gongyou.regions.selectors import region_range_q
from gongyou.workers.models import Worker

from . import services
from .enums import NominationStatus
from .models import AwardRound

S = NominationStatus
UNITS = [
    "中建三局第一建设工程有限责任公司",
    "比亚迪股份有限公司",
    "顺丰速运有限公司",
    "美团配送站点",
    "富士康科技集团",
]
POSITIONS = ["钢筋工", "电焊工", "快递员", "外卖骑手", "数控车工", "电工"]
DEEDS = [
    "扎根一线十余年，带徒二十余人，在省职业技能大赛中获一等奖。",
    "主动承担急难险重任务，提出技术革新建议十二项，为企业节约成本三百余万元。",
    "风雨无阻服务社区群众，获评市级优秀快递员，多次拾金不昧。",
]
OUTSIDERS = ["陈建国", "林晓东", "黄志强", "吴海燕"]


def _actor(org: Organisation) -> Actor:
    return Actor(
        user=None,
        roles=frozenset({Role.ORG_ADMIN}),
        region_prefix=region_prefix(org.region_id),
        station_id=None,
        organisation_id=org.pk,
    )


def demo_populate(*, seed: int = 7) -> dict[str, int]:
    if AwardRound.objects.exists():
        return {}
    national = Organisation.objects.filter(
        kind=OrganisationKind.NATIONAL_FEDERATION, region__isnull=True
    ).first()
    provinces = list(
        Organisation.objects.filter(kind=OrganisationKind.PROVINCIAL_FEDERATION, is_active=True)
        .exclude(region__isnull=True)
        .order_by("region_id")
    )
    if national is None or not provinces:
        return {}
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    counts = {"rounds": 0, "nominations": 0, "awarded": 0, "objections": 0}
    with transaction.atomic():
        _past_round(national, provinces[:4], rng, counts)
        with_cities = [
            p
            for p in provinces
            if Organisation.objects.filter(
                kind=OrganisationKind.CITY_FEDERATION, parent=p, is_active=True
            ).exists()
        ]
        _open_round((with_cities or provinces)[0], rng, counts)
    return counts


def _pick_workers(prefix: str, n: int, rng: random.Random) -> list[Worker]:
    ids = list(
        Worker.objects.filter(region_range_q("current_region_id", prefix), merged_into__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:200]
    )
    chosen = rng.sample(ids, min(n, len(ids)))
    return list(Worker.objects.filter(pk__in=chosen))


def _past_round(
    national: Organisation, provinces: list[Organisation], rng: random.Random, counts: dict
) -> None:
    year = timezone.localdate().year - 1
    organiser = _actor(national)
    award_round = services.round_create(
        actor=organiser,
        data={
            "award_type": "national_may_day_medal",
            "year": year,
            "title": f"{year}年全国五一劳动奖章",
            "nominations_close_on": dt.date(year, 3, 15),
            "notice_starts_on": dt.date(year, 4, 1),
            "notice_ends_on": dt.date(year, 4, 7),
        },
    )
    counts["rounds"] += 1
    before_close, in_notice, after = dt.date(year, 3, 1), dt.date(year, 4, 2), dt.date(year, 4, 8)
    for province in provinces:
        services.round_set_quota(
            actor=organiser, award_round=award_round, organisation_id=province.pk, quota=4
        )
        nominator = _actor(province)
        nominees: list[dict] = [
            {"worker_id": w.pk} for w in _pick_workers(region_prefix(province.region_id), 3, rng)
        ]
        nominees.append({"nominee_name": rng.choice(OUTSIDERS), "region": province.region_id})
        for i, who in enumerate(nominees):
            nomination = services.nomination_create(
                actor=nominator,
                award_round=award_round,
                data={
                    **who,
                    "nominee_unit": rng.choice(UNITS),
                    "nominee_position": rng.choice(POSITIONS),
                    "justification": rng.choice(DEEDS),
                },
                today=before_close,
            )
            counts["nominations"] += 1

            def move(target: str, reason: str, today: dt.date = before_close) -> None:
                nonlocal nomination
                nomination = services.nomination_transition(
                    actor=organiser,
                    nomination=nomination,
                    to_status=target,
                    reason=reason,
                    version=nomination.version,
                    today=today,
                )

            move(S.UNDER_REVIEW, "材料齐全，符合推荐条件。")
            if i == 2:
                move(S.REJECTED, "评审委员会投票未达到规定票数。")
                continue
            move(S.RECOMMENDED, "评审委员会表决通过。")
            move(S.IN_NOTICE, "进入公示。", in_notice)
            if i == 1 and province == provinces[0]:
                objection = services.objection_record(
                    actor=organiser,
                    nomination=nomination,
                    content="反映该同志所在项目曾发生安全事故。",
                    received_on=in_notice,
                    today=in_notice,
                )
                services.objection_handle(
                    actor=organiser,
                    nomination=nomination,
                    objection_id=objection.pk,
                    decision="dismissed",
                    note="经核实，事故发生在其调入之前，与本人无关。",
                )
                counts["objections"] += 1
            move(S.AWARDED, "公示期满无异议，予以表彰。", after)
            counts["awarded"] += 1
    award_round.refresh_from_db()
    services.round_conclude(actor=organiser, award_round=award_round, version=award_round.version)


def _open_round(province: Organisation, rng: random.Random, counts: dict) -> None:
    today = timezone.localdate()
    organiser = _actor(province)
    award_round = services.round_create(
        actor=organiser,
        data={
            "award_type": "outstanding_migrant_worker",
            "year": today.year,
            "title": f"{today.year}年优秀农民工",
            "nominations_close_on": today + dt.timedelta(days=30),
        },
    )
    counts["rounds"] += 1
    cities = Organisation.objects.filter(
        kind=OrganisationKind.CITY_FEDERATION, is_active=True, parent=province
    ).order_by("region_id")[:3]
    for city in cities:
        services.round_set_quota(
            actor=organiser, award_round=award_round, organisation_id=city.pk, quota=5
        )
        for worker in _pick_workers(region_prefix(city.region_id), 2, rng):
            services.nomination_create(
                actor=_actor(city),
                award_round=award_round,
                data={
                    "worker_id": worker.pk,
                    "nominee_unit": rng.choice(UNITS),
                    "nominee_position": rng.choice(POSITIONS),
                    "justification": rng.choice(DEEDS),
                },
            )
            counts["nominations"] += 1
