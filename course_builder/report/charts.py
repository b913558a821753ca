"""Inline SVG charts for report.html: no script, no external file, readable when printed.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and summed up by its ``<desc>``
(the report also shows every figure in a table beside it, for screen readers and for copying).
Bars carry their numbers as text, so no chart relies on colour alone. Text is escaped here;
the results are :class:`markupsafe.Markup` for the page template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from course_builder.charts import WHOLE_STEPS, ValueAxis, column, nice_step

WIDTH = 560  # bar lists are narrower (BAR_LIST_WIDTH) so their text stays readable on phones
BAR_LIST_WIDTH = 480
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _n(value: float) -> str:
    """A coordinate without needless decimals."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def month_label(month: str) -> str:
    """``"2026-01"`` -> ``"Jan 2026"``."""
    return f"{_MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50... at least ``value``."""
    return 1 if value <= 1 else nice_step(value, WHOLE_STEPS)


def axis(maximum: float) -> tuple[int, int]:
    """``(top, step)`` of a count axis: whole-number ticks, at most five lines
    (2 -> 0, 1, 2; 37 -> 0, 10, 20, 30, 40)."""
    step = int(nice_ceiling(maximum / 4))
    return max(step, step * math.ceil(maximum / step)), step


def truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _open(chart_id: str, height: float, title: str, desc: str,
          width: float = WIDTH) -> list[str]:
    return [f'<svg class="chart" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'preserveAspectRatio="xMinYMin meet">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>']


def _axes(left: float, plot_w: float, axis: ValueAxis) -> list[str]:
    parts = []
    for tick in axis.ticks():
        value = round(tick)
        y = axis.y(value)
        label = str(value)
        parts.append(f'<line class="grid" x1="{_n(left)}" x2="{_n(left + plot_w)}" '
                     f'y1="{_n(y)}" y2="{_n(y)}"/>')
        parts.append(f'<text class="axis" x="{_n(left - 6)}" y="{_n(y + 4)}" '
                     f'text-anchor="end">{escape(label)}</text>')
    return parts


def _month_ticks(months: Sequence[str], left: float, step: float, baseline: float) -> list[str]:
    every = max(1, math.ceil(len(months) / 8))
    parts = []
    for i, month in enumerate(months):
        if i % every == 0 or i == len(months) - 1 and (len(months) - 1) % every > every / 2:
            x = left + step * (i + 0.5)
            parts.append(f'<text class="axis" x="{_n(x)}" y="{_n(baseline + 18)}" '
                         f'text-anchor="middle">{escape(month_label(month))}</text>')
    return parts


def column_chart(chart_id: str, points: Sequence[tuple[str, int]], title: str,
                 desc: str) -> Markup:
    """Vertical bars, one per month (``("2026-01", 3)``), each with its number on top."""
    height, left, top, bottom = 260.0, 44.0, 16.0, 40.0
    plot_w, plot_h = WIDTH - left - 12, height - top - bottom
    top_value, tick = axis(max((v for _, v in points), default=0))
    scale = ValueAxis(top_value, tick, top + plot_h, plot_h)
    step = plot_w / max(len(points), 1)
    parts = _open(chart_id, height, title, desc) + _axes(left, plot_w, scale)
    for i, (_, value) in enumerate(points):
        bar = column(scale, i, value, left=left, slot=step, inset=step * 0.15)
        parts.append(f'<rect class="bar" x="{_n(bar.x)}" y="{_n(bar.y)}" '
                     f'width="{_n(bar.width)}" height="{_n(bar.height)}"/>')
        if len(points) <= 24 and value:
            parts.append(f'<text class="value" x="{_n(bar.x + bar.width / 2)}" '
                         f'y="{_n(bar.y - 4)}" text-anchor="middle">{value}</text>')
    parts += _month_ticks([m for m, _ in points], left, step, top + plot_h)
    parts.append("</svg>")
    return Markup("\n".join(parts))


def line_chart(chart_id: str, points: Sequence[tuple[str, int]], title: str,
               desc: str) -> Markup:
    """A running total by month, its last value written at the end of the line."""
    height, left, top, bottom = 260.0, 44.0, 20.0, 40.0
    plot_w, plot_h = WIDTH - left - 40, height - top - bottom
    top_value, tick = axis(max((v for _, v in points), default=0))
    scale = ValueAxis(top_value, tick, top + plot_h, plot_h)
    step = plot_w / max(len(points), 1)
    parts = _open(chart_id, height, title, desc) + _axes(left, plot_w, scale)
    coordinates = [(left + step * (i + 0.5), scale.y(v)) for i, (_, v) in enumerate(points)]
    if coordinates:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coordinates)
        parts.append(f'<polyline class="line" points="{path}"/>')
        for x, y in coordinates:
            parts.append(f'<circle class="dot" cx="{_n(x)}" cy="{_n(y)}" r="3.5"/>')
        x, y = coordinates[-1]
        parts.append(f'<text class="value" x="{_n(x)}" y="{_n(y - 8)}" '
                     f'text-anchor="middle">{points[-1][1]}</text>')
    parts += _month_ticks([m for m, _ in points], left, step, top + plot_h)
    parts.append("</svg>")
    return Markup("\n".join(parts))


def bar_list(chart_id: str, rows: Sequence[tuple[str, float, str]], maximum: float,
             title: str, desc: str, css: str = "bar") -> Markup:
    """Horizontal bars, one per row ``(label, value, value as text)``: the label above its
    bar, the value after it. Suits long labels such as question prompts."""
    row_h, label_h, bar_h, right = 48.0, 20.0, 18.0, 100.0
    height = row_h * len(rows) + 6
    plot_w = BAR_LIST_WIDTH - right
    parts = _open(chart_id, height, title, desc, BAR_LIST_WIDTH)
    for i, (label, value, text) in enumerate(rows):
        y = row_h * i + 4
        width = plot_w * value / maximum if maximum else 0
        parts.append(f'<text class="label" x="0" y="{_n(y + 13)}">'
                     f'{escape(truncate(label, 60))}</text>')
        parts.append(f'<rect class="track" x="0" y="{_n(y + label_h)}" width="{_n(plot_w)}" '
                     f'height="{_n(bar_h)}"/>')
        parts.append(f'<rect class="{css}" x="0" y="{_n(y + label_h)}" width="{_n(width)}" '
                     f'height="{_n(bar_h)}"/>')
        parts.append(f'<text class="value" x="{_n(plot_w + 8)}" y="{_n(y + label_h + 14)}">'
                     f'{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def stacked_bar(chart_id: str, parts_in: Sequence[tuple[str, int, str]], title: str,
                desc: str) -> Markup:
    """One bar split into ``(label, count, css class)`` parts, with a legend that gives each
    part's count and share in words."""
    total = sum(count for _, count, _ in parts_in)
    height = 44.0 + 26 * len(parts_in)
    parts = _open(chart_id, height, title, desc)
    x = 0.0
    for _, count, css in parts_in:
        width = WIDTH * count / total if total else 0
        if width:
            parts.append(f'<rect class="{css}" x="{_n(x)}" y="4" width="{_n(width)}" '
                         f'height="28"/>')
        x += width
    for i, (label, count, css) in enumerate(parts_in):
        y = 44 + 26 * i
        share = f"{100 * count / total:.0f}%" if total else "0%"
        parts.append(f'<rect class="{css}" x="0" y="{_n(y)}" width="16" height="16"/>')
        parts.append(f'<text class="label" x="24" y="{_n(y + 13)}">'
                     f'{escape(label)}: {count} ({share})</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
