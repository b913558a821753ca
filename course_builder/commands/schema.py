"""``course-builder schema``: JSON Schema files that let editors check course files as you type."""

from __future__ import annotations

from pathlib import Path

import click

from course_builder.commands._options import course_dir_argument
from course_builder.diagnostics import Reporter
from course_builder.editor_schema import COURSE_SCHEMA, SCHEMA_DIR, write_schemas
from course_builder.errors import CourseBuilderError
from course_builder.registry import discover


@click.command("schema")
@course_dir_argument
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help=f"Folder for the schema files (default: {SCHEMA_DIR}/ in the course folder).")
def schema_command(course_dir: Path | None, out_dir: Path | None) -> None:
    """Write course.schema.json and module.schema.json for editors.

    The schemas know every content type the course can use (built-in, installed, and the
    course's own plugins/ folder). Files made by `course-builder new` already point at them;
    run this again after adding or installing a plugin."""
    if course_dir is None:
        course_dir = Path.cwd()
    reporter = Reporter()
    registry = discover(course_dir if (course_dir / "course.yaml").is_file() else None, reporter)
    for diagnostic in reporter.sorted():
        click.echo(diagnostic.format(course_dir), err=True)
    if reporter.errors:
        raise CourseBuilderError("a plugin could not be loaded, so the schema would be "
                                 "incomplete; nothing was written")
    written = write_schemas(registry, out_dir or course_dir / SCHEMA_DIR)
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(list(registry))} content types. Start a YAML file with\n"
               f"  # yaml-language-server: $schema=<path to {COURSE_SCHEMA} or the module "
               "schema>\nso that editors with a YAML language server check it as you type.")
