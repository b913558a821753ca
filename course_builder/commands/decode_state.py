"""``course-builder decode-state``: a learner's saved progress, readable, for support staff."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from course_builder import state
from course_builder.bundled import default_course_dir
from course_builder.commands.build import load_course
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseBuilderError


@click.command("decode-state")
@click.argument("suspend_data", required=False)
@click.option("--course", "course_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The course the data came from, to name pages and questions "
              "(default: this folder's course, else the bundled one).")
@click.option("--raw", is_flag=True, help="Decode without reading any course.")
def decode_state_command(suspend_data: str | None, course_dir: Path | None, raw: bool) -> None:
    """Turn suspend_data copied from an LMS into readable JSON ("I lost my progress").

    Give the text as an argument, or '-' (or nothing) to read it from standard input."""
    if suspend_data in (None, "-"):
        # Never more than the longest saved state and a little: a wrong file is not read whole.
        try:
            suspend_data = sys.stdin.read(state.MAX_INPUT + 1024)
        except UnicodeDecodeError as exc:
            raise CourseBuilderError("standard input is not text: saved state is letters, "
                                     "digits and ~ . _ - * =") from exc
    try:
        state.parse(suspend_data or "")  # before the course is loaded: refused input is quick
    except ValueError as exc:
        raise CourseBuilderError(str(exc)) from exc
    course = None
    if not raw:
        course = load_course(course_dir or default_course_dir(), Reporter())
    decoded = state.decode(suspend_data or "", course)
    click.echo(json.dumps(decoded, indent=2, ensure_ascii=False))
