"""``course-builder build``: load, validate, resolve, render, package - in that order."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import click

from course_builder.commands._options import (
    course_dir_argument,
    course_dir_or_default,
    example_option,
    strict_option,
)
from course_builder.diagnostics import Level, Reporter
from course_builder.errors import CourseInvalid
from course_builder.i18n import build as i18n_build
from course_builder.i18n.words import speaking
from course_builder.lint import lint_course
from course_builder.model import Course
from course_builder.pipeline.load import load
from course_builder.pipeline.package import staging, write_zip
from course_builder.pipeline.render import RenderedContent, render_content, render_package
from course_builder.pipeline.resolve import Resolved, resolve
from course_builder.pipeline.validate import validate
from course_builder.registry import discover
from course_builder.targets import TARGETS


@dataclass
class BuildResult:
    course: Course
    packages: list[tuple[str, Path, int]] = field(default_factory=list)  # target, path, bytes
    seconds: float = 0.0
    reporter: Reporter | None = None


@dataclass
class Checked:
    """A course that passed every check, bound to each format asked for."""

    course: Course
    resolved: list[Resolved]
    content: RenderedContent


def load_course(course_dir: Path, reporter: Reporter) -> Course:
    """Load, validate and lint; raises CourseInvalid with every problem found. (Commands that
    build or check everything use :func:`check_course`, which also renders.)"""
    course = _validated(course_dir, reporter)
    if course is None or reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    return course


def _validated(course_dir: Path, reporter: Reporter) -> Course | None:
    registry = discover(course_dir, reporter)
    raw = load(course_dir, reporter)
    if raw is None:
        return None
    course = validate(raw, registry, reporter)
    lint_course(raw, reporter)  # the located tree, whatever validation made of it
    return course


def check_course(course_dir: Path, reporter: Reporter,
                 formats: Sequence[str] | None = None) -> Checked:
    """Every check in one pass over whatever parsed: syntax, fields, block rules, references,
    files (Markdown images at their own line), the safe-messaging lint, and each format's
    limits; then raises CourseInvalid once with everything found. Course-level checks run
    once, before the per-format ones, so no message is repeated per format."""
    course = _validated(course_dir, reporter)
    if course is None:
        raise CourseInvalid(reporter.sorted(), course_dir)
    with speaking(i18n_build.words(course, course.config.language)):
        return _checked(course, course_dir, reporter, formats)


def _checked(course: Course, course_dir: Path, reporter: Reporter,
             formats: Sequence[str] | None) -> Checked:
    names = list(formats or course.config.outputs)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        reporter.error(f"unknown output format(s): {', '.join(unknown)}",
                       hint=f"choose from {', '.join(TARGETS)}")
    resolved = [r for name in names if name in TARGETS
                if (r := resolve(course, TARGETS[name](), reporter)) is not None]
    content = render_content(course, reporter)
    if reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    return Checked(course, resolved, content)


def build(course_dir: Path, out_dir: Path, formats: Sequence[str] | None = None,
          strict: bool = False,
          progress: Callable[[str], None] | None = None,
          languages: Sequence[str] | None = None) -> BuildResult:
    """Build the packages of a course into ``out_dir``; nothing is written unless all succeed.

    ``languages``: the languages to build (``["all"]`` for every one); default: those of
    course.yaml's ``languages`` not marked draft (course_builder/i18n/build.py)."""
    started = time.perf_counter()
    reporter = Reporter(strict=strict)
    checked = check_course(course_dir, reporter, formats)
    course = checked.course
    work: list[tuple[i18n_build.Edition, list[Resolved], RenderedContent]] = []
    for edition in i18n_build.editions(course, languages, reporter):
        if edition.course is course:
            work.append((edition, checked.resolved, checked.content))
            continue
        # Another language's own problems only: what it shares with the source (a format's
        # limits, a missing alt text) was reported once, for the source.
        heard = i18n_build.ErrorsOnly(reporter)
        with speaking(edition.words):
            resolved = [r for item in checked.resolved
                        if (r := resolve(edition.course, type(item.target)(), heard)) is not None]
            work.append((edition, resolved, render_content(edition.course, heard)))
    if reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    build_result = BuildResult(course, reporter=reporter)
    with staging(out_dir) as temp, ThreadPoolExecutor(max_workers=1) as zipper:
        previous: tuple[str, Path, Future[None]] | None = None
        for edition, resolved, content in work:
            with speaking(edition.words):
                for item in resolved:
                    if progress:
                        progress(item.target.label + edition.label)
                    files = render_package(item, content)
                    files.update(item.target.extra_files(edition.course, sorted(files)))
                    # zlib compresses without holding the GIL: this format rendered on one core
                    # while the previous one was zipped on the other (the zips' bytes are the
                    # same). One zip at a time, so the first that fails stops the build.
                    if previous is not None:
                        _finish(previous, out_dir, build_result)
                    destination = temp / item.target.file_name(edition.course)
                    previous = (item.target.name, destination,
                                zipper.submit(write_zip, files, destination))
            i18n_build.report_missing_words(edition.words, reporter)
        if previous is not None:
            _finish(previous, out_dir, build_result)
        if reporter.failed:  # --strict, and words of the tool's that have no translation
            raise CourseInvalid(reporter.sorted(), course_dir)
    build_result.seconds = time.perf_counter() - started
    return build_result


def _finish(zipping: tuple[str, Path, Future[None]], out_dir: Path,
            result: BuildResult) -> None:
    name, destination, done = zipping
    done.result()  # raises what writing the zip raised
    result.packages.append((name, out_dir / destination.name, destination.stat().st_size))


@click.command("build")
@course_dir_argument
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(sorted(TARGETS)),
              help="Package to build (repeat for several). Default: `outputs` in course.yaml.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Folder for the packages.")
@click.option("--lang", "languages", multiple=True, metavar="TAG",
              help="Language to build (repeat for several; `all` for every one). Default: "
              "course.yaml's `languages` not marked draft.")
@strict_option
@example_option
def build_command(course_dir: Path | None, formats: tuple[str, ...], out_dir: Path,
                  languages: tuple[str, ...], strict: bool, example: bool) -> None:
    """Build a course's packages (default: the course in this folder).

    Nothing is written when the course has an error; every error is listed."""
    course_dir = course_dir_or_default(course_dir, example)
    if example:
        click.echo(f"Building the example course that comes with course-builder ({course_dir}). "
                   "It shows what the tool can do; it is not your course.", err=True)
    show_progress = sys.stderr.isatty()

    def progress(label: str) -> None:
        if show_progress:
            click.echo(f"  packaging {label}...", err=True)

    result = build(course_dir, out_dir, formats or None, strict, progress, languages or None)
    if result.reporter:
        shown = [d for d in result.reporter.sorted() if d.level is not Level.ERROR]
        for diagnostic in shown:
            click.echo(diagnostic.format(course_dir), err=True)
    for _target, path, size in result.packages:
        click.echo(f"{path}  ({size / 1024:.0f} KiB)")
    click.echo(f"Built {len(result.packages)} package(s) of '{result.course.config.title}' "
               f"in {result.seconds:.2f} s.")
