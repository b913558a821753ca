"""The report's tables as rows, and the three CSV files written from them.

The same rows feed the HTML report, so a figure on a chart is always the figure in a CSV.
Times are UTC, written ``YYYY-MM-DD HH:MM:SS`` (what spreadsheets read as a date and time);
percentages have at most one decimal place.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from course_builder.report.aggregate import Aggregator, Learner
from course_builder.report.evaluation import DIMENSIONS, MIN_GROUP, Results

COMPLETIONS_HEADER = ["learner", "identified_by", "name", "first_launch_utc", "completed_utc",
                      "result", "result_utc", "best_score_percent", "attempts", "total_time",
                      "variant"]
VARIANTS_HEADER = ["variant", "learners", "completed", "passed", "failed", "pass_rate_percent",
                   "mean_best_score_percent"]
NO_VARIANT = "(none)"  # statements from a package of the course without a variant
QUESTIONS_HEADER = ["question", "prompt", "type", "answered", "correct", "percent_correct",
                    "most_common_wrong_answer", "times_given"]
EVALUATION_HEADER = ["item", "prompt", "type", "answer", "count", "percent"]
GROUPS_HEADER = ["breakdown", "group", "responses", "item", "prompt", "answer", "count",
                 "percent"]


def percent(part: float, whole: float) -> str:
    """``"66.7"``, ``"50"``; empty when there is nothing to divide by."""
    if not whole:
        return ""
    text = f"{100 * part / whole:.1f}"
    return text[:-2] if text.endswith(".0") else text


def when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment else ""


def hms(seconds: float) -> str:
    """``"1:02:03"``: hours, minutes and whole seconds (rounded)."""
    total = int(round(seconds))
    return f"{total // 3600}:{total // 60 % 60:02d}:{total % 60:02d}"


def completion_rows(data: Aggregator) -> list[list[str]]:
    def order(learner: Learner) -> tuple[str, str, str]:
        return (when(learner.first_seen) or "9", learner.identified_by, learner.identifier)

    groups = data.variant_groups

    def variants(learner: Learner) -> str:
        key = (learner.identified_by, learner.identifier)
        return ";".join(name for name, group in groups.items() if name and key in group.learners)

    return [[p.identifier, p.identified_by, p.name, when(p.first_seen), when(p.completed),
             p.result, when(p.result_at),
             percent(p.best_scaled, 1) if p.best_scaled is not None else "",
             str(p.attempts), hms(p.seconds), variants(p)]
            for p in sorted(data.learners.values(), key=order)]


def variant_rows(data: Aggregator) -> list[list[str]]:
    """variants.csv: learners, completions, results and the mean best score of each variant
    (``variants:`` in course.yaml), to compare trusts. Learners are counted in each variant
    they took; the figures are about learners, as completions.csv is, so no group is too
    small to show."""
    rows = []
    for name, group in data.variant_groups.items():
        totals = group.totals()
        scores = [p.best_scaled for p in group.learners.values() if p.best_scaled is not None]
        mean = sum(scores) / len(scores) if scores else None
        rows.append([name or NO_VARIANT, str(totals["learners"]), str(totals["completed"]),
                     str(totals["passed"]), str(totals["failed"]),
                     percent(totals["passed"], totals["passed"] + totals["failed"]),
                     percent(mean, 1) if mean is not None else ""])
    return rows


def question_rows(data: Aggregator) -> list[list[str]]:
    rows = []
    for q in data.questions:
        wrong = sorted(q.wrong.items(), key=lambda pair: (-pair[1], pair[0]))
        common, times = (q.describe(wrong[0][0]), str(wrong[0][1])) if wrong else ("", "")
        rows.append([q.interaction_id, q.prompt, q.kind, str(q.answered), str(q.correct),
                     percent(q.correct, q.judged), common, times])
    return rows


def evaluation_rows(data: Aggregator) -> list[list[str]]:
    rows = []
    for item in data.evaluation_items:
        answers = data.distribution(item)
        total = sum(n for _, n in answers)
        for answer, count in answers:
            rows.append([item.interaction_id, item.prompt, item.kind, answer, str(count),
                         percent(count, total)])
    return rows


def collector_rows(results: Results) -> list[list[str]]:
    """evaluation.csv from the collector: every answer to every question, only once there are
    MIN_GROUP submissions (none before)."""
    if not results.shown:
        return []
    rows = []
    for item in results.ordered_items():
        answers = results.distribution(item)
        total = results.answered(item)
        for answer, count in answers:
            rows.append([item.interaction_id, item.prompt, item.kind, answer, str(count),
                         percent(count, total)])
    return rows


def group_rows(results: Results) -> list[list[str]]:
    """evaluation-groups.csv: the answers by course version, by month and by variant, for
    groups of at least MIN_GROUP submissions (see Results.breakdown); free text is never
    broken down, and a question answered by fewer than MIN_GROUP people in a group is left out
    of that group."""
    rows = []
    for dimension, _label in DIMENSIONS:
        for group, submissions in results.breakdown(dimension) or []:
            for item in results.ordered_items():
                answered = results.answered(item, submissions)
                if item.is_text or answered < MIN_GROUP:
                    continue
                for answer, count in results.distribution(item, submissions):
                    rows.append([dimension, group, str(len(submissions)), item.interaction_id,
                                 item.prompt, answer, str(count), percent(count, answered)])
    return rows


def write_collector_csvs(results: Results, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, header, rows in (("evaluation.csv", EVALUATION_HEADER, collector_rows(results)),
                               ("evaluation-groups.csv", GROUPS_HEADER, group_rows(results))):
        write_csv(out_dir / name, header, rows)
        written.append(out_dir / name)
    return written


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Learners' free text goes into these files: a cell that a spreadsheet would run as a
    formula (``=HYPERLINK(...)``) gets a leading apostrophe (OWASP "CSV injection"). Numbers,
    negative ones included, are left alone."""
    if value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    # utf-8-sig: Excel on the trust's PCs opens the file with the right characters.
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([safe_cell(cell) for cell in row] for row in rows)


def write_csvs(data: Aggregator, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, header, rows in (("completions.csv", COMPLETIONS_HEADER, completion_rows(data)),
                               ("questions.csv", QUESTIONS_HEADER, question_rows(data)),
                               ("evaluation.csv", EVALUATION_HEADER, evaluation_rows(data))):
        write_csv(out_dir / name, header, rows)
        written.append(out_dir / name)
    if data.variant_groups:  # only for a course with variants
        write_csv(out_dir / "variants.csv", VARIANTS_HEADER, variant_rows(data))
        written.append(out_dir / "variants.csv")
    return written
