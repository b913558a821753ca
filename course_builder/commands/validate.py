"""``course-builder validate``: every check the build makes, writing nothing."""

from __future__ import annotations

from pathlib import Path

import click

from course_builder.commands._options import (
    course_dir_argument,
    course_dir_or_default,
    example_option,
    strict_option,
)
from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseInvalid
from course_builder.pipeline.render import render_content
from course_builder.pipeline.resolve import resolve
from course_builder.targets import TARGETS


@click.command("validate")
@course_dir_argument
@strict_option
@example_option
def validate_command(course_dir: Path | None, strict: bool, example: bool) -> None:
    """Check a course for errors without building it."""
    course_dir = course_dir_or_default(course_dir, example)
    reporter = Reporter(strict=strict)
    course = load_course(course_dir, reporter)
    for name in course.config.outputs:
        resolve(course, TARGETS[name](), reporter)
    render_content(course, reporter)
    if reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    for diagnostic in reporter.sorted():
        click.echo(diagnostic.format(course_dir), err=True)
    click.echo(f"{course_dir / 'course.yaml'}: OK: {len(course.modules)} modules, "
               f"{len(course.pages)} pages, {len(course.blocks)} blocks; "
               f"{len(reporter.warnings)} warning(s).")
