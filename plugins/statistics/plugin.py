"""Local figures as an accessible chart drawn at build time: an inline SVG (bar or line), the same
figures as a real table, and a one-sentence summary computed from the data. No JavaScript.

The figures come from a CSV file beside the module with the header ``period,value`` and an
optional ``group`` column. Periods written ``YYYY-MM`` are shown as months ("Oct 2025"); anything
else is used as a plain label, in file order.

"Today" for the staleness check is the build machine's date, or ``COURSE_BUILDER_TODAY``
(``YYYY-MM-DD``) when that environment variable is set.
"""

from __future__ import annotations

import csv
import datetime
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup, escape
from pydantic import Field

from course_builder.charts import ValueAxis, column, nice_step
from course_builder.dates import MONTHS, months_before
from course_builder.dates import long_date as _long_date
from course_builder.diagnostics import SourceLocation
from course_builder.i18n.files import language_file, translated_files
from course_builder.i18n.text import SourceText
from course_builder.i18n.words import N_, ngettext
from course_builder.i18n.words import gettext as _
from course_builder.plugin import (
    Block,
    BlockContext,
    BlockModel,
    ContentType,
    TranslatableMarkdown,
    TranslatableText,
)

STALE_AFTER_MONTHS = 12
MAX_GROUPS = 4  # one distinct fill pattern and marker shape each
MAX_ROWS = 500
COLUMNS = ("period", "value", "group")
MONTH_RE = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
NUMBER_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
#: months on the chart's axis, where there is room for three letters or so
SHORT_MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"),
                N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))


class StatisticsBlock(BlockModel):
    """A chart, table and summary of figures read from a CSV file."""

    title: TranslatableText = Field(min_length=1)
    data: str = Field(min_length=1)
    chart: Literal["bar", "line"] = "bar"
    unit: TranslatableText = Field(min_length=1)
    source: TranslatableMarkdown = Field(min_length=1)
    as_of: datetime.date
    illustrative: bool = False
    note: TranslatableMarkdown | None = None


# -- reading the CSV ----------------------------------------------------------------------------
@dataclass
class Row:
    period: str
    value: float
    group: str | None
    line: int


@dataclass
class Table:
    """The parsed file: rows in file order, and the problems found as (line, message)."""

    rows: list[Row] = field(default_factory=list)
    grouped: bool = False
    problems: list[tuple[int, str]] = field(default_factory=list)
    decimals: int = 0

    @property
    def periods(self) -> list[str]:
        seen: dict[str, None] = {}
        for row in self.rows:
            seen.setdefault(row.period, None)
        return list(seen)

    @property
    def groups(self) -> list[str | None]:
        seen: dict[str | None, None] = {}
        for row in self.rows:
            seen.setdefault(row.group, None)
        return list(seen)

    @property
    def monthly(self) -> bool:
        return bool(self.rows) and all(MONTH_RE.match(p) for p in self.periods)


def parse_csv(text: str) -> Table:
    """Parse ``period,value[,group]`` text. Never raises: problems come back with line numbers."""
    table = Table()
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        table.problems.append((1, ("the file is empty; it needs a header line `period,value` "
                                  "and one line per period")))
        return table
    header_line, header_text = lines[0]
    header = [h.strip().lower() for h in next(csv.reader([header_text]))]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in ("period", "value") if c not in header]
    if unknown or missing or len(set(header)) != len(header):
        found = ",".join(header)
        table.problems.append((header_line, (f"the header is '{found}'; it must be "
                                            "`period,value` or `period,value,group`")))
        return table
    table.grouped = "group" in header
    seen: set[tuple[str, str | None]] = set()
    for number, line in lines[1:]:
        cells = [c.strip() for c in next(csv.reader([line]))]
        if len(cells) != len(header):
            table.problems.append((number, (f"expected {len(header)} columns "
                                           f"({','.join(header)}), found {len(cells)}")))
            continue
        record = dict(zip(header, cells, strict=True))
        period, value = record["period"], record["value"]
        group = record.get("group") if table.grouped else None
        if not period:
            table.problems.append((number, "the period is empty"))
            continue
        if table.grouped and not group:
            table.problems.append((number, "the group is empty"))
            continue
        if not value:
            table.problems.append((number, f"period '{period}' has no value"))
            continue
        if not NUMBER_RE.match(value):
            table.problems.append((number, (f"value '{value}' is not a number (write digits "
                                           "only, such as 27 or 4.5, without commas or units)")))
            continue
        if value.startswith("-"):
            table.problems.append((number, (f"value '{value}' is negative; the chart shows "
                                           "counts and rates from zero")))
            continue
        if (period, group) in seen:
            what = f"period '{period}'" + (f" in group '{group}'" if group else "")
            table.problems.append((number, f"{what} appears twice"))
            continue
        seen.add((period, group))
        if "." in value:
            table.decimals = max(table.decimals, len(value.split(".")[1]))
        table.rows.append(Row(period, float(value), group, number))
    if not table.rows and not table.problems:
        table.problems.append((header_line, "the file has a header but no figures"))
    if len(table.rows) > MAX_ROWS:
        table.problems.append((header_line, (f"{len(table.rows)} rows is too many to chart "
                                            f"(at most {MAX_ROWS})")))
    if len(table.groups) > MAX_GROUPS:
        table.problems.append((header_line, (f"{len(table.groups)} groups is too many to chart "
                                            f"clearly (at most {MAX_GROUPS})")))
    return table


def read_table(path: Path) -> Table:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        table = Table()
        table.problems.append((1, "the file is not UTF-8 text; save it as 'CSV UTF-8'"))
        return table
    return parse_csv(text)


# -- words --------------------------------------------------------------------------------------
def period_label(period: str, long: bool = False) -> str:
    """``2025-10`` -> ``Oct 2025`` (or ``October 2025``); other labels unchanged."""
    match = MONTH_RE.match(period)
    if not match:
        return period
    index = int(match.group(2)) - 1
    return f"{_(MONTHS[index]) if long else _(SHORT_MONTHS[index])} {match.group(1)}"


def fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _month_index(period: str) -> int:
    match = MONTH_RE.match(period)
    assert match is not None
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def _join(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def summary_sentence(rows: list[Row], unit: str, decimals: int, group: str | None) -> Markup:
    """One sentence: total over the periods, then the highest and lowest period, in the page's
    language (the author's ``unit`` and ``group`` keep their own, marked)."""
    periods = [r.period for r in rows]
    total = fmt(sum(r.value for r in rows), decimals)
    monthly = all(MONTH_RE.match(p) for p in periods)
    if monthly:
        indexes = sorted(_month_index(p) for p in periods)
        first, last = (min(periods, key=_month_index), max(periods, key=_month_index))
        count = len(periods)
        months = ngettext("%(count)s month", "%(count)s months", count) % {"count": count}
        if indexes[-1] - indexes[0] + 1 == count:
            span = (_("in %(month)s") % {"month": period_label(last, True)} if count == 1
                    else _("in the %(months)s to %(month)s") % {
                        "months": months, "month": period_label(last, True)})
        else:
            span = _("over %(months)s between %(first)s and %(last)s") % {
                "months": months, "first": period_label(first, True),
                "last": period_label(last, True)}
    else:
        count = len(periods)
        # the periods are the file's words, which may carry their language: kept as markup
        span = (Markup(escape(_("in %(period)s"))) % {"period": periods[0]} if count == 1
                else Markup(escape(_("over %(count)s periods, %(first)s to %(last)s"))) % {
                    "count": count, "first": periods[0], "last": periods[-1]})
    sentence = Markup(escape(_("%(total)s %(unit)s %(span)s"))) % {
        "total": total, "unit": unit, "span": span}
    if group:
        sentence = Markup("%s: %s") % (group, sentence)
    if len(rows) > 1:
        top = max(r.value for r in rows)
        low = min(r.value for r in rows)
        if top == low:
            same = (_(", the same in every month (%(value)s)") if monthly
                    else _(", the same in every period (%(value)s)"))
            sentence += same % {"value": fmt(top, decimals)}
        else:
            highs = [period_label(r.period, True) for r in rows if r.value == top]
            lows = [period_label(r.period, True) for r in rows if r.value == low]
            extremes = (_("; the highest month was %(highest)s (%(top)s) and the lowest was "
                          "%(lowest)s (%(low)s)") if monthly
                        else _("; the highest period was %(highest)s (%(top)s) and the lowest "
                               "was %(lowest)s (%(low)s)"))
            sentence += extremes % {"highest": _join(highs), "top": fmt(top, decimals),
                                    "lowest": _join(lows), "low": fmt(low, decimals)}
    return sentence + "."


# -- the chart ----------------------------------------------------------------------------------
PLOT_TOP, PLOT_LEFT, PLOT_RIGHT, AXIS_BELOW = 28, 64, 16, 58
PLOT_HEIGHT = 240
MIN_PLOT_WIDTH = 520
NARROW_WIDTH = 320  # the small-screen chart's viewBox width: text stays near its CSS size
FILLS = ("#005eb8", "#330072", "#007f3b", "#7a3e00")  # all >= 7:1 against white
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "8 4", "2 4", "10 4 2 4")


def _split_label(label: str) -> tuple[str, str]:
    """A long plain label on two lines at its middle-most space: ``Q4 2025`` -> ``Q4``/``2025``."""
    if len(label) <= 6 or " " not in label:
        return label, ""
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut], label[cut + 1:]


def nice_scale(top: float) -> tuple[float, float, int]:
    """A round axis maximum and step covering ``top`` in about 4 steps; and decimals to print."""
    if top <= 0:
        return 1.0, 0.25, 2
    step = nice_step(top / 4)
    maximum = step * math.ceil(top / step - 1e-9)
    if maximum == top:
        maximum += step  # room for the value label above the tallest bar
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if step != round(step, decimals):
        decimals += 1
    return maximum, step, decimals


def build_chart(table: Table, block: StatisticsBlock) -> dict[str, Any]:
    """Geometry for the SVG template: every number the template draws, computed here."""
    periods = table.periods
    groups = table.groups
    n_groups = len(groups)
    slot = max(44.0, 22.0 * n_groups + 14) if block.chart == "bar" else 48.0
    if not table.monthly:  # plain labels: wide enough for the longer half of a two-line label
        slot = max(slot, max(len(max(_split_label(p), key=len)) for p in periods) * 8.5 + 10)
    slot = max(slot, MIN_PLOT_WIDTH / len(periods))  # few periods: keep text a sensible size
    plot_width = slot * len(periods)
    legend_height = 34 if table.grouped else 0
    width = PLOT_LEFT + plot_width + PLOT_RIGHT + (90 if block.chart == "line" and
                                                  table.grouped else 0)
    height = PLOT_TOP + legend_height + PLOT_HEIGHT + AXIS_BELOW
    top = PLOT_TOP + legend_height
    bottom = top + PLOT_HEIGHT
    maximum, step, tick_decimals = nice_scale(max(r.value for r in table.rows))
    axis = ValueAxis(maximum, step, bottom, PLOT_HEIGHT)

    def y(value: float) -> float:
        return round(axis.y(value), 2)

    ticks = [{"y": y(value), "label": fmt(value, tick_decimals)} for value in axis.ticks()]

    monthly = table.monthly
    x_labels = []
    previous_year = None
    for i, period in enumerate(periods):
        centre = round(PLOT_LEFT + slot * (i + 0.5), 2)
        if monthly:
            year = period[:4]
            x_labels.append({"x": centre, "line1": _(SHORT_MONTHS[int(period[5:7]) - 1]),
                             "line2": year if year != previous_year else ""})
            previous_year = year
        else:
            line1, line2 = _split_label(period)
            if isinstance(period, SourceText):  # the file's words, in their language
                line1, line2 = SourceText(line1, period.lang), SourceText(line2, period.lang)
            x_labels.append({"x": centre, "line1": line1, "line2": line2})

    series = []
    by_key = {(r.period, r.group): r.value for r in table.rows}
    for g_index, group in enumerate(groups):
        points = []
        for i, period in enumerate(periods):
            amount = by_key.get((period, group))
            if amount is None:
                continue
            label = fmt(amount, table.decimals)
            if block.chart == "bar":
                bar = column(axis, i, amount, left=PLOT_LEFT, slot=slot, inset=7,
                             group=g_index, groups=n_groups, gap=2)
                points.append({"x": round(bar.x, 2), "width": round(bar.width, 2),
                               "y": y(amount), "height": round(bottom - y(amount), 2),
                               "cx": round(bar.x + bar.width / 2, 2), "label": label})
            else:
                cx = round(PLOT_LEFT + slot * (i + 0.5), 2)
                points.append({"cx": cx, "y": y(amount), "label": label})
        path = " ".join(f"{'M' if j == 0 else 'L'}{p['cx']} {p['y']}"
                        for j, p in enumerate(points))
        series.append({"name": group or block.unit, "index": g_index, "fill": FILLS[g_index],
                       "marker": MARKERS[g_index], "dash": DASHES[g_index],
                       "points": points, "path": path,
                       "end": points[-1] if points else None})
    # Line charts label each point's value above it; with several lines, labels below the
    # second series avoid the first's, and further series rely on the table for exact values.
    label_small = block.chart == "bar" and n_groups > 1
    return {
        "width": round(width, 2), "height": height, "top": top, "bottom": bottom,
        "left": PLOT_LEFT, "right": round(PLOT_LEFT + plot_width, 2), "ticks": ticks,
        "x_labels": x_labels, "series": series, "slot": slot,
        "x_title": _("Month") if monthly else _("Period"),
        "label_small": label_small,
    }


def build_narrow_chart(table: Table, block: StatisticsBlock) -> dict[str, Any]:
    """Geometry for the small-screen version: horizontal bars, one row per period, so labels
    and values stay readable at 320 CSS pixels (the wide chart would shrink its text to ~6 px)."""
    periods, groups = table.periods, table.groups
    by_key = {(r.period, r.group): r.value for r in table.rows}
    labels = [period_label(p) for p in periods]
    label_width = min(130.0, max(len(label) for label in labels) * 9.0 + 12)
    value_room = max(len(fmt(r.value, table.decimals)) for r in table.rows) * 9.5 + 8
    left = label_width
    bar_room = NARROW_WIDTH - left - value_room
    top = 34 if table.grouped else 8
    bar_height, gap = (22.0, 10.0) if len(groups) == 1 else (16.0, 12.0)
    row_height = bar_height * len(groups) + gap
    maximum = max(r.value for r in table.rows) or 1
    rows = []
    for i, period in enumerate(periods):
        y0 = top + row_height * i
        bars = []
        for g_index, group in enumerate(groups):
            value = by_key.get((period, group))
            if value is None:
                continue
            width = round(value / maximum * bar_room, 2)
            y = round(y0 + bar_height * g_index, 2)
            bars.append({"x": left, "y": y, "width": width, "height": bar_height - 2,
                         "index": g_index, "fill": FILLS[g_index],
                         "label": fmt(value, table.decimals), "label_x": round(left + width + 5, 2),
                         "label_y": round(y + bar_height / 2 + 3.5, 2)})
        rows.append({"label": labels[i], "y": round(y0 + (row_height - gap) / 2 + 5, 2),
                     "bars": bars})
    height = top + row_height * len(periods) + 4
    legend = [{"name": g or block.unit, "index": i, "fill": FILLS[i],
               "x": round(i * NARROW_WIDTH / len(groups), 2)} for i, g in enumerate(groups)]
    return {"width": NARROW_WIDTH, "height": round(height, 2), "left": left, "top": top - 4,
            "bottom": round(height - 4, 2), "rows": rows, "legend": legend}


# -- the plugin ---------------------------------------------------------------------------------
def _in_language(table: Table, lang: str) -> None:
    """The file's own words (group names, periods that are not months) marked as ``lang``, the
    language of a file read for a page in another: the page gives them ``lang``."""
    for row in table.rows:
        if not MONTH_RE.match(row.period):
            row.period = SourceText(row.period, lang)
        if row.group is not None:
            row.group = SourceText(row.group, lang)


def long_date(day: datetime.date) -> str:
    """``30 September 2026``, the month in the page's language."""
    return _long_date(day)


class Statistics(ContentType[StatisticsBlock]):
    """Figures from a CSV as an SVG chart, a data table and a computed summary. Not tracked."""

    name = "statistics"
    model = StatisticsBlock
    template = "statistics.html.j2"
    handout_template = "statistics.handout.html.j2"
    styles = ("statistics.css",)
    requires_id = True

    def check(self, block: Block[StatisticsBlock], ctx: BlockContext[StatisticsBlock]) -> None:
        data = block.data
        path = ctx.source_file(data.data, "data")
        if path is not None:
            if path.suffix.lower() != ".csv":
                ctx.warning(f"'{data.data}' does not end in .csv", "data")
            # the figures, and their translations beside them (data/figures.cy.csv)
            files = [(data.data, path), *((name, ctx.source_file(name, "data"))
                                          for name in translated_files(ctx, data.data))]
            for name, file in files:
                if file is None:
                    continue
                prefix = f"block '{block.key}' ({block.type}): {name}"
                for line, message in read_table(file).problems:
                    ctx.reporter.error(f"{prefix}: line {line}: {message}",
                                       SourceLocation(file, line, 1))
        now = ctx.today()
        if data.as_of > now:
            ctx.error(f"{data.as_of.isoformat()} is in the future (today is {now.isoformat()}); "
                      "give the date the figures run to", "as_of")
        elif data.as_of < months_before(now, STALE_AFTER_MONTHS):
            ctx.warning(f"figures are more than {STALE_AFTER_MONTHS} months old (as of "
                        f"{long_date(data.as_of)}): the point is up-to-date local figures",
                        "as_of", hint="replace the CSV with a recent extract and update `as_of`")

    def template_variables(self, block: Block[StatisticsBlock],
                           ctx: BlockContext[StatisticsBlock]) -> dict[str, Any]:
        data = block.data
        # the figures' file in the page's language (data/figures.cy.csv) when the course has one
        name, file_lang = language_file(ctx, data.data)
        path = ctx.source_file(name, "data")
        table = read_table(path) if path is not None else Table()
        if table.problems or not table.rows:
            raise ValueError(f"{name} has errors; run `course-builder validate`")
        if file_lang != ctx.course.config.language:
            _in_language(table, file_lang)
        groups = table.groups
        sentences = [summary_sentence([r for r in table.rows if r.group == g], data.unit,
                                      table.decimals, g) for g in groups]
        by_key = {(r.period, r.group): fmt(r.value, table.decimals) for r in table.rows}
        rows = [{"label": period_label(p, True), "short": period_label(p),
                 "cells": [by_key.get((p, g)) for g in groups]} for p in table.periods]
        return dict(
            chart=build_chart(table, data), narrow=build_narrow_chart(table, data),
            summary=Markup(" ").join(sentences),
            groups=groups, grouped=table.grouped, rows=rows,
            period_heading=_("Month") if table.monthly else _("Period"),
            as_of_text=long_date(data.as_of), as_of_iso=data.as_of.isoformat())
