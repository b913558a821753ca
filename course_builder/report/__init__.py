"""``course-builder report``: an LRS's statements about a course, as figures people can use.

The pipeline reads top to bottom like the build: :func:`~course_builder.report.lrs.statements`
pages through the LRS (one page in memory at a time), :class:`~course_builder.report.aggregate
.Aggregator` folds each statement into per-learner, per-question and per-item counts,
:mod:`~course_builder.report.tables` writes ``completions.csv``, ``questions.csv`` and
``evaluation.csv``, and :mod:`~course_builder.report.html` writes ``report.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_builder.report import html, tables
from course_builder.report.aggregate import Aggregator

__all__ = ["Aggregator", "ReportResult", "module_units", "write_report"]


@dataclass
class ReportResult:
    data: Aggregator
    files: list[Path] = field(default_factory=list)


def module_units(course_yaml: dict[str, Any]) -> list[str] | None:
    """The module AUs of a course built with one cmi5 AU per module (``cmi5: {au_per_module:
    true}`` in course.yaml): its module slugs; None for any other course. Give them to
    :func:`write_report` as ``units`` so a learner counts as having completed the course only
    when every module AU is completed."""
    options = course_yaml.get("cmi5")
    modules = course_yaml.get("modules")
    if not (isinstance(options, dict) and options.get("au_per_module") is True
            and isinstance(modules, list)):
        return None
    return [str(slug) for slug in modules]


def write_report(statements: Iterable[dict[str, Any]], course_id: str, out_dir: Path,
                 title: str = "", language: str | None = None,
                 filters: list[tuple[str, str]] | None = None, source: str = "",
                 each: Callable[[], None] | None = None,
                 units: Iterable[str] | None = None) -> ReportResult:
    """Aggregate ``statements`` (any iterable, consumed once) and write the four files.

    ``units``: the module slugs when the course has one cmi5 AU per module (see
    :func:`module_units`); without them the module AUs are those found in the statements."""
    data = Aggregator(course_id, language, units)
    for statement in statements:
        if isinstance(statement, dict):
            data.add(statement)
        if each is not None:
            each()
    out_dir.mkdir(parents=True, exist_ok=True)
    files = tables.write_csvs(data, out_dir)
    page = html.render(data, title or data.course_title or course_id, filters or [], source)
    (out_dir / "report.html").write_text(page, encoding="utf-8")
    files.append(out_dir / "report.html")
    return ReportResult(data, files)
