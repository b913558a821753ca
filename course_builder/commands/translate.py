"""``course-builder translate export|import|status``: a course's text to and from translators.

Every translatable string (titles, Markdown, alt text, quiz options and feedback, support
contacts...) goes out as a gettext PO or XLIFF 2.0 file that translators' tools open, and comes
back into ``translations/<lang>.po`` or ``.xlf`` beside ``course.yaml``, which the build reads.
See docs/translating.md.
"""

from __future__ import annotations

from pathlib import Path

import click

from course_builder.commands._options import (
    course_dir_argument,
    course_dir_or_default,
    example_option,
)
from course_builder.diagnostics import Reporter
from course_builder.errors import CourseBuilderError, CourseInvalid
from course_builder.i18n.catalog import State, status
from course_builder.i18n.exchange import (
    FORMATS,
    CourseText,
    export,
    import_file,
    load_catalog,
    stored_file,
)
from course_builder.i18n.prepare import read_course_text


def _course(course_dir: Path) -> CourseText:
    """The course's text; its own notes and warnings are left to build and validate."""
    checked = Reporter()
    text = read_course_text(course_dir, checked)
    if text is None or checked.failed:
        raise CourseInvalid(checked.sorted(), course_dir)
    return text


def _languages(text: CourseText, lang: str | None) -> list[str]:
    if lang is None:
        if len(text.languages) < 2:
            raise CourseBuilderError(
                "this course has one language; list the languages it is offered in first, "
                "e.g. `languages: [en-GB, cy]` in course.yaml (the first is the one it is "
                "written in)")
        return list(text.languages[1:])
    if lang not in text.languages[1:]:
        raise CourseBuilderError(
            f"'{lang}' is not one of the languages this course is translated into "
            f"({', '.join(text.languages[1:]) or 'none yet'}); add it to `languages` in "
            "course.yaml")
    return [lang]


def _echo_notes(reporter: Reporter, root: Path) -> None:
    for diagnostic in reporter.sorted():
        click.echo(diagnostic.format(root), err=True)


@click.group("translate")
def translate_command() -> None:
    """Move a course's text to and from translators (PO or XLIFF 2.0 files)."""


@translate_command.command("export")
@course_dir_argument
@click.option("--lang", "lang", required=True, help="The language to translate into, e.g. cy.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="po (Poedit, Weblate...) or xliff (XLIFF 2.0: OmegaT, Trados, memoQ...). "
              "Default: the format of the course's file, else po.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write a copy here instead of updating translations/<lang>.po|.xlf.")
def export_command(course_dir: Path | None, lang: str, fmt: str | None,
                   out: Path | None) -> None:
    """Write every translatable string of the course, with the translations so far.

    Without -o, brings the course's own translations/<lang> file up to date: new strings are
    added, strings whose English changed are marked for review, translations are kept."""
    course_dir = course_dir_or_default(course_dir)
    reporter = Reporter()
    text = _course(course_dir)
    written = export(text, lang, fmt, out, reporter)
    if written is None or reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    path, catalog = written
    _echo_notes(reporter, course_dir)
    result = status(text.units, catalog)
    click.echo(f"{path}: {len(catalog.entries)} strings for {lang} ({result.summary()}).")


@translate_command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@course_dir_argument
def import_command(file: Path, course_dir: Path | None) -> None:
    """Take a translator's PO or XLIFF file back into the course.

    The file must be for this course and name only strings it has; its translations go into
    translations/<lang>.po|.xlf (empty ones leave what is there)."""
    course_dir = course_dir_or_default(course_dir)
    reporter = Reporter()
    text = _course(course_dir)
    done = import_file(text, file, reporter)
    if done is None or reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    path, changed = done
    _echo_notes(reporter, course_dir)
    catalog = load_catalog(text, _lang_of(path), Reporter())
    click.echo(f"{path}: {changed} translation(s) changed; "
               f"{status(text.units, catalog).summary()}.")


def _lang_of(path: Path) -> str:
    return path.stem


@translate_command.command("status")
@course_dir_argument
@click.option("--lang", "lang", default=None, help="One language (default: each of them).")
@click.option("--check", is_flag=True,
              help="Exit with status 1 when a string is untranslated or stale (for CI).")
@example_option
def status_command(course_dir: Path | None, lang: str | None, check: bool,
                   example: bool) -> None:
    """List the strings still to translate, and those whose English changed since."""
    course_dir = course_dir_or_default(course_dir, example)
    reporter = Reporter()
    text = _course(course_dir)
    incomplete = False
    for language in _languages(text, lang):
        catalog = load_catalog(text, language, reporter)
        if reporter.failed:
            raise CourseInvalid(reporter.sorted(), course_dir)
        result = status(text.units, catalog)
        path = stored_file(text.root, language)
        where = path.relative_to(text.root).as_posix() if path else "no translations file yet"
        click.echo(f"{language}: {result.summary()} ({where})")
        for unit, state in result.states:
            if state is State.TRANSLATED:
                continue
            incomplete = True
            why = " (the source text changed since it was translated)" \
                if state is State.STALE else ""
            click.echo(f"  {unit.file}:{unit.line}:{unit.column}: {state.value}: "
                       f"{unit.context}{why}")
        for context in result.obsolete:
            entry = catalog.entries[context]
            click.echo(f"  {where}:{entry.line}: obsolete: {context} (no longer in the course; "
                       "export keeps its translation as obsolete)")
    if check and incomplete:
        raise SystemExit(1)
