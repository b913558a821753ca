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
from course_builder.commands.build import check_course
from course_builder.diagnostics import Reporter


@click.command("validate")
@course_dir_argument
@strict_option
@example_option
def validate_command(course_dir: Path | None, strict: bool, example: bool) -> None:
    """Check a course for errors without building it."""
    course_dir = course_dir_or_default(course_dir, example)
    reporter = Reporter(strict=strict)
    course = check_course(course_dir, reporter).course
    for diagnostic in reporter.sorted():
        click.echo(diagnostic.format(course_dir), err=True)
    click.echo(f"{course_dir / 'course.yaml'}: OK: {len(course.modules)} modules, "
               f"{len(course.pages)} pages, {len(course.blocks)} blocks; "
               f"{len(reporter.warnings)} warning(s).")
