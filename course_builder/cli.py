"""The ``course-builder`` command. Each verb lives in its own module under ``commands/``."""

from __future__ import annotations

import click

from course_builder import __version__
from course_builder.commands.build import build_command
from course_builder.commands.decode_state import decode_state_command
from course_builder.commands.new import new_command
from course_builder.commands.plugins import plugins_command
from course_builder.commands.preview import preview_command
from course_builder.commands.report import report_command
from course_builder.commands.schema import schema_command
from course_builder.commands.validate import validate_command

EPILOG = """\b
Examples:
  course-builder                      build the course in this folder
  course-builder build --example      build the example course that comes with course-builder
  course-builder build my-course      build my-course/ into build/
  course-builder build -f scorm12     only the SCORM 1.2 zip
  course-builder validate my-course   check without building
  course-builder new course my-course start a new course from a small example
  course-builder preview my-course    see it in your browser; it updates as you save
  course-builder plugins              list the content types you can use
  course-builder decode-state '1~...' read a learner's saved progress
  course-builder report --since 2026-01-01   completions and evaluations from an LRS
"""


@click.group(invoke_without_command=True, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="course-builder")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Compile e-learning courses written as YAML modules into packages any LMS can host:
    SCORM 1.2, SCORM 2004 (4th and 3rd Edition), xAPI (Tin Can) and cmi5."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(build_command)


main.add_command(build_command)
main.add_command(validate_command)
main.add_command(plugins_command)
main.add_command(decode_state_command)
main.add_command(report_command)
main.add_command(schema_command)
main.add_command(new_command)
main.add_command(preview_command)
