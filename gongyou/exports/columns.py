"""The columns of each export kind: stable English key, Chinese and English header, source.

This table is the documented mapping between the header row (in the user's language) and the
stable keys (docs/domains/exports.md is generated from it and a test keeps them equal). Parquet
always uses the keys as column names; CSV and xlsx use the labels unless the job asks for keys.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from django.db import models

from gongyou.cases.enums import CaseStatus, CaseType, Channel, PlatformIssue, Resolution
from gongyou.classifications.enums import EducationLevel, EmploymentForm, Industry, Sex
from gongyou.stations.enums import ServiceType, StationType
from gongyou.workers.enums import MigrationScope

from .enums import ExportKind


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    source: str  # a `values_list` path on the kind's selector queryset
    type: str = "str"  # str | int | float | bool | date | datetime | choice | choices | region
    choices: builtins.type[models.TextChoices] | None = None
    # Personal data: `source` holds the stored mask; a revealed export reads `reveal_source`
    # (the ciphertext) and decrypts it with the field name as context.
    reveal: str = ""
    reveal_source: str = ""

    def label(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


WORKER_COLUMNS = (
    Column("id", "编号", "Record id", "id", "int"),
    Column("name", "姓名", "Name", "name"),
    Column(
        "national_id",
        "身份证号",
        "ID number",
        "national_id_masked",
        reveal="national_id",
        reveal_source="national_id_enc",
    ),
    Column("sex", "性别", "Sex", "sex", "choice", Sex),
    Column("birth_date", "出生日期", "Birth date", "birth_date", "date"),
    Column("phone", "手机号", "Mobile", "phone_masked", reveal="phone", reveal_source="phone_enc"),
    Column("hukou_region_code", "户籍地代码", "Hukou region code", "hukou_region_id"),
    Column("hukou_region", "户籍地", "Hukou region", "hukou_region_id", "region"),
    Column("current_region_code", "现居地代码", "Current region code", "current_region_id"),
    Column("current_region", "现居地", "Current region", "current_region_id", "region"),
    Column("current_address", "现住址", "Current address", "current_address"),
    Column("migration_scope", "流动范围", "Migration", "migration_scope", "choice", MigrationScope),
    Column("education", "文化程度", "Education", "education", "choice", EducationLevel),
    Column(
        "employment_form",
        "就业形式",
        "Employment form",
        "employment_form",
        "choice",
        EmploymentForm,
    ),
    Column("industry", "行业", "Industry", "industry", "choice", Industry),
    Column("occupation_code", "职业代码", "Occupation code", "occupation_id"),
    Column("union_member", "工会会员", "Trade-union member", "union_member", "bool"),
    Column("union_joined_on", "入会日期", "Joined the union on", "union_joined_on", "date"),
    Column("registered_at", "登记时间", "Registered at", "created_at", "datetime"),
)

STATION_COLUMNS = (
    Column("id", "编号", "Record id", "id", "int"),
    Column("code", "站点代码", "Station code", "code"),
    Column("name", "站点名称", "Station name", "name"),
    Column("type", "类型", "Type", "type", "choice", StationType),
    Column("organisation", "所属组织", "Organisation", "organisation__name"),
    Column("region_code", "地区代码", "Region code", "region_id"),
    Column("region", "地区", "Region", "region_id", "region"),
    Column("address", "地址", "Address", "address"),
    Column("latitude", "纬度", "Latitude", "latitude", "float"),
    Column("longitude", "经度", "Longitude", "longitude", "float"),
    Column("opening_hours", "开放时间", "Opening hours", "opening_hours"),
    Column("open_24h", "24小时开放", "Open 24 hours", "open_24h", "bool"),
    Column("services", "服务项目", "Services", "services", "choices", ServiceType),
    Column("phone", "站点电话", "Station telephone", "phone"),
    Column("active", "在用", "Active", "is_active", "bool"),
)

VISIT_COLUMNS = (
    Column("id", "编号", "Record id", "id", "int"),
    Column("at", "服务时间", "Time", "at", "datetime"),
    Column("station_code", "站点代码", "Station code", "station__code"),
    Column("station_name", "站点名称", "Station name", "station__name"),
    Column("region_code", "地区代码", "Region code", "station__region_id"),
    Column("region", "地区", "Region", "station__region_id", "region"),
    Column("service", "服务项目", "Service", "service", "choice", ServiceType),
    Column("worker_id", "职工编号", "Worker id", "worker_id", "int"),
    Column("worker_name", "职工姓名", "Worker name", "worker__name"),
    Column(
        "worker_national_id",
        "职工身份证号",
        "Worker ID number",
        "worker__national_id_masked",
        reveal="national_id",
        reveal_source="worker__national_id_enc",
    ),
    Column("staff", "登记人", "Logged by", "staff__username"),
    Column("note", "备注", "Note", "note"),
)

CASE_COLUMNS = (
    Column("id", "编号", "Record id", "id", "int"),
    Column("reference", "案件编号", "Reference", "reference"),
    Column("type", "案件类型", "Type", "type", "choice", CaseType),
    Column(
        "platform_issue", "平台问题", "Platform issue", "platform_issue", "choice", PlatformIssue
    ),
    Column("channel", "受理渠道", "Channel", "channel", "choice", Channel),
    Column("status", "状态", "Status", "status", "choice", CaseStatus),
    Column("summary", "案情摘要", "Summary", "summary"),
    Column("region_code", "地区代码", "Region code", "region_id"),
    Column("region", "地区", "Region", "region_id", "region"),
    Column("organisation", "承办组织", "Handling organisation", "organisation__name"),
    Column("handler", "承办人", "Handler", "assigned_to__username"),
    Column("referred_to", "转交部门", "Referred to", "referred_to__name"),
    Column("received_at", "受理时间", "Received at", "received_at", "datetime"),
    Column("incident_on", "事故或诊断日期", "Accident or diagnosis date", "incident_on", "date"),
    Column(
        "infringement_known_on",
        "知道权利受侵害日期",
        "Infringement known on",
        "infringement_known_on",
        "date",
    ),
    Column("resolution", "结案方式", "Resolution", "resolution", "choice", Resolution),
    Column("collective", "集体案件", "Collective case", "is_collective", "bool"),
    Column("claimant_count", "申请人数", "Claimants", "claimant_count", "int"),
    Column("first_claimant", "首位申请人", "First claimant", "first_claimant"),
    Column("first_respondent", "首位被申请人", "First respondent", "first_respondent"),
    Column("next_due", "最近期限", "Next deadline", "next_due", "date"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ExportKind.WORKERS: WORKER_COLUMNS,
    ExportKind.STATIONS: STATION_COLUMNS,
    ExportKind.VISITS: VISIT_COLUMNS,
    ExportKind.CASES: CASE_COLUMNS,
}


def revealable_fields(kind: str) -> list[str]:
    """The personal-data fields a revealed export of `kind` decrypts (sorted, unique)."""
    return sorted({c.reveal for c in COLUMNS[kind] if c.reveal})


def mapping_markdown() -> str:
    """The key ↔ header mapping as Markdown tables (embedded in docs/domains/exports.md)."""
    out: list[str] = []
    for kind, columns in COLUMNS.items():
        out.append(f"**{kind}**\n\n| key | 中文 | English | personal data |\n|---|---|---|---|")
        out.extend(f"| `{c.key}` | {c.zh} | {c.en} | {c.reveal or ''} |" for c in columns)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
