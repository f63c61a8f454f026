"""Files the imports app hands out: blank templates per kind, and a job's error report —
CSV (UTF-8 with BOM, so Excel shows Chinese) and .xlsx (openpyxl write-only, streaming)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from .enums import ImportKind
from .reading import COLUMNS

EXAMPLES: dict[str, list[str]] = {
    ImportKind.WORKERS: [
        "440305199005170012",
        "张伟",
        "13800138000",
        "510104",
        "440305",
        "南山区科技园1号",
        "初中",
        "劳动合同",
        "建筑业",
        "6-29-01-01",
        "是",
        "2020-03-01",
        "6-29-01-01",
        "四级",
        "Y2024000001",
        "深圳市职业技能鉴定中心",
        "2024-05-01",
        "",
        "",
    ],
    ImportKind.STATIONS: [
        "ST440305-0001",
        "南山区科技园工会驿站",
        "工会驿站",
        "440305",
        "",
        "深圳市南山区科技园1号",
        "22.54",
        "113.95",
        "周一至周日 08:00-20:00",
        "否",
        "休息,饮水,手机充电",
        "0755-12345678",
        "是",
    ],
    ImportKind.VISITS: ["ST440305-0001", "2026-11-29 09:30", "休息", "", ""],
    ImportKind.SETTLEMENT_HISTORY: [
        "440305199005170012",
        "社保",
        "440300",
        "养老保险",
        "2019-03",
        "",
        "",
        "",
        "",
    ],
}


def template_csv(kind: str) -> bytes:
    """Chinese headers, then the English names (a second header row the importer skips)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.headers[0] for c in COLUMNS[kind]])
    writer.writerow([c.field for c in COLUMNS[kind]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind
    sheet.append([c.headers[0] for c in COLUMNS[kind]])
    for position, column in enumerate(COLUMNS[kind], start=1):
        cell = sheet.cell(row=1, column=position)
        cell.comment = Comment(f"{column.field}: {column.help}", "Gongyou")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 18
        sheet.column_dimensions[letter].number_format = "@"  # text: Excel keeps long numbers
        for row in range(2, 1001):
            sheet.cell(row=row, column=position).number_format = "@"
    fields = book.create_sheet("fields")
    fields.append(["中文列名", "field", "also accepted", "required", "notes"])
    for column in COLUMNS[kind]:
        fields.append(
            [
                column.headers[0],
                column.field,
                ", ".join(column.headers[1:-1]),
                "yes" if column.required else "",
                column.help,
            ]
        )
    fields.append([])
    fields.append(["example", *EXAMPLES[kind]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


REPORT_HEADER = ("row", "column", "value", "code", "reason")


def _report_header() -> list[str]:
    return [_("Row"), _("Column"), _("Value"), _("Code"), _("Reason")]


def error_report_csv(errors: Iterable[Any]) -> Iterator[bytes]:
    """Streamed: one line at a time, whatever the number of errors."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    writer.writerow(_report_header())
    yield b"\xef\xbb\xbf" + flush()
    for e in errors:
        writer.writerow([e.row, e.column, e.value, e.code, e.message])
        yield flush()


def error_report_xlsx(errors: Iterable[Any]) -> IO[bytes]:
    """A temporary file (write-only mode keeps memory flat); the caller streams and closes it."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("errors")
    sheet.append(_report_header())
    for e in errors:
        sheet.append([e.row, e.column, e.value, e.code, e.message])
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (returned open; the response closes it)
    book.save(handle)
    handle.seek(0)
    return handle
