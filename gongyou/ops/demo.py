"""A synthetic but realistic population for demos and load tests.

Calibrated to the NBS 2023 Migrant Worker Monitoring Survey (domain facts §4.1): sex, age bands,
education, industry, local vs outbound, cross-province share by origin region, origin and
destination regions. Every ID number is valid (GB 11643 check character, real birth date,
hukou county from the 2023 code table) and unique; phones are in assigned mobile ranges.

Bulk rows bypass the ORM (COPY on PostgreSQL, executemany on SQLite; see perf notes) but go
through the same encryption, hashing and masking as the registry's services.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.models import Organisation
from gongyou.core import crypto
from gongyou.core.audit import audit_record
from gongyou.core.bulk import insert_rows as _insert_rows
from gongyou.regions.models import Region
from gongyou.regions.selectors import region_label
from gongyou.stations.enums import DEFAULT_SERVICES, ServiceType, StationType
from gongyou.workers.identity import check_character, mask_national_id, mask_phone
from gongyou.workers.services import WORKER_BULK_COLUMNS, migration_scope_for

EAST = ["11", "12", "13", "31", "32", "33", "35", "37", "44", "46"]
CENTRAL = ["14", "34", "36", "41", "42", "43"]
WEST = ["15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]
NORTHEAST = ["21", "22", "23"]
GROUPS = {"east": EAST, "central": CENTRAL, "west": WEST, "northeast": NORTHEAST}
# Origin (输出地) 2023: East 104.84 m, Central 99.04 m, West 83.67 m, Northeast 9.98 m.
ORIGIN_WEIGHTS = {"east": 104.84, "central": 99.04, "west": 83.67, "northeast": 9.98}
# Destination (输入地) 2023: East 152.77 m, Central 69.82 m, West 65.52 m, Northeast 8.72 m.
DEST_WEIGHTS = {"east": 152.77, "central": 69.82, "west": 65.52, "northeast": 8.72}
# Cross-province share of outbound workers, by origin region (2023).
CROSS_SHARE = {"east": 0.138, "central": 0.517, "west": 0.445, "northeast": 0.309}
OUTBOUND_SHARE = 176.58 / 297.53  # outbound share of all migrant workers, 2023
MALE_SHARE = 0.627
# Age bands 2023: ≤40 44.6 %, 41–50 24.8 %, >50 30.6 % (working ages 16–65 assumed within bands).
AGE_BANDS = [((16, 40), 0.446), ((41, 50), 0.248), ((51, 65), 0.306)]
EDUCATION = [
    ("none", 0.008),
    ("primary", 0.138),
    ("junior_secondary", 0.521),
    ("senior_secondary", 0.175),
    ("junior_college", 0.118),
    ("bachelor", 0.038),
    ("postgraduate", 0.002),
]
# Industry 2023: manufacturing 27.5, construction 15.4, wholesale/retail 13.2, transport 7.1,
# accommodation/catering 6.7, resident services 12.7, primary ≈0.7, the rest other sectors.
INDUSTRY = [
    ("manufacturing", 27.5),
    ("construction", 15.4),
    ("wholesale_retail", 13.2),
    ("transport", 7.1),
    ("accommodation_catering", 6.7),
    ("resident_services", 12.7),
    ("agriculture", 0.7),
    ("mining_utilities", 2.0),
    ("other", 14.7),
]
OCCUPATIONS_BY_INDUSTRY = {
    "manufacturing": [
        "6-18-02-04",
        "6-18-01-01",
        "6-18-01-07",
        "6-20-01-01",
        "6-25-04-07",
        "6-05-01-03",
        "6-31-05-00",
        "6-31-01-03",
    ],
    "construction": [
        "6-29-01-01",
        "6-29-01-03",
        "6-29-01-04",
        "6-29-01-05",
        "6-29-04-01",
        "6-29-03-02",
        "6-30-05-01",
        "6-29-03-04",
    ],
    "wholesale_retail": ["4-01-02-03", "4-01-02-04", "4-01-06-02", "4-02-06-02"],
    "transport": [
        "4-02-07-08",
        "4-10-08-01",
        "4-02-02-02",
        "4-02-06-01",
        "4-02-05-01",
        "4-02-02-01",
    ],
    "accommodation_catering": ["4-03-02-01", "4-03-02-05", "4-03-02-02"],
    "resident_services": [
        "4-10-01-06",
        "4-10-01-05",
        "4-10-03-02",
        "4-09-08-01",
        "4-12-01-01",
        "4-10-08-02",
    ],
    "agriculture": ["5-01-02-01", "4-09-10-01"],
    "mining_utilities": ["6-31-01-03", "6-31-01-02"],
    "other": ["4-07-05-01", "4-09-08-01", "4-10-08-02"],
}
EMPLOYMENT = [
    ("labour_contract", 45),
    ("labour_dispatch", 8),
    ("new_form_employment", 3),
    ("new_form_managed", 6),
    ("new_form_independent", 6),
    ("self_employed", 14),
    ("flexible", 15),
    ("unemployed", 3),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_M = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林峰建国志文春生海东亮成"
GIVEN_F = "芳娜敏静丽艳娟霞燕玲桂英秀兰红梅琳洁雪慧婷倩萍莉颖玉凤云洁丹晶佳欣"
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
STATION_TYPES = [
    (StationType.REST_STATION, 80),
    (StationType.SERVICE_STATION, 12),
    (StationType.LEGAL_AID_POINT, 4),
    (StationType.EMPLOYMENT_POINT, 4),
]
SIZE_WEIGHT = {"super_large": 12.0, "very_large": 6.0}
WORKER_COLUMNS = WORKER_BULK_COLUMNS  # one column order for every bulk writer of workers


def _weighted(pairs: Sequence[tuple[Any, float]]) -> Callable[[random.Random], Any]:
    values = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)

    def pick(rng: random.Random) -> Any:
        return rng.choices(values, cum_weights=cum, k=1)[0]

    return pick


@dataclass
class Geography:
    counties_by_province: dict[str, list[str]]
    dest_counties_by_province: dict[str, list[tuple[str, float]]]
    coords: dict[str, tuple[float, float]]

    @classmethod
    def load(cls) -> Geography:
        counties: dict[str, list[str]] = {}
        coords: dict[str, tuple[float, float]] = {}
        city_size: dict[str, str] = {}
        rows = list(
            Region.objects.values_list(
                "code", "level", "parent_id", "size_class", "latitude", "longitude"
            )
        )
        for code, level, _parent, size_class, lat, lng in rows:
            if level == "city":
                city_size[code] = size_class
            if lat is not None and lng is not None:
                coords[code] = (lat, lng)
        children: dict[str, int] = {}
        for _code, level, parent, *_rest in rows:
            if level == "county" and parent:
                children[parent] = children.get(parent, 0) + 1
        for code, level, _parent, *_rest in rows:
            # A county, or a prefecture-level city without counties (东莞, 中山, 儋州).
            if level == "county" or (level == "city" and not children.get(code)):
                counties.setdefault(code[:2], []).append(code)
        dest: dict[str, list[tuple[str, float]]] = {}
        for province, codes in counties.items():
            dest[province] = [
                (c, SIZE_WEIGHT.get(city_size.get(c[:4] + "00", ""), 1.0)) for c in codes
            ]
        return cls(counties_by_province=counties, dest_counties_by_province=dest, coords=coords)


class PopulationGenerator:
    def __init__(self, *, seed: int, geography: Geography, today: dt.date | None = None) -> None:
        self.rng = random.Random(seed)
        self.geo = geography
        self.today = today or timezone.localdate()
        self.seen_ids: set[str] = set()
        self.pick_origin_group = _weighted(list(ORIGIN_WEIGHTS.items()))
        self.pick_dest_group = _weighted(list(DEST_WEIGHTS.items()))
        self.pick_age_band = _weighted(AGE_BANDS)
        self.pick_education = _weighted(EDUCATION)
        self.pick_industry = _weighted(INDUSTRY)
        self.pick_employment = _weighted(EMPLOYMENT)
        self.dest_pickers = {
            p: _weighted(c) for p, c in geography.dest_counties_by_province.items()
        }

    def _province(self, group: str) -> str:
        provinces = [p for p in GROUPS[group] if p in self.geo.counties_by_province]
        return self.rng.choice(provinces)

    def person(self) -> dict[str, Any]:
        rng = self.rng
        group = self.pick_origin_group(rng)
        origin = self._province(group)
        hukou = rng.choice(self.geo.counties_by_province[origin])
        if rng.random() >= OUTBOUND_SHARE:
            current = hukou
        elif rng.random() < CROSS_SHARE[group]:
            dest_group = self.pick_dest_group(rng)
            dest = self._province(dest_group)
            while dest == origin:
                dest = self._province(self.pick_dest_group(rng))
            current = self.dest_pickers[dest](rng)
        else:
            current = self.dest_pickers[origin](rng)
            if current == hukou and len(self.geo.counties_by_province[origin]) > 1:
                current = rng.choice(
                    [c for c in self.geo.counties_by_province[origin] if c != hukou][:50]
                )
        sex = "M" if rng.random() < MALE_SHARE else "F"
        low, high = self.pick_age_band(rng)
        age = rng.randint(low, high)
        birth = self.today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        while True:
            seq = rng.randint(0, 499) * 2 + (1 if sex == "M" else 0)
            body = f"{hukou}{birth:%Y%m%d}{seq:03d}"
            number = body + check_character(body)
            if number not in self.seen_ids:
                self.seen_ids.add(number)
                break
            birth -= dt.timedelta(days=1)
        given = GIVEN_M if sex == "M" else GIVEN_F
        name = rng.choice(SURNAMES) + "".join(
            rng.choice(given) for _ in range(rng.choice((1, 2, 2)))
        )
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        industry = self.pick_industry(rng)
        union = rng.random() < 0.35
        return {
            "national_id": number,
            "name": name,
            "sex": sex,
            "birth_date": birth,
            "phone": phone,
            "hukou_region": hukou,
            "current_region": current,
            "education": self.pick_education(rng),
            "industry": industry,
            "employment_form": self.pick_employment(rng),
            "occupation": rng.choice(OCCUPATIONS_BY_INDUSTRY[industry]),
            "union_member": union,
            "union_joined_on": (self.today - dt.timedelta(days=rng.randint(30, 3000)))
            if union
            else None,
        }


def worker_row(
    p: dict[str, Any],
    *,
    user_id: int | None,
    org_id: int | None,
    now: dt.datetime,
    occupations: set[str],
) -> tuple[Any, ...]:
    number, phone = p["national_id"], p["phone"]
    return (
        crypto.encrypt(number, context="national_id"),
        crypto.blind_index(number, context="national_id"),
        mask_national_id(number),
        p["name"],
        p["sex"],
        p["birth_date"],
        crypto.encrypt(phone, context="phone"),
        crypto.blind_index(phone, context="phone"),
        mask_phone(phone),
        p["hukou_region"],
        p["current_region"],
        "",
        migration_scope_for(hukou_region=p["hukou_region"], current_region=p["current_region"]),
        p["education"],
        p["employment_form"],
        p["industry"],
        p["occupation"] if p["occupation"] in occupations else None,
        p["union_member"],
        p["union_joined_on"],
        user_id,
        org_id,
        now,
        now,
    )


def _chunks(n: int, size: int) -> Iterator[int]:
    while n > 0:
        yield min(size, n)
        n -= size


def generate_workers(
    *,
    count: int,
    seed: int,
    actor_user: Any,
    org: Organisation | None,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    from gongyou.classifications.selectors import occupation_names
    from gongyou.workers.models import Worker

    geo = Geography.load()
    gen = PopulationGenerator(seed=seed, geography=geo)
    existing = Worker.objects.count()
    # Skip numbers already registered (a demo on top of existing data).
    known_hashes = (
        set(Worker.objects.values_list("national_id_hash", flat=True).iterator(chunk_size=20000))
        if existing
        else set()
    )
    occupations = set(occupation_names())
    table = Worker._meta.db_table
    audit_cols = [
        "at",
        "actor_id",
        "actor_label",
        "organisation_id",
        "action",
        "entity_type",
        "entity_id",
        "worker_id",
        "region_code",
        "summary",
        "purpose",
    ]
    done = 0
    for size in _chunks(count, batch):
        now = timezone.now()
        people = [gen.person() for _ in range(size)]
        rows = [
            worker_row(
                p,
                user_id=getattr(actor_user, "pk", None),
                org_id=getattr(org, "pk", None),
                now=now,
                occupations=occupations,
            )
            for p in people
        ]
        rows = [r for r in rows if r[1] not in known_hashes]
        with transaction.atomic():
            _insert_rows(table, WORKER_COLUMNS, rows)
            hashes = [r[1] for r in rows]
            ids = dict(
                Worker.objects.filter(national_id_hash__in=hashes).values_list(
                    "national_id_hash", "id"
                )
            )
            label = getattr(actor_user, "username", "system")
            with translation.override(settings.LANGUAGE_CODE):
                registered = gettext("Registered %(name)s in %(region)s")
            _insert_rows(
                "core_auditevent",
                audit_cols,
                [
                    (
                        now,
                        getattr(actor_user, "pk", None),
                        label,
                        getattr(org, "pk", None),
                        "worker.register",
                        "workers.worker",
                        str(ids[r[1]]),
                        ids[r[1]],
                        r[10],
                        registered % {"name": r[3], "region": region_label(r[10])},
                        "",
                    )
                    for r in rows
                ],
            )
            _insert_certificates(
                gen.rng, rows, ids, now=now, actor_user=actor_user, org=org, audit_cols=audit_cols
            )
        done += len(rows)
        if progress:
            progress(size)
    return done


CERTIFICATE_SHARE = 0.15  # demo: share of workers holding a skill-level certificate
LEVELS = [(5, 35), (4, 35), (3, 20), (2, 8), (1, 2)]
CERTIFICATE_COLUMNS = [
    "worker_id",
    "kind",
    "occupation_id",
    "level",
    "certificate_no",
    "issuing_organisation",
    "issued_on",
    "expires_on",
    "created_at",
    "updated_at",
]
DEMO_ISSUER = "职业技能等级认定评价机构（演示）"


def _insert_certificates(
    rng: random.Random,
    rows: list[tuple[Any, ...]],
    ids: dict[str, int],
    *,
    now: dt.datetime,
    actor_user: Any,
    org: Organisation | None,
    audit_cols: list[str],
) -> None:
    """Skill-level certificates for some demo workers, in their own occupation, audited like real ones."""
    from gongyou.classifications.selectors import occupation_names
    from gongyou.workers.models import SkillCertificate

    pick_level = _weighted(LEVELS)
    today = timezone.localdate()
    certs: list[tuple[Any, ...]] = []
    regions: dict[int, str] = {}
    for r in rows:
        occupation, birth = r[16], r[5]
        if occupation is None or rng.random() >= CERTIFICATE_SHARE:
            continue
        earliest = max(birth + dt.timedelta(days=365 * 18), today - dt.timedelta(days=365 * 10))
        if earliest >= today:
            continue
        issued = earliest + dt.timedelta(days=rng.randint(0, (today - earliest).days))
        worker_id = ids[r[1]]
        number = f"Y{issued:%Y}{worker_id:010d}"
        certs.append(
            (
                worker_id,
                "skill_level",
                occupation,
                pick_level(rng),
                number,
                DEMO_ISSUER,
                issued,
                None,
                now,
                now,
            )
        )
        regions[worker_id] = r[10]
    if not certs:
        return
    _insert_rows(SkillCertificate._meta.db_table, CERTIFICATE_COLUMNS, certs)
    cert_ids = dict(
        SkillCertificate.objects.filter(
            issuing_organisation=DEMO_ISSUER, certificate_no__in=[c[4] for c in certs]
        ).values_list("certificate_no", "id")
    )
    with translation.override(settings.LANGUAGE_CODE):
        summary = gettext("Certificate %(no)s: %(occ)s level %(level)s")
    names = occupation_names()
    actor_id, label, org_id = (
        getattr(actor_user, "pk", None),
        getattr(actor_user, "username", "system"),
        getattr(org, "pk", None),
    )
    _insert_rows(
        "core_auditevent",
        audit_cols,
        [
            (
                now,
                actor_id,
                label,
                org_id,
                "certificate.add",
                "workers.skillcertificate",
                str(cert_ids[c[4]]),
                c[0],
                regions[c[0]],
                summary % {"no": c[4], "occ": names.get(c[2], c[2]), "level": c[3]},
                "",
            )
            for c in certs
        ],
    )


def ensure_federations(
    *, actor: Any, provinces: set[str], cities: set[str]
) -> dict[str, Organisation]:
    """National, provincial and city federations for the regions used (created once)."""
    from gongyou.accounts.services import organisation_create

    names = dict(
        Region.objects.filter(code__in={p + "0000" for p in provinces} | cities).values_list(
            "code", "name"
        )
    )
    national = Organisation.objects.filter(
        kind=OrganisationKind.NATIONAL_FEDERATION, parent=None
    ).first()
    if national is None:
        national = organisation_create(
            actor=None, name="中华全国总工会", kind=OrganisationKind.NATIONAL_FEDERATION
        )
    orgs: dict[str, Organisation] = {"": national}
    for province in sorted(provinces):
        code = province + "0000"
        org = Organisation.objects.filter(
            region_id=code, kind=OrganisationKind.PROVINCIAL_FEDERATION
        ).first()
        orgs[code] = org or organisation_create(
            actor=None,
            name=f"{names[code]}总工会",
            kind=OrganisationKind.PROVINCIAL_FEDERATION,
            region_code=code,
            parent=national,
        )
    for city in sorted(cities):
        org = Organisation.objects.filter(
            region_id=city, kind=OrganisationKind.CITY_FEDERATION
        ).first()
        if org is None:
            parent = orgs[city[:2] + "0000"]
            city_name = names.get(city, city)
            if city_name == names.get(city[:2] + "0000"):
                city_name = city_name + "（市级）"
            org = organisation_create(
                actor=None,
                name=f"{city_name}总工会",
                kind=OrganisationKind.CITY_FEDERATION,
                region_code=city,
                parent=parent,
            )
        orgs[city] = org
    return orgs


STATION_WORDS: dict[str, str] = {
    StationType.REST_STATION: "工会驿站",
    StationType.SERVICE_STATION: "农民工服务站",
    StationType.LEGAL_AID_POINT: "法律援助工作站",
    StationType.EMPLOYMENT_POINT: "就业服务点",
}
STREETS = [
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "和平路",
    "新华路",
    "工业园",
    "科技园",
    "物流园",
    "长江路",
    "黄河路",
    "迎宾大道",
]


def generate_stations(
    *, count: int, seed: int, progress: Callable[[int], None] | None = None
) -> list[int]:
    from gongyou.stations.models import Station

    rng = random.Random(seed + 1)
    geo = Geography.load()
    pick_group = _weighted(list(DEST_WEIGHTS.items()))
    pick_type = _weighted(STATION_TYPES)
    plan: list[tuple[str, str]] = []
    for _ in range(count):
        group = pick_group(rng)
        province = rng.choice([p for p in GROUPS[group] if p in geo.counties_by_province])
        county = _weighted(geo.dest_counties_by_province[province])(rng)
        plan.append((county, pick_type(rng)))
    orgs = ensure_federations(
        actor=None, provinces={c[:2] for c, _ in plan}, cities={c[:4] + "00" for c, _ in plan}
    )
    names = dict(Region.objects.filter(code__in={c for c, _ in plan}).values_list("code", "name"))
    existing = set(Station.objects.values_list("code", flat=True))
    seq: dict[str, int] = {}
    stations = []
    now = timezone.now()
    for county, kind in plan:
        seq[county] = seq.get(county, 0) + 1
        code = f"ST{county}-{seq[county]:04d}"
        while code in existing:
            seq[county] += 1
            code = f"ST{county}-{seq[county]:04d}"
        existing.add(code)
        lat, lng = geo.coords.get(county, (30.0, 114.0))
        street = rng.choice(STREETS)
        open_24h = kind == StationType.REST_STATION and rng.random() < 0.07
        stations.append(
            Station(
                code=code,
                name=f"{names.get(county, county)}{street}{STATION_WORDS[kind]}",
                type=kind,
                organisation=orgs.get(county[:4] + "00") or orgs[county[:2] + "0000"],
                region_id=county,
                address=f"{names.get(county, '')}{street}{rng.randint(1, 999)}号",
                latitude=round(lat + rng.uniform(-0.06, 0.06), 6),
                longitude=round(lng + rng.uniform(-0.06, 0.06), 6),
                opening_hours="全天24小时"
                if open_24h
                else rng.choice(
                    ["周一至周日 08:00-20:00", "周一至周五 09:00-18:00", "周一至周六 08:30-21:00"]
                ),
                open_24h=open_24h,
                services=[str(s) for s in DEFAULT_SERVICES[kind]],
                created_at=now,
                updated_at=now,
            )
        )
    created = Station.objects.bulk_create(stations, batch_size=1000)
    audit_record(
        actor=None,
        action="demo.stations",
        entity_type="stations.station",
        entity_id="*",
        after={"count": len(created)},
        summary=f"Demo data: {len(created)} stations",
    )
    if progress:
        progress(len(created))
    return [s.pk for s in created]


def generate_visits(
    *, count: int, seed: int, days: int = 30, progress: Callable[[int], None] | None = None
) -> int:
    from gongyou.stations.models import Station, Visit
    from gongyou.workers.models import Worker

    rng = random.Random(seed + 2)
    stations = list(Station.objects.values_list("id", "region_id", "services"))
    if not stations:
        return 0
    worker_ids_by_county: dict[str, list[int]] = {}
    for wid, region in Worker.objects.values_list("id", "current_region_id")[:200_000]:
        worker_ids_by_county.setdefault(region, []).append(wid)
    now = timezone.now()
    cols = [
        "station_id",
        "at",
        "service",
        "worker_id",
        "staff_id",
        "note",
        "idempotency_key",
        "created_at",
    ]
    done = 0
    for size in _chunks(count, 5000):
        rows = []
        for _ in range(size):
            sid, region, services = rng.choice(stations)
            services = services if isinstance(services, list) else json.loads(services or "[]")
            service = rng.choice(services or [ServiceType.REST.value])
            local = worker_ids_by_county.get(region)
            worker = rng.choice(local) if local and rng.random() < 0.4 else None
            at = now - dt.timedelta(days=rng.random() * days)
            rows.append((sid, at, service, worker, None, "", None, at))
        with transaction.atomic():
            _insert_rows(Visit._meta.db_table, cols, rows)
        done += len(rows)
        if progress:
            progress(len(rows))
    audit_record(
        actor=None,
        action="demo.visits",
        entity_type="stations.visit",
        entity_id="*",
        after={"count": done},
        summary=f"Demo data: {done} visits",
    )
    return done


def ensure_demo_users(*, password: str) -> list[tuple[str, str]]:
    """A few users per role in Shenzhen, Guangdong and Beijing, for trying the scoping."""
    from gongyou.accounts.models import User
    from gongyou.accounts.services import user_create
    from gongyou.stations.models import Station

    created: list[tuple[str, str]] = []
    orgs = ensure_federations(actor=None, provinces={"44", "11"}, cities={"440300", "110100"})
    station = (
        Station.objects.filter(region__code__startswith="4403").order_by("id").first()
        or Station.objects.order_by("id").first()
    )
    specs: list[tuple[str, Organisation, list[Role], Any, str]] = [
        ("gd_admin", orgs["440000"], [Role.ORG_ADMIN], None, "广东省总工会 管理员"),
        ("sz_case", orgs["440300"], [Role.CASE_HANDLER], None, "深圳 案件经办"),
        ("sz_jobs", orgs["440300"], [Role.EMPLOYMENT_OFFICER], None, "深圳 就业专员"),
        ("sz_programme", orgs["440300"], [Role.PROGRAMME_OFFICER], None, "深圳 项目专员"),
        ("bj_analyst", orgs["110000"], [Role.ANALYST], None, "北京 分析员"),
    ]
    if station is not None:
        specs.append(
            ("desk", station.organisation, [Role.STATION_STAFF], station, f"{station.name} 前台")
        )
    for username, org, roles, st, display in specs:
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=None,
                username=username,
                password=password,
                organisation=org,
                roles=[str(r) for r in roles],
                station=st,
                display_name=display,
            )
            created.append((username, ",".join(roles)))
    return created
