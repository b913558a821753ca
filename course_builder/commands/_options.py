"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from course_builder.bundled import bundled_course_dir
from course_builder.errors import CourseBuilderError

course_dir_argument = click.argument(
    "course_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
strict_option = click.option("--strict", is_flag=True,
                             help="Treat warnings as errors (for release builds).")
example_option = click.option(
    "--example", is_flag=True,
    help="Use the example course that comes with course-builder (not for use as your own).")


class NoCourseHere(CourseBuilderError):
    """The command was run in a folder without ``course.yaml`` and given no course."""


def course_dir_or_default(course_dir: Path | None, example: bool = False) -> Path:
    """The course a command works on: the folder given, the bundled example with ``--example``,
    else the current folder, which must hold a ``course.yaml``: the example is never used
    unless asked for by name."""
    command = click.get_current_context(silent=True)
    # As the user types it, whatever name the program was started under (python -m, tests).
    name = f"course-builder {command.info_name}" if command is not None else "course-builder"
    if example:
        if course_dir is not None:
            raise click.UsageError("give a course folder or --example, not both")
        return bundled_course_dir()
    if course_dir is not None:
        return course_dir
    here = Path.cwd()
    if (here / "course.yaml").is_file():
        return here
    takes_example = command is not None and any(
        param.name == "example" for param in command.command.params)
    hint = f"run this in your course's folder, or give the folder: {name} path/to/course"
    if takes_example:
        hint += (f"; to use the example course that comes with course-builder, run: "
                 f"{name} --example")
    raise NoCourseHere(f"no course.yaml in {here}, so there is no course here\n    hint: {hint}")
