"""``course-builder plugins``: the content types a course can use, and where each comes from."""

from __future__ import annotations

from pathlib import Path

import click

from course_builder.bundled import default_course_dir
from course_builder.commands._options import course_dir_argument
from course_builder.diagnostics import Reporter
from course_builder.registry import discover


@click.command("plugins")
@course_dir_argument
def plugins_command(course_dir: Path | None) -> None:
    """List content types with their origin and version (a course's own plugins/ included)."""
    # Listing content types is harmless anywhere: outside a course, the built-ins are listed.
    course_dir = course_dir or default_course_dir()
    reporter = Reporter()
    registry = discover(course_dir, reporter)
    rows = [(t.name, t.version, t.origin) for t in registry]
    width = max([len(r[0]) for r in rows] + [4])
    click.echo(f"{'TYPE'.ljust(width)}  VERSION  ORIGIN")
    for name, version, origin in rows:
        click.echo(f"{name.ljust(width)}  {version.ljust(7)}  {origin}")
    for diagnostic in reporter.sorted():
        click.echo(diagnostic.format(course_dir), err=True)
    if reporter.errors:
        raise SystemExit(1)
