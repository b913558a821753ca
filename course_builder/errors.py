"""Expected errors. They print without a traceback; anything else is a bug and shows one."""

from __future__ import annotations

from pathlib import Path

import click

from course_builder.diagnostics import Diagnostic, Level


class CourseBuilderError(click.ClickException):
    """An error the user can fix; click prints its message and exits with status 1."""


class CourseInvalid(CourseBuilderError):
    """The course has errors; every one of them is in ``diagnostics``."""

    def __init__(self, diagnostics: list[Diagnostic], root: Path | None = None) -> None:
        self.diagnostics = diagnostics
        errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
        # notes are information only: the passing run does not count them either
        warnings = sum(1 for d in diagnostics if d.level is Level.WARNING)
        lines = [d.format(root) for d in diagnostics]
        summary = f"{errors} error(s), {warnings} warning(s); nothing was written."
        super().__init__("\n".join(lines + [summary]))

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(self.format_message(), err=True)


class PluginFailure(RuntimeError):
    """A plugin raised an unexpected exception: a bug, shown with its traceback (not a
    CourseBuilderError). Raised by the one guard around plugin calls, ``Block.guard``."""
