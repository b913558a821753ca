"""Loading a course for the translation commands: parse and validate it once, then find its
translatable strings in the located tree."""

from __future__ import annotations

from pathlib import Path

from course_builder.diagnostics import Reporter
from course_builder.i18n.exchange import CourseText, course_text
from course_builder.i18n.units import collect_units
from course_builder.pipeline.load import load
from course_builder.pipeline.validate import validate
from course_builder.registry import discover


def read_course_text(course_dir: Path, reporter: Reporter) -> CourseText | None:
    """The course's translatable text, or None (with errors reported) if it does not validate:
    only a valid course has a text worth translating."""
    registry = discover(course_dir, reporter)
    raw = load(course_dir, reporter)
    if raw is None:
        return None
    course = validate(raw, registry, reporter)
    if course is None or reporter.failed:
        return None
    return course_text(course, collect_units(raw, registry))
