"""report.html: one self-contained page (inline CSS and SVG, no script, no external file or
link) that a trainer can email, print or put on a shared drive.

It holds figures only, never a learner's name or identifier: those stay in completions.csv.
Free-text evaluation answers are shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from course_builder.report import charts
from course_builder.report.aggregate import SUBMITTED_SUFFIX, TEXT_TYPES, Aggregator, Interaction
from course_builder.report.evaluation import DIMENSIONS, MIN_GROUP, Item, Results
from course_builder.report.tables import percent, question_rows, variant_rows

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class EvaluationView:
    item: Interaction
    answers: list[tuple[str, int]]
    total: int
    chart: Markup | None = None
    texts: list[tuple[str, int]] = field(default_factory=list)
    mean: str = ""


def _evaluation(data: Aggregator) -> list[EvaluationView]:
    views = []
    for index, item in enumerate(data.evaluation_items):
        answers = data.distribution(item)
        total = sum(n for _, n in answers)
        view = EvaluationView(item, answers, total)
        if item.kind in TEXT_TYPES and not item.order:
            view.texts = answers
        else:
            numbers = []
            for answer, count in answers:
                try:
                    numbers += [float(answer)] * count
                except ValueError:
                    numbers = []
                    break
            if numbers and item.kind == "numeric":
                view.mean = f"{sum(numbers) / len(numbers):.1f}"
            view.chart = answer_chart(index, item.prompt or item.interaction_id, answers,
                                      total)
        views.append(view)
    return views


def answer_chart(index: int, prompt: str, answers: list[tuple[str, int]], total: int) -> Markup:
    """One evaluation question's answers as a bar list, each bar with its count and share."""
    top = max((n for _, n in answers), default=0)
    return charts.bar_list(
        f"evaluation-{index}", [(a, n, f"{n} ({percent(n, total) or 0}%)") for a, n in answers],
        top, f"Answers to: {prompt}",
        f"{total} answers. " + "; ".join(f"{a}: {n}" for a, n in answers),
        css="bar bar--evaluation")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


@dataclass
class CollectorItemView:
    item: Item
    answers: list[tuple[str, int]]
    total: int
    chart: Markup | None = None
    mean: str = ""


@dataclass(frozen=True)
class KeyCheck:
    """What the collector said when the report tried to read with the published key."""

    danger: bool
    message: str


def render_collector(results: Results, title: str, filters: list[tuple[str, str]],
                     source: str, key_check: KeyCheck | None = None,
                     generated: datetime | None = None) -> str:
    """report.html for ``course-builder report --collector``: evaluation answers only."""
    items = []
    if results.shown:
        for index, item in enumerate(results.ordered_items()):
            answers = results.distribution(item)
            total = results.answered(item)
            view = CollectorItemView(item, answers, total)
            mean = results.mean(item)
            if mean is not None:
                view.mean = f"{mean:.1f}"
            if not item.is_text:
                view.chart = answer_chart(index, item.prompt or item.interaction_id, answers,
                                          total)
            items.append(view)
    numeric = [i for i in results.ordered_items() if i.kind == "numeric"]
    breakdowns = []
    for dimension, label in DIMENSIONS:
        groups = results.breakdown(dimension)
        table = None
        if groups:
            table = []
            for group, submissions in groups:
                row = [group, str(len(submissions))]
                for item in numeric:
                    mean = results.mean(item, submissions)
                    enough = results.answered(item, submissions) >= MIN_GROUP
                    row.append(f"{mean:.1f}" if mean is not None and enough else "-")
                table.append(row)
        breakdowns.append((label, table))
    months = sorted({s.month for s in results.submissions.values()}) if results.shown else []
    return _environment().get_template("evaluation.html.j2").render(
        title=title, course_id=results.course_id, source=source, filters=filters,
        generated=f"{(generated or datetime.now(timezone.utc)):%Y-%m-%d %H:%M} UTC",
        key_check=key_check, results=results, items=items, numeric=numeric,
        breakdowns=breakdowns, min_group=MIN_GROUP,
        months=[charts.month_label(m) for m in months],
        ignored=sorted(results.ignored.items(), key=lambda p: (-p[1], p[0])),
        ignored_total=sum(results.ignored.values()))


def render(data: Aggregator, title: str, filters: list[tuple[str, str]], source: str,
           generated: datetime | None = None) -> str:
    totals = data.totals()
    months = data.trained_per_month()
    cumulative, running = [], 0
    for month, count in months:
        running += count
        cumulative.append((month, running))
    judged = totals["passed"] + totals["failed"]
    no_result = totals["learners"] - judged
    questions = question_rows(data)
    hardest = sorted(questions, key=lambda r: (float(r[5] or 0), r[0]))

    context: dict[str, Any] = {
        "title": title,
        "course_id": data.course_id,
        "generated": f"{(generated or datetime.now(timezone.utc)):%Y-%m-%d %H:%M} UTC",
        "filters": filters,
        "source": source,
        "totals": totals,
        "pass_rate": percent(totals["passed"], judged),
        "first": f"{data.first:%Y-%m-%d}" if data.first else "",
        "last": f"{data.last:%Y-%m-%d}" if data.last else "",
        "months": [(charts.month_label(m), n, c)
                   for (m, n), (_, c) in zip(months, cumulative, strict=True)],
        "monthly_chart": charts.column_chart(
            "trained-monthly", months, "People trained per month",
            "Learners by the month they first completed the course. "
            + "; ".join(f"{charts.month_label(m)}: {n}" for m, n in months)) if months else None,
        "cumulative_chart": charts.line_chart(
            "trained-cumulative", cumulative, "People trained in total, by month",
            f"Running total of learners who completed the course: {running} by "
            f"{charts.month_label(months[-1][0])}." if months else "") if months else None,
        "pass_chart": charts.stacked_bar(
            "pass-rate", [("Passed", totals["passed"], "bar bar--passed"),
                          ("Failed", totals["failed"], "bar bar--failed"),
                          ("No result yet", no_result, "bar bar--none")],
            "Results", f"Of {totals['learners']} learners, {totals['passed']} passed, "
            f"{totals['failed']} failed and {no_result} have no result yet.")
        if totals["learners"] else None,
        "variants": variant_rows(data),
        "questions": questions,
        "question_chart": charts.bar_list(
            "question-difficulty",
            [(f"{r[0]}: {r[1]}" if r[1] else r[0], float(r[5] or 0), f"{r[5] or 0}% right")
             for r in hardest], 100,
            "Question difficulty: share of answers that were right, hardest first",
            "; ".join(f"{r[0]}: {r[5] or 0}% of {r[3]} answers right" for r in hardest),
            css="bar bar--question") if questions else None,
        "evaluation": _evaluation(data),
        "submissions": sorted((unquote(activity.rsplit("/", 1)[-1])[:-len(SUBMITTED_SUFFIX)],
                               len(actors))
                              for activity, actors in data.submissions.items()),
    }
    return _environment().get_template("report.html.j2").render(**context)
