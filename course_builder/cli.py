"""The ``course-builder`` command. Each verb lives in its own module under ``commands/``, imported
only when it runs (or when ``--help`` lists it): ``build`` does not pay for ``report``'s HTTP
client or ``preview``'s server."""

from __future__ import annotations

import importlib

import click

from course_builder import __version__

#: verb -> "module:attribute" of its click command
COMMANDS = {
    "build": "course_builder.commands.build:build_command",
    "validate": "course_builder.commands.validate:validate_command",
    "plugins": "course_builder.commands.plugins:plugins_command",
    "decode-state": "course_builder.commands.decode_state:decode_state_command",
    "report": "course_builder.commands.report:report_command",
    "schema": "course_builder.commands.schema:schema_command",
    "new": "course_builder.commands.new:new_command",
    "preview": "course_builder.commands.preview:preview_command",
    "translate": "course_builder.commands.translate:translate_command",
}


class _LazyGroup(click.Group):
    """A group that imports a verb's module when the verb is used (click's documented pattern,
    "Lazily Loading Subcommands")."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

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


@click.group(cls=_LazyGroup, invoke_without_command=True, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="course-builder")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Compile e-learning courses written as YAML modules into packages any LMS can host:
    SCORM 1.2, SCORM 2004 (4th and 3rd Edition), xAPI (Tin Can) and cmi5."""
    if ctx.invoked_subcommand is None:
        from course_builder.commands.build import build_command

        ctx.invoke(build_command)
