"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from course_builder.bundled import default_course_dir

course_dir_argument = click.argument(
    "course_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
strict_option = click.option("--strict", is_flag=True,
                             help="Treat warnings as errors (for release builds).")


def course_dir_or_default(course_dir: Path | None) -> Path:
    return course_dir if course_dir is not None else default_course_dir()
