"""An indicator table as CSV or Excel (openpyxl), with its definition and the period in the
header lines, and small cells suppressed (a published table)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from .registry import Context, Indicator, Table


def _cell(table: Table, row: Any, key: str) -> Any:
    from .suppression import threshold

    if key in row.suppressed:
        return f"<{threshold()}"
    value = row.values.get(key)
    return "" if value is None else value


def _lines(ctx: Context, indicator: Indicator, table: Table, region: str) -> list[list[Any]]:
    head = [
        [str(indicator.title)],
        [str(indicator.counts)],
        [f"{region} · {ctx.start.isoformat()} – {ctx.end.isoformat()} · {indicator.unit}"],
        [],
        ["", *[c.label for c in table.columns]],
    ]
    body = [[row.label, *[_cell(table, row, c.key) for c in table.columns]] for row in table.rows]
    if table.total is not None:
        body.append(
            [
                table.total.label or region,
                *[_cell(table, table.total, c.key) for c in table.columns],
            ]
        )
    return head + body


def table_csv(ctx: Context, indicator: Indicator, table: Table, region: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _lines(ctx, indicator, table, region):
        writer.writerow(line)
    # A byte-order mark so that Excel opens the Chinese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(ctx: Context, indicator: Indicator, table: Table, region: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = indicator.key[:31]
    for line in _lines(ctx, indicator, table, region):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
