"""``course-builder build``: load, validate, resolve, render, package - in that order."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import click

from course_builder.commands._options import (
    course_dir_argument,
    course_dir_or_default,
    example_option,
    strict_option,
)
from course_builder.diagnostics import Diagnostic, Level, Reporter
from course_builder.errors import CourseInvalid
from course_builder.i18n import build as i18n_build
from course_builder.i18n.words import Key, Words, speaking
from course_builder.lint import lint_course
from course_builder.lms_profiles import DEFAULT as DEFAULT_LMS_PROFILE
from course_builder.lms_profiles import PROFILES as LMS_PROFILES
from course_builder.lms_profiles import runtime_data as lms_runtime_data
from course_builder.model import Course
from course_builder.pipeline.load import load
from course_builder.pipeline.package import staging, write_zip
from course_builder.pipeline.render import RenderedContent, render_content, render_package
from course_builder.pipeline.resolve import Resolved, resolve
from course_builder.pipeline.validate import validate
from course_builder.registry import Registry, discover
from course_builder.targets import TARGETS
from course_builder.variants import derive_variants, select_variants


@dataclass
class BuildResult:
    course: Course
    packages: list[tuple[str, Path, int]] = field(default_factory=list)  # target, path, bytes
    seconds: float = 0.0
    reporter: Reporter | None = None
    #: each variant built: what it changed (``north-trust: support contacts replaced (3)...``)
    variants: list[str] = field(default_factory=list)


@dataclass
class BuildUnit:
    """One course to package in every format asked for: the course itself or one of its
    variants (its packages go into a folder named after the variant), in one language.
    ``content`` is rendered by :func:`check_course` (``render=True``) or when the unit is
    packaged."""

    course: Course
    resolved: list[Resolved]
    content: RenderedContent | None = None
    folder: str = ""  # "" or the variant's id
    summary: str | None = None
    words: Words | None = None  # the tool's words in the unit's language (None: the source's)
    label: str = ""  # for the progress line: " (northmoor)", " (cy)"


@dataclass
class Checked:
    """A course that passed every check, and what to package: the course itself, or each of
    its variants (``variants:`` in course.yaml; course_builder/variants/), in its source
    language."""

    course: Course
    registry: Registry
    units: list[BuildUnit]
    formats: list[str] = field(default_factory=list)
    variants: Sequence[str] = ()


def load_course(course_dir: Path, reporter: Reporter) -> Course:
    """Load, validate and lint; raises CourseInvalid with every problem found. (Commands that
    build or check everything use :func:`check_course`, which also renders.)"""
    course = _validated(course_dir, reporter)[1]
    if course is None or reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    return course


def _validated(course_dir: Path, reporter: Reporter) -> tuple[Registry, Course | None]:
    registry = discover(course_dir, reporter)
    raw = load(course_dir, reporter)
    if raw is None:
        return registry, None
    course = validate(raw, registry, reporter)
    lint_course(raw, reporter)  # the located tree, whatever validation made of it
    return registry, course


def check_course(course_dir: Path, reporter: Reporter,
                 formats: Sequence[str] | None = None,
                 variants: Sequence[str] = (), render: bool = True) -> Checked:
    """Every check in one pass over whatever parsed: syntax, fields, block rules, references,
    files (Markdown images at their own line), the safe-messaging lint, each variant's
    overrides, and each format's limits; then raises CourseInvalid once with everything found.
    Course-level checks run once, before the per-format ones, so no message is repeated per
    format; the shared course is parsed and validated once for all its variants
    (``variants``: only those, by id)."""
    registry, course = _validated(course_dir, reporter)
    if course is None:
        raise CourseInvalid(reporter.sorted(), course_dir)
    names = list(formats or course.config.outputs)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        reporter.error(f"unknown output format(s): {', '.join(unknown)}",
                       hint=f"choose from {', '.join(TARGETS)}")
    names = [name for name in names if name in TARGETS]
    with speaking(i18n_build.words(course, course.config.language)):
        units = _units(course, registry, reporter, names, variants)
        # Without ``render``, a course that passed is rendered as it is packaged (in parallel,
        # one process per large variant); one with errors is rendered here, so that every
        # error comes out.
        for unit in units if render or reporter.failed else ():
            unit.content = render_content(unit.course, reporter)
    if reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    return Checked(course, registry, units, names, variants)


def _units(course: Course, registry: Registry, reporter: Reporter, formats: Sequence[str],
           variants: Sequence[str]) -> list[BuildUnit]:
    """The course (or each of its variants, ``variants`` or all) bound to every format."""
    units = [BuildUnit(course, [])]
    chosen = select_variants(course.config, variants, reporter)
    if course.config.variants and not reporter.failed:
        units = [BuildUnit(v.course, [], folder=v.variant.id, summary=v.summary,
                           label=f" ({v.variant.id})")
                 for v in derive_variants(course, registry, reporter, chosen)]
    for unit in units:
        unit.resolved = [r for name in formats
                         if (r := resolve(unit.course, TARGETS[name](), reporter)) is not None]
    return units


def build(course_dir: Path, out_dir: Path, formats: Sequence[str] | None = None,
          strict: bool = False,
          progress: Callable[[str], None] | None = None,
          languages: Sequence[str] | None = None,
          variants: Sequence[str] = (),
          lms_profile: str = DEFAULT_LMS_PROFILE) -> BuildResult:
    """Build the packages of a course into ``out_dir`` (each variant's into a folder of its
    own); nothing is written unless all succeed.

    ``languages``: the languages to build (``["all"]`` for every one); default: those of
    course.yaml's ``languages`` not marked draft (course_builder/i18n/build.py).
    ``variants``: the variants to build, by id; default: every one.
    ``lms_profile``: what the runtime switches for one LMS (course_builder/lms_profiles.py)."""
    started = time.perf_counter()
    reporter = Reporter(strict=strict)
    checked = check_course(course_dir, reporter, formats, variants, render=False)
    course = checked.course
    work: list[BuildUnit] = []
    editions = i18n_build.editions(course, languages, reporter)
    for edition in editions:
        if edition.course is course:
            units = checked.units
        else:
            # Another language's own problems only: what it shares with the source (a
            # format's limits, a variant's mistake) was reported once, for the source.
            heard = i18n_build.ErrorsOnly(reporter)
            with speaking(edition.words):
                units = _units(edition.course, checked.registry, heard, checked.formats,
                               checked.variants)
        for unit in units:
            unit.words = edition.words
            unit.label = unit.label + edition.label
        work += units
    if reporter.failed:
        raise CourseInvalid(reporter.sorted(), course_dir)
    for unit in work:  # what the runtime switches for one LMS
        for item in unit.resolved:
            item.runtime_data["lms"] = lms_runtime_data(lms_profile)
    build_result = BuildResult(course, reporter=reporter,
                               variants=[u.summary for u in checked.units if u.summary])
    with staging(out_dir) as temp:
        for unit, (written, found, missing) in zip(
                work, _package_all(work, temp, progress, strict), strict=True):
            reporter.diagnostics += found
            if unit.words is not None:
                unit.words.missing |= missing
            for name, relative, size in written:
                build_result.packages.append((name, out_dir / relative, size))
        for edition in editions:
            i18n_build.report_missing_words(edition.words, reporter)
        if reporter.failed:  # a problem found while rendering, or --strict and words of the
            raise CourseInvalid(reporter.sorted(), course_dir)  # tool's with no translation
    build_result.seconds = time.perf_counter() - started
    return build_result


#: What packaging a unit gives back: each package (format, path relative to the staging
#: folder, bytes), what rendering found, and the tool's words it asked for in vain.
Packaged = tuple[list[tuple[str, Path, int]], list[Diagnostic], set[Key]]
_UNITS: list[BuildUnit] = []  # what forked packaging workers package (see _package_all)
#: A process per variant costs about 0.1 s of CPU to start (measured: python -m
#: benchmarks.variants), and a variant of the bundled course (23 pages) takes as long to render
#: and package: below this many pages, variants are packaged one after another. On this
#: 2-core VM, the bundled course's two variants took 0.63 s in parallel against 0.56 s one
#: after another; a 300-page course's, 1.20 s against 1.62 s.
PARALLEL_PAGES = 200


def _package_all(units: list[BuildUnit], temp: Path, progress: Callable[[str], None] | None,
                 strict: bool) -> list[Packaged]:
    """Each unit rendered and packaged, in order. Several large units (variants of a course of
    :data:`PARALLEL_PAGES` pages or more) on more than one core are each done in a process of
    their own, forked so that it starts with the checked course in memory (nothing is read,
    pickled or validated again); the zips are the same bytes either way."""
    workers = min(len(units), os.cpu_count() or 1)
    pages = max((len(unit.course.pages) for unit in units), default=0)
    if workers < 2 or pages < PARALLEL_PAGES \
            or "fork" not in multiprocessing.get_all_start_methods():
        return [package_unit(unit, temp, strict, progress) for unit in units]
    _UNITS[:] = units
    gc.freeze()  # the workers share the checked course's memory instead of copying it
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            if progress:
                for unit in units:
                    progress(unit.label.strip(" ()"))
            return list(pool.map(_package_forked, range(len(units)),
                                 [temp] * len(units), [strict] * len(units)))
    finally:
        _UNITS.clear()
        gc.unfreeze()


def _package_forked(index: int, temp: Path, strict: bool) -> Packaged:
    return package_unit(_UNITS[index], temp, strict)


def package_unit(unit: BuildUnit, temp: Path, strict: bool = False,
                 progress: Callable[[str], None] | None = None) -> Packaged:
    """Render one unit (unless :func:`check_course` did) and write its packages into ``temp``,
    in its folder, in the unit's language (see :data:`Packaged`); nothing is written when
    rendering finds an error."""
    course = unit.course
    reporter = Reporter(strict=strict)
    words = unit.words or i18n_build.words(course, course.config.language)
    before = set(words.missing)
    with speaking(words):
        content = unit.content or render_content(course, reporter)
        if reporter.failed:
            return [], reporter.diagnostics, words.missing - before
        folder = temp / unit.folder
        folder.mkdir(exist_ok=True)
        written: list[tuple[str, Path, int]] = []
        with ThreadPoolExecutor(max_workers=1) as zipper:
            previous: tuple[str, Path, Future[None]] | None = None
            for item in unit.resolved:
                if progress:
                    progress(item.target.label + unit.label)
                files = render_package(item, content)
                files.update(item.target.extra_files(course, sorted(files)))
                # zlib compresses without holding the GIL: this format rendered on one core
                # while the previous one was zipped on the other (the zips' bytes are the
                # same). One zip at a time, so the first that fails stops the build.
                if previous is not None:
                    written.append(_finish(previous, temp))
                destination = folder / item.target.file_name(course)
                previous = (item.target.name, destination,
                            zipper.submit(write_zip, files, destination))
            if previous is not None:
                written.append(_finish(previous, temp))
    return written, reporter.diagnostics, words.missing - before


def _finish(zipping: tuple[str, Path, Future[None]], temp: Path) -> tuple[str, Path, int]:
    name, destination, done = zipping
    done.result()  # raises what writing the zip raised
    return name, destination.relative_to(temp), destination.stat().st_size


@click.command("build")
@course_dir_argument
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(sorted(TARGETS)),
              help="Package to build (repeat for several). Default: `outputs` in course.yaml.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Folder for the packages.")
@click.option("--lang", "languages", multiple=True, metavar="TAG",
              help="Language to build (repeat for several; `all` for every one). Default: "
              "course.yaml's `languages` not marked draft.")
@click.option("--variant", "variants", multiple=True, metavar="ID",
              help="Build only this variant (repeat for several). Default: every variant in "
              "course.yaml, each into OUT/<variant id>/.")
@click.option("--lms-profile", type=click.Choice(sorted(LMS_PROFILES)),
              default=DEFAULT_LMS_PROFILE, show_default=True,
              help="What is known to differ in the LMS the packages are for "
                   "(docs/lms-administrators.md, LMS profiles). generic suits any LMS.")
@strict_option
@example_option
def build_command(course_dir: Path | None, formats: tuple[str, ...], out_dir: Path,
                  languages: tuple[str, ...], variants: tuple[str, ...], lms_profile: str,
                  strict: bool, example: bool) -> None:
    """Build a course's packages (default: the course in this folder).

    A course with variants (`variants:` in course.yaml) gets one folder of packages per
    variant. Nothing is written when the course has an error; every error is listed."""
    course_dir = course_dir_or_default(course_dir, example)
    if example:
        click.echo(f"Building the example course that comes with course-builder ({course_dir}). "
                   "It shows what the tool can do; it is not your course.", err=True)
    show_progress = sys.stderr.isatty()

    def progress(label: str) -> None:
        if show_progress:
            click.echo(f"  packaging {label}...", err=True)

    result = build(course_dir, out_dir, formats or None, strict, progress, languages or None,
                   variants, lms_profile)
    if result.reporter:
        shown = [d for d in result.reporter.sorted() if d.level is not Level.ERROR]
        for diagnostic in shown:
            click.echo(diagnostic.format(course_dir), err=True)
    for summary in result.variants:
        click.echo(f"variant {summary}")
    for _target, path, size in result.packages:
        click.echo(f"{path}  ({size / 1024:.0f} KiB)")
    of_variants = f" in {len(result.variants)} variant(s)" if result.variants else ""
    click.echo(f"Built {len(result.packages)} package(s){of_variants} of "
               f"'{result.course.config.title}' in {result.seconds:.2f} s.")
