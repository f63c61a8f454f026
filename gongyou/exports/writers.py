"""Streaming writers: rows go from the database cursor to the file without building a list.

CSV: UTF-8 with a byte-order mark (Chinese Excel then opens it correctly), one `csv.writer`
call per chunk. xlsx: openpyxl's write-only mode (rows are streamed to a temporary XML part,
never held as cells), a new sheet with the header repeated every time a sheet reaches Excel's
row limit. Parquet: pyarrow record batches of BATCH_ROWS rows with a typed schema.

Human formats (CSV, xlsx) show choice labels in the job's language, yes/no, local times;
Parquet keeps the codes, booleans and time-zone-aware timestamps for analysis tools.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import translation

from gongyou.core import crypto
from gongyou.regions.selectors import region_label

from .columns import Column

XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, header row included
BATCH_ROWS = 50_000  # rows per Parquet record batch, per CSV write and per progress report
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}

Progress = Callable[[int], None]


def open_output(path: Path) -> IO[bytes]:
    """The file an export is written to (the one place that touches the disk)."""
    return path.open("wb")


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


class RowConverter:
    """Turns one `values_list` tuple into the output values of the columns, in order."""

    def __init__(
        self,
        columns: Sequence[Column],
        sources: Sequence[str],
        *,
        reveal: bool,
        human: bool,
        language: str,
    ) -> None:
        self.plan: list[tuple[int, Callable[[Any], Any] | None]] = []
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        regions: dict[str, str] = {}

        def region(code: Any) -> str:
            if not code:
                return ""
            name = regions.get(code)
            if name is None:
                name = regions[code] = region_label(code)
            return name

        yes, no = YES_NO["zh" if language.startswith("zh") else "en"]
        for column in columns:
            revealed = reveal and bool(column.reveal)
            source = column.reveal_source if revealed else column.source
            conv: Callable[[Any], Any] | None = None
            if revealed:
                context = column.reveal

                def conv(v: Any, context: str = context) -> str:
                    return crypto.decrypt(v, context=context) if v else ""

            elif column.type == "region":
                conv = region
            elif column.type == "str" and human:
                conv = _blank_none
            elif human and column.type == "bool":

                def conv(v: Any, yes: str = yes, no: str = no) -> str:
                    return "" if v is None else (yes if v else no)

            elif human and column.type == "datetime":

                def conv(v: Any, tz: dt.tzinfo = tz) -> Any:
                    return v.astimezone(tz).replace(tzinfo=None, microsecond=0) if v else None

            elif human and column.type in ("choice", "choices") and column.choices is not None:
                with translation.override(language):
                    labels = {str(k): str(v) for k, v in column.choices.choices}
                if column.type == "choice":

                    def conv(v: Any, labels: dict[str, str] = labels) -> str:
                        return labels.get(v, v) if v else ""

                else:

                    def conv(v: Any, labels: dict[str, str] = labels) -> str:
                        return "、".join(labels.get(c, c) for c in (v or []))

            self.plan.append((list(sources).index(source), conv))

    def __call__(self, row: Sequence[Any]) -> list[Any]:
        return [row[i] if conv is None else conv(row[i]) for i, conv in self.plan]


def _blank_none(v: Any) -> Any:
    return "" if v is None else v


def header_row(columns: Sequence[Column], *, keys: bool, language: str) -> list[str]:
    return [c.key if keys else c.label(language) for c in columns]


def write_csv(
    out: IO[bytes],
    *,
    header: list[str],
    rows: Iterable[Sequence[Any]],
    convert: RowConverter,
    progress: Progress,
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)
    writer.writerow(header)
    count = 0
    for chunk in _chunks(rows, BATCH_ROWS):
        writer.writerows(map(convert, chunk))
        count += len(chunk)
        progress(count)
    text.flush()
    text.detach()  # leave `out` open: the caller closes it
    return count


def write_xlsx(
    out: IO[bytes],
    *,
    header: list[str],
    rows: Iterable[Sequence[Any]],
    convert: RowConverter,
    progress: Progress,
    sheet_title: str,
) -> int:
    from openpyxl import Workbook

    per_sheet = XLSX_MAX_ROWS - 1
    wb = Workbook(write_only=True)
    try:
        count = _xlsx_rows(wb, header, rows, convert, progress, sheet_title, per_sheet)
        _xlsx_save(wb, out)
    except BaseException:
        _xlsx_discard(wb)
        raise
    return count


def _xlsx_save(wb: Any, out: IO[bytes]) -> None:
    """`Workbook.save` (openpyxl's save_workbook), but closing the zip archive on failure too:
    left to the garbage collector, a failed archive (a full disk) would try to write its end
    record into the export file after it was closed and removed."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        with contextlib.suppress(Exception):
            archive.close()
        raise


def _xlsx_rows(
    wb: Any,
    header: list[str],
    rows: Iterable[Sequence[Any]],
    convert: RowConverter,
    progress: Progress,
    sheet_title: str,
    per_sheet: int,
) -> int:
    sheet = None
    count = 0
    in_sheet = per_sheet
    sheets = 0
    for chunk in _chunks(rows, BATCH_ROWS):
        for row in chunk:
            if in_sheet >= per_sheet:
                sheets += 1
                sheet = wb.create_sheet(sheet_title if sheets == 1 else f"{sheet_title} ({sheets})")
                sheet.append(header)
                in_sheet = 0
            sheet.append(convert(row))  # type: ignore[union-attr]
            in_sheet += 1
        count += len(chunk)
        progress(count)
    if sheet is None:
        wb.create_sheet(sheet_title).append(header)
    return count


def _xlsx_discard(wb: Any) -> None:
    """After a failure: end openpyxl's row generators and delete its temporary sheet files now,
    not at interpreter exit (a task worker lives for days)."""
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        steps = [rows.close] if rows is not None else []
        steps += [writer.close, writer.cleanup] if writer is not None else []
        for step in steps:
            with contextlib.suppress(Exception):
                step()


def arrow_schema(columns: Sequence[Column]) -> Any:
    import pyarrow as pa

    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us", tz=settings.TIME_ZONE),
        "choice": pa.string(),
        "choices": pa.list_(pa.string()),
        "region": pa.string(),
    }
    return pa.schema([pa.field(c.key, types[c.type]) for c in columns])


def write_parquet(
    out: IO[bytes],
    *,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    convert: RowConverter,
    progress: Progress,
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(columns)
    count = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for chunk in _chunks(rows, BATCH_ROWS):
            converted = [convert(row) for row in chunk]
            arrays = [
                pa.array([r[i] for r in converted], type=schema.field(i).type)
                for i in range(len(columns))
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            count += len(chunk)
            progress(count)
    return count
