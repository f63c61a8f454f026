"""Choice values as people write them: the code, the English label, the Chinese label, or a
common synonym (初中 → junior_secondary, 五级 → 5, 驿站 → rest_station)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db import models
from django.utils import translation

from gongyou.classifications.enums import (
    CertificateKind,
    EducationLevel,
    EmploymentForm,
    Industry,
    SkillLevel,
)
from gongyou.settlement.enums import ContributionKind, Tenure
from gongyou.stations.enums import ServiceType, StationType

from .cells import label_key
from .enums import HistoryRecord

SYNONYMS: dict[str, dict[str, Any]] = {
    "education": {
        "文盲": "none",
        "未上学": "none",
        "高中": "senior_secondary",
        "普高": "senior_secondary",
        "中专": "secondary_vocational",
        "中职": "secondary_vocational",
        "技校": "secondary_vocational",
        "职高": "secondary_vocational",
        "专科": "junior_college",
        "高职": "junior_college",
        "本科": "bachelor",
        "大学": "bachelor",
        "硕士": "postgraduate",
        "博士": "postgraduate",
    },
    "employment_form": {
        "派遣": "labour_dispatch",
        "个体": "self_employed",
        "灵活": "flexible",
        "无业": "unemployed",
        "待业": "unemployed",
    },
    "industry": {
        "农业": "agriculture",
        "建筑": "construction",
        "制造": "manufacturing",
        "批发零售": "wholesale_retail",
        "交通运输": "transport",
        "住宿餐饮": "accommodation_catering",
        "居民服务": "resident_services",
        "其他": "other",
    },
    "level": {
        "五级": 5,
        "初级工": 5,
        "初级": 5,
        "四级": 4,
        "中级工": 4,
        "中级": 4,
        "三级": 3,
        "高级工": 3,
        "二级": 2,
        "技师": 2,
        "一级": 1,
        "高级技师": 1,
    },
    "cert_kind": {
        "技能等级证书": "skill_level",
        "等级证书": "skill_level",
        "特种作业操作证": "access_licence",
        "准入类": "access_licence",
    },
    "type": {
        "驿站": "rest_station",
        "工会驿站": "rest_station",
        "户外劳动者服务站": "rest_station",
        "服务站": "service_station",
        "法律援助": "legal_aid_point",
        "就业服务": "employment_point",
    },
    "service": {
        "充电": "phone_charging",
        "喝水": "drinking_water",
        "饮用水": "drinking_water",
        "厕所": "toilet",
        "药品": "first_aid",
        "急救": "first_aid",
        "心理咨询": "psychological_support",
    },
    "record": {
        "社保": "contribution",
        "社会保险": "contribution",
        "参保": "contribution",
        "缴费": "contribution",
        "社保缴费": "contribution",
        "参保缴费": "contribution",
        "缴纳": "contribution",
        "insurance": "contribution",
        "social_insurance": "contribution",
        "居住": "residence",
        "居住记录": "residence",
        "居住情况": "residence",
        "住所": "residence",
    },
    "insurance": {
        "养老": "pension",
        "职工养老": "pension",
        "医疗": "medical",
        "医保": "medical",
        "职工医保": "medical",
        "失业": "unemployment",
        "工伤": "work_injury",
        "work injury": "work_injury",
        "生育": "maternity",
        "公积金": "housing_fund",
        "住房公积金": "housing_fund",
    },
    "tenure": {
        "自有": "owned",
        "自购": "owned",
        "自购房": "owned",
        "购房": "owned",
        "产权房": "owned",
        "自有房": "owned",
        "租赁": "rented",
        "租房": "rented",
        "租住": "rented",
        "rent": "rented",
        "宿舍": "dormitory",
        "集体宿舍": "dormitory",
        "员工宿舍": "dormitory",
        "dorm": "dormitory",
        "借住": "other",
        "其他": "other",
    },
}
ENUMS: dict[str, type[models.Choices]] = {
    "education": EducationLevel,
    "employment_form": EmploymentForm,
    "industry": Industry,
    "level": SkillLevel,
    "cert_kind": CertificateKind,
    "type": StationType,
    "service": ServiceType,
    "record": HistoryRecord,
    "insurance": ContributionKind,
    "tenure": Tenure,
}


@lru_cache(maxsize=16)
def _table(field: str) -> dict[str, Any]:
    enum = ENUMS[field]
    table: dict[str, Any] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in zip(enum.values, enum.labels, strict=True):
                table[label_key(label)] = value
                for part in str(label).replace("（", "/").replace("(", "/").split("/"):
                    table.setdefault(label_key(part.strip(" )）")), value)
    for value in enum.values:
        table[label_key(value)] = value
    for word, value in SYNONYMS.get(field, {}).items():
        table.setdefault(label_key(word), value)
    return table


def choice(field: str, value: Any) -> Any:
    """The code for `value`, or the text unchanged so the service names it as not allowed."""
    if isinstance(value, str):
        return _choice_of_text(field, value)  # a file repeats a handful of words a million times
    return _choice(field, value)


@lru_cache(maxsize=4096)
def _choice_of_text(field: str, value: str) -> Any:
    return _choice(field, value)


def _choice(field: str, value: Any) -> Any:
    key = label_key(value)
    if key.endswith(".0"):
        key = key[:-2]
    found = _table(field).get(key)
    if found is None and field == "level" and key.isdigit():
        return int(key)
    return found if found is not None else str(value).strip()
