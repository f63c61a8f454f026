"""Reading an import file as a stream of rows: CSV (UTF-8, UTF-8 with BOM or GB18030, told apart
automatically) and .xlsx (openpyxl's read-only mode); header names in Chinese or English.

Nothing here holds the whole file: rows are yielded one by one, so memory stays flat whatever
the size.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .enums import ImportKind

csv.field_size_limit(1 << 20)
ENCODINGS = ("utf-8-sig", "gb18030")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format or encoding, no header, missing column)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]  # Chinese first (the template's), then English
    required: bool = False
    help: str = ""


def _c(field: str, *headers: str, required: bool = False, help: str = "") -> Column:
    return Column(field=field, headers=(*headers, field), required=required, help=help)


COLUMNS: dict[str, list[Column]] = {
    ImportKind.WORKERS: [
        _c(
            "national_id",
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "身份证",
            "id_number",
            required=True,
            help="18-character resident ID number (15-digit old numbers are upgraded); format the column as text",
        ),
        _c("name", "姓名", help="required for a new worker"),
        _c(
            "phone",
            "手机号",
            "手机号码",
            "手机",
            "联系电话",
            "mobile",
            help="mainland mobile number; required for a new worker",
        ),
        _c(
            "hukou_region",
            "户籍地",
            "户籍地代码",
            "户籍地区划代码",
            help="6-digit region code of the hukou county; required for a new worker",
        ),
        _c(
            "current_region",
            "现居住地",
            "现居住地代码",
            "现居住地区划代码",
            help="6-digit region code where the worker lives; required for a new worker",
        ),
        _c(
            "current_address",
            "现住址",
            "现居住地址",
            "address",
            help="free text, at most 200 characters",
        ),
        _c("education", "文化程度", "学历", help="junior_secondary, 初中, …"),
        _c("employment_form", "就业形式", help="labour_contract, 劳动合同, …"),
        _c("industry", "行业", "所在行业", help="construction, 建筑业, …"),
        _c(
            "occupation",
            "职业代码",
            "职业",
            "occupation_code",
            help="2022 occupation dictionary code, e.g. 6-29-01-01",
        ),
        _c("union_member", "工会会员", "是否工会会员", help="是/否, yes/no, 1/0"),
        _c("union_joined_on", "入会日期", "union_joined", help="date"),
        _c(
            "cert_occupation",
            "证书职业",
            "certificate_occupation",
            help="certificate: occupation code",
        ),
        _c(
            "cert_level",
            "证书等级",
            "技能等级",
            "certificate_level",
            help="certificate: skill level 5 (junior) … 1",
        ),
        _c(
            "cert_no",
            "证书编号",
            "certificate_no",
            "certificate_number",
            help="certificate: number",
        ),
        _c(
            "cert_issuer",
            "发证机构",
            "issuing_organisation",
            "certificate_issuer",
            help="certificate: issuing organisation",
        ),
        _c(
            "cert_issued_on",
            "发证日期",
            "issued_on",
            "certificate_issued_on",
            help="certificate: date of issue",
        ),
        _c(
            "cert_kind",
            "证书类别",
            "certificate_kind",
            help="skill_level (default) or access_licence",
        ),
        _c(
            "cert_expires_on",
            "有效期至",
            "expires_on",
            "certificate_expires_on",
            help="certificate: expiry date",
        ),
    ],
    ImportKind.STATIONS: [
        _c(
            "code",
            "站点编码",
            "编码",
            "驿站编码",
            required=True,
            help="the station's code: how a re-import finds it",
        ),
        _c("name", "站点名称", "名称", help="required for a new station"),
        _c("type", "站点类型", "类型", help="rest_station, 工会驿站, service_station, …"),
        _c("region", "所在地区", "地区", "区划代码", "region_code", help="6-digit region code"),
        _c(
            "organisation",
            "所属组织",
            "organisation_id",
            help="organisation id or exact name; default: yours",
        ),
        _c("address", "地址", help="required for a new station"),
        _c("latitude", "纬度", "lat", help="decimal degrees"),
        _c("longitude", "经度", "lng", help="decimal degrees"),
        _c("opening_hours", "开放时间", help="text"),
        _c("open_24h", "24小时开放", "全天开放", help="是/否"),
        _c(
            "services",
            "服务项目",
            help="comma-separated: rest, drinking_water, … or their Chinese names",
        ),
        _c("phone", "站点电话", "电话", "联系电话", help="the station's telephone"),
        _c("is_active", "是否启用", "启用", "active", help="是/否"),
    ],
    ImportKind.VISITS: [
        _c("station_code", "站点编码", "驿站编码", required=True, help="code of the station"),
        _c(
            "at",
            "服务时间",
            "时间",
            "visit_time",
            required=True,
            help="date and time (within the last 30 days)",
        ),
        _c(
            "service",
            "服务项目",
            "服务",
            required=True,
            help="rest, drinking_water, … or their Chinese names",
        ),
        _c(
            "national_id",
            "身份证号",
            "身份证号码",
            help="the worker's ID number (optional: anonymous visits allowed)",
        ),
        _c("note", "备注", help="at most 500 characters"),
    ],
    ImportKind.SETTLEMENT_HISTORY: [
        _c(
            "national_id",
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "身份证",
            "id_number",
            required=True,
            help="the worker's ID number (any spelling of a registered worker in your area)",
        ),
        _c(
            "record",
            "记录类型",
            "类型",
            "类别",
            "record_type",
            "type",
            required=True,
            help="contribution (社保) or residence (居住): one row per spell",
        ),
        _c(
            "city",
            "城市",
            "所在城市",
            "城市代码",
            "地市",
            "city_code",
            required=True,
            help="prefecture-level city: 6-digit code (440300), 4-digit (4403) or its name (深圳市)",
        ),
        _c(
            "kind",
            "险种",
            "保险类型",
            "insurance",
            help="contribution rows: pension 养老, medical 医疗, unemployment 失业, "
            "work_injury 工伤, maternity 生育, housing_fund 公积金",
        ),
        _c(
            "start",
            "起始日期",
            "开始日期",
            "起始年月",
            "开始时间",
            "from",
            required=True,
            help="first day or month: 2020-01-01, 2020/1/1, 2020-01, 202001, 2020年1月",
        ),
        _c(
            "end",
            "截止日期",
            "结束日期",
            "截止年月",
            "结束时间",
            "to",
            help="last day or month; empty = still paying / still living there",
        ),
        _c(
            "permit_held",
            "持有居住证",
            "居住证",
            "是否持有居住证",
            "residence_permit",
            "permit",
            help="residence rows: 是/否, yes/no (empty = no)",
        ),
        _c(
            "tenure",
            "住房",
            "住房情况",
            "住房性质",
            "housing",
            help="residence rows: owned 自有, rented 租赁, dormitory 宿舍, other 其他",
        ),
        _c("note", "备注", help="at most 200 characters"),
    ],
}


def header_key(name: Any) -> str:
    """Header text compared loosely: width-folded, lower-case, no spaces, markers or notes in brackets."""
    text = unicodedata.normalize("NFKC", str(name or "")).strip().lower()
    text = re.sub(r"[(\[（【].*?[)\]）】]", "", text)
    return re.sub(r"[\s*＊:_\-]+", "", text)


def header_index(kind: str) -> dict[str, str]:
    return {header_key(h): col.field for col in COLUMNS[kind] for h in col.headers}


@dataclass
class HeaderMap:
    fields: dict[int, str]  # cell position -> field
    labels: dict[str, str]  # field -> the header as written in the file
    unknown: list[str] = field(default_factory=list)

    def is_header_again(self, cells: list[Any], index: dict[str, str]) -> bool:
        """A row that repeats the headers (the template's English header row)."""
        named = [(i, index.get(header_key(c))) for i, c in enumerate(cells) if str(c or "").strip()]
        return bool(named) and all(f is not None and self.fields.get(i) == f for i, f in named)


def map_headers(kind: str, cells: list[Any]) -> HeaderMap:
    index = header_index(kind)
    fields: dict[int, str] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    for position, cell in enumerate(cells):
        label = str(cell or "").strip()
        if not label:
            continue
        name = index.get(header_key(label))
        if name is None or name in labels:
            unknown.append(label)
            continue
        fields[position] = name
        labels[name] = label
    missing = [c for c in COLUMNS[kind] if c.required and c.field not in labels]
    if missing:
        raise ImportFileError(
            "missing_column",
            _("The file has no column %(col)s (header row: %(found)s).")
            % {
                "col": " / ".join(f"“{h}”" for h in missing[0].headers[:2]),
                "found": ", ".join(str(c) for c in cells if c)[:200] or "—",
            },
        )
    return HeaderMap(fields=fields, labels=labels, unknown=unknown)


def detect_format(name: str, head: bytes) -> str:
    extension = Path(name).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if extension not in ("", ".xlsx", ".xlsm"):
            raise ImportFileError("unsupported_format", _("Upload a .csv or .xlsx file."))
        return "xlsx"
    if extension in (".xls",) or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "unsupported_format",
            _("Old Excel .xls files are not read: save the sheet as .xlsx or CSV."),
        )
    if extension not in ("", ".csv", ".txt"):
        raise ImportFileError("unsupported_format", _("Upload a .csv or .xlsx file."))
    return "csv"


def detect_encoding(path: Path) -> tuple[str, int]:
    """The first encoding that decodes the whole file strictly, and the number of CSV data rows.

    UTF-8 (with or without BOM) first: GB18030 decodes almost any byte sequence, UTF-8 does not,
    so a file that is valid UTF-8 is UTF-8.
    """
    for encoding in ENCODINGS:
        try:
            with path.open(encoding=encoding, errors="strict", newline="") as handle:
                rows = sum(1 for row in csv.reader(handle) if any(c.strip() for c in row))
            return encoding, max(rows - 1, 0)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "unknown_encoding", _("The file is neither UTF-8 nor GB18030 text: save it as CSV UTF-8.")
    )


def iter_rows(path: Path, *, file_format: str, encoding: str) -> Iterator[list[Any]]:
    """Every row of the file (the header first), as a list of cell values."""
    if file_format == "xlsx":
        yield from _xlsx_rows(path)
        return
    with path.open(encoding=encoding or "utf-8-sig", errors="strict", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        yield from csv.reader(handle, delimiter=delimiter)


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # zip or XML damage: openpyxl raises many kinds
            raise ImportFileError(
                "unreadable", _("The Excel file cannot be read: %(e)s") % {"e": str(exc)[:200]}
            ) from exc
        try:
            sheet = book.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()


def xlsx_row_estimate(path: Path) -> int:
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:
            raise ImportFileError(
                "unreadable", _("The Excel file cannot be read: %(e)s") % {"e": str(exc)[:200]}
            ) from exc
        try:
            return max((book.worksheets[0].max_row or 1) - 1, 0)
        finally:
            book.close()
