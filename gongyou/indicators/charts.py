"""Charts as SVG drawn on the server: no JavaScript, no chart library, nothing fetched from a
CDN; they print, scale and work with screen readers (a title and a text table accompany each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
LABEL_WIDTH = 190
WIDTH = 560
COLOURS = ("#c8102e", "#0b5fa5", "#e08a00", "#2e7d32", "#6a1b9a", "#00838f", "#5d4037", "#546e7a")


def _fmt(value: float) -> str:
    return (
        f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:,.0f}"
    )


def bar_chart(title: str, items: Sequence[tuple[str, float]]) -> SafeString:
    """Horizontal bars, one per (label, value)."""
    items = [(label, float(value or 0)) for label, value in items]
    top = max((v for _l, v in items), default=0) or 1
    height = BAR_HEIGHT * len(items) + 8
    span = WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y = 4 + i * BAR_HEIGHT
        w = max(span * value / top, 1 if value else 0)
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(short)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT - 6}" '
            f'fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
            f'<text x="{LABEL_WIDTH + w + 4:.1f}" y="{y + 15}" font-size="12">{_fmt(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def day_chart(title: str, series: Sequence[tuple[dt.date, int]]) -> SafeString:
    """Vertical columns, one per day, with the first and last date under the axis."""
    height, bottom, left = 160, 20, 40
    top = max((v for _d, v in series), default=0) or 1
    n = max(len(series), 1)
    step = (WIDTH - left - 10) / n
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<text x="{left - 4}" y="12" text-anchor="end" font-size="11">{_fmt(top)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH - 10}" y2="{height - bottom}" '
        'stroke="#999"/>',
    ]
    span = height - bottom - 10
    for i, (day, value) in enumerate(series):
        h = span * value / top
        x = left + i * step
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="{COLOURS[1]}"><title>{day.isoformat()}: {value}</title></rect>'
        )
    if series:
        parts.append(
            f'<text x="{left}" y="{height - 4}" font-size="11">{series[0][0].isoformat()}</text>'
            f'<text x="{WIDTH - 10}" y="{height - 4}" font-size="11" text-anchor="end">'
            f"{series[-1][0].isoformat()}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
